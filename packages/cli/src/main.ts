// The nutmeg command line: a commander top level that lists the subcommands and dispatches to them.
import { Command, CommanderError } from 'commander';
import { exitCodeOf, oneLine, processIo, type Io } from './cliRun.js';
import { EXIT_INTERRUPTED } from './interrupt.js';
import { versionText } from './version.js';

/** The subcommands: name, one-line description, and the module that runs it. */
const COMMANDS: { name: string; description: string; load: () => Promise<{ run: (argv: string[], io?: Io) => Promise<number> }> }[] = [
  { name: 'radon', description: 'the radon case study end to end: models, figures, report.html, summary.json', load: () => import('./radon/command.js') },
  { name: 'fit', description: 'fit a brms-style formula to a CSV file with NUTS: summary, InferenceData, CmdStan CSVs, report.html', load: () => import('./fit/command.js') },
  { name: 'loo', description: 'PSIS-LOO of a log-likelihood file (ArviZ JSON or {"log_lik": [chain][draw][obs]}) as R loo prints it', load: () => import('./loo.js') },
  { name: 'compare', description: 'compare models by PSIS-LOO from their log-likelihood files, as R loo_compare', load: () => import('./compare.js') },
  { name: 'worker', description: 'take fit jobs from a Redis queue (BullMQ) and run them: nutmeg worker --redis URL [--queue NAME] [--concurrency N]', load: () => import('./worker.js') },
  { name: 'summary', description: 'summarise draws (draws JSON, ArviZ JSON or CmdStan CSV) as az.summary does', load: () => import('./summary.js') },
];

/**
 * Runs the nutmeg command line.
 *
 * @param argv - arguments after `nutmeg`
 * @param io - where a subcommand writes (default: stdout and stderr; tests pass their own)
 * @returns the exit code (0 success, also for `--help` and `--version`; 2 usage errors and bad input;
 *   1 an output failure or a bug, reported in one line with a log file; 130 interrupted)
 */
export async function main(argv: string[], io?: Io): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (e) {
    // The subcommands report their own errors; this catches what escapes them (a module that fails to load, say).
    return exitCodeOf('nutmeg', e, argv, io ?? processIo);
  }
}

/**
 * Runs the command line as the `nutmeg` process: sets the exit code, and after Ctrl-C (once what
 * was complete is written) exits at once rather than waiting for work that cannot be stopped
 * (a chart being rendered, worker threads finishing a fit).
 *
 * @param argv - arguments after `nutmeg`
 * @returns when the command is done (the process then ends by itself)
 */
export async function runProcess(argv: string[]): Promise<void> {
  const code = await main(argv);
  if (code === EXIT_INTERRUPTED) process.exit(code);
  process.exitCode = code;
}

/** Runs the subcommand `argv[0]`, or the top level's help, version and usage errors. */
async function dispatch(argv: string[], io?: Io): Promise<number> {
  const sub = COMMANDS.find((c) => c.name === argv[0]);
  if (sub) return (await sub.load()).run(argv.slice(1), io);
  // `nutmeg help <command>` is `nutmeg <command> --help`.
  const helped = argv[0] === 'help' ? COMMANDS.find((c) => c.name === argv[1]) : undefined;
  if (helped) return (await helped.load()).run(['--help'], io);
  const program = new Command('nutmeg')
    .description('nutmeg: Bayesian modelling in TypeScript (NUTS, ADVI, diagnostics, plots).\nRun `nutmeg <command> --help` for a command\'s options.')
    .usage('<command> [options]')
    .version(versionText(), '-V, --version', "print the command's version (and the library's, if different)")
    .exitOverride()
    .configureOutput({
      writeOut: (s) => (io ?? processIo).out(s),
      writeErr: (s) => (io ?? processIo).err(s),
      outputError: (str, write) => write(`nutmeg: ${oneLine(str.replace(/^error: /, '').replace(/\n$/, ''))}\n`),
    });
  for (const c of COMMANDS) program.command(c.name).description(c.description).helpOption(false).allowUnknownOption();
  // `nutmeg` and `nutmeg help`: the help on stdout, exit 0 (commander's own `help` writes it to stderr with exit 2).
  if (argv.length === 0 || (argv[0] === 'help' && (argv.length === 1 || argv[1] === 'help'))) {
    program.outputHelp();
    return 0;
  }
  if (argv[0] === 'help') {
    (io ?? processIo).err(`nutmeg: unknown command ${JSON.stringify(argv[1])} (the commands: ${COMMANDS.map((c) => c.name).join(', ')})\n`);
    return 2;
  }
  try {
    program.parse(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' ? 0 : 2;
    throw e;
  }
  return 2;
}
