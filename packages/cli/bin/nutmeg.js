#!/usr/bin/env node
// Entry point of the `nutmeg` command: runs the compiled CLI.
import { runProcess } from '../dist/main.js';

// Output piped into a program that stops reading (`nutmeg fit … | head`) ends the command quietly,
// as other command-line tools do, instead of an unhandled EPIPE error with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

await runProcess(process.argv.slice(2));
