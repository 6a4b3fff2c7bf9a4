// The shared frame of nutmeg's subcommands: commander parsing with exit codes; bad input in one line (exit 2), output failures in one line (exit 1), bugs in one line and a log file (exit 1).
import { DomainError, InputError, ModelError, OptionError } from 'nutmeg';
import { Command, CommanderError } from 'commander';
import { EXIT_INTERRUPTED, Interrupted } from './interrupt.js';
import { OutputError } from './outputFolder.js';
import { firstLine, reportUnexpected } from './unexpectedError.js';

/** Where output goes; tests pass their own. */
export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  /** Interrupts the command as Ctrl-C does (tests run commands in process with it). */
  signal?: AbortSignal;
}

/** stdout and stderr of the process. */
export const processIo: Io = {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
};

/**
 * The exit code of an error that ended a command, after saying what happened in one line on `io.err`:
 * 2 for bad input (OptionError, InputError, ModelError, DomainError and commander's usage errors),
 * 1 for an output file that could not be written (naming it and the system's reason), 130 for an
 * interrupt, and 1 for anything else, which is a bug: one line and a log file with the stack.
 *
 * @param name - the command, e.g. `nutmeg fit`
 * @param e - the error
 * @param argv - the command's arguments (for the log of a bug)
 * @param io - output sinks
 * @returns the exit code
 */
export function exitCodeOf(name: string, e: unknown, argv: readonly string[], io: Io): number {
  if (e instanceof CommanderError) return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' ? 0 : 2;
  if (e instanceof Interrupted) {
    io.err(`${name}: interrupted\n`);
    return EXIT_INTERRUPTED;
  }
  if (e instanceof InputError || e instanceof OptionError || e instanceof ModelError || e instanceof DomainError) {
    io.err(`${name}: ${oneLine(firstLine(e))}\n`);
    return 2;
  }
  if (e instanceof OutputError) {
    io.err(`${name}: ${oneLine(e.message)}\n`);
    return 1;
  }
  reportUnexpected(name, e, argv, io);
  return 1;
}

/**
 * Control characters and line separators of a message as `\\u` escapes, so that it stays one line in a terminal.
 *
 * @param message - the message
 * @returns the escaped message
 */
export function oneLine(message: string): string {
  // eslint-disable-next-line no-control-regex
  return message.replace(/[\u0000-\u0008\u000b-\u001f\u007f\u0085\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Parses `argv` with `program` (configured to write to `io`), then runs `body`; errors become one
 * line and an exit code ({@link exitCodeOf}), never a stack trace.
 *
 * @param program - the command, without output configuration
 * @param argv - arguments after the subcommand's name
 * @param io - output sinks
 * @param body - the work, given the parsed command; returns the exit code
 * @returns the exit code: 0 success (also for `--help`), 2 bad input or usage, 1 an output failure or a bug, 130 interrupted
 */
export async function runCommand(program: Command, argv: string[], io: Io, body: (p: Command) => Promise<number>): Promise<number> {
  const name = program.name();
  program.exitOverride().configureOutput({
    writeOut: io.out,
    writeErr: io.err,
    outputError: (str, write) => write(`${name}: ${oneLine(str.replace(/^error: /, '').replace(/\n$/, ''))}\n`),
  });
  try {
    program.parse(argv, { from: 'user' });
    return await body(program);
  } catch (e) {
    return exitCodeOf(name, e, argv, io);
  }
}
