// The shared frame of nutmeg's file subcommands: commander parsing with exit codes, and bad input reported in one line with exit code 2.
import { InputError, OptionError } from 'nutmeg';
import { Command, CommanderError } from 'commander';

/** Where output goes; tests pass their own. */
export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

/** stdout and stderr of the process. */
export const processIo: Io = {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
};

/**
 * Parses `argv` with `program` (configured to write to `io`), then runs `body`; bad input
 * (InputError, OptionError) becomes a one-line message and exit code 2, never a stack trace.
 *
 * @param program - the command, without output configuration
 * @param argv - arguments after the subcommand's name
 * @param io - output sinks
 * @param body - the work, given the parsed command; returns the exit code
 * @returns the exit code: 0 success (also for `--help`), 2 bad input or usage, 1 an unexpected error
 */
export async function runCommand(program: Command, argv: string[], io: Io, body: (p: Command) => Promise<number>): Promise<number> {
  const name = program.name();
  program.exitOverride().configureOutput({
    writeOut: io.out,
    writeErr: io.err,
    outputError: (str, write) => write(`${name}: ${str.replace(/^error: /, '')}`),
  });
  try {
    program.parse(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' ? 0 : 2;
    throw e;
  }
  try {
    return await body(program);
  } catch (e) {
    if (e instanceof InputError || e instanceof OptionError) {
      io.err(`${name}: ${e.message.split('\n')[0]}\n`);
      return 2;
    }
    // A bug rather than bad input: say so briefly (the stack only with NUTMEG_DEBUG set).
    io.err(`${name}: unexpected error: ${(e as Error).message ?? String(e)}\n`);
    if (process.env.NUTMEG_DEBUG) io.err(`${(e as Error).stack ?? ''}\n`);
    return 1;
  }
}
