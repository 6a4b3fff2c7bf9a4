// An error that is nutmeg's fault, not the input's: one line on stderr, the whole stack in a log file the user can attach to a bug report.
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Io } from './cliRun.js';
import { versionText } from './version.js';

/**
 * Reports an unexpected error: writes its stack, the command line and the versions to
 * `nutmeg-error-<time>-<pid>.log` in the temporary folder, and prints one line naming that file.
 *
 * @param name - the command (`nutmeg fit`)
 * @param e - the error
 * @param argv - the command's arguments (for the log)
 * @param io - where the line goes
 * @returns the log file's path, or undefined when it could not be written
 */
export function reportUnexpected(name: string, e: unknown, argv: readonly string[], io: Io): string | undefined {
  const message = firstLine(e);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const path = join(tmpdir(), `nutmeg-error-${stamp}-${process.pid}.log`);
  const stack = e instanceof Error ? (e.stack ?? message) : String(e);
  const log = [`${name} ${argv.map((a) => JSON.stringify(a)).join(' ')}`, `version: ${versionText().replace(/\n/g, '; ')}`, `node: ${process.version} ${process.platform}-${process.arch}`, '', stack, ''].join('\n');
  try {
    writeFileSync(path, log);
    io.err(`${name}: unexpected error: ${message} (a bug in nutmeg; details in ${path})\n`);
    return path;
  } catch {
    io.err(`${name}: unexpected error: ${message} (a bug in nutmeg; set NUTMEG_DEBUG=1 for details)\n`);
    return undefined;
  } finally {
    if (process.env.NUTMEG_DEBUG) io.err(`${stack}\n`);
  }
}

/** An error's message, first line only, at most 300 characters. */
export function firstLine(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  const line = message.split(/\r?\n/)[0];
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}
