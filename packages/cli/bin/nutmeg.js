#!/usr/bin/env node
// Entry point of the `nutmeg` command: runs the compiled CLI.
import { main } from '../dist/main.js';

process.exitCode = await main(process.argv.slice(2));
