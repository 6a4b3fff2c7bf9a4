// `nutmeg radon`: the radon case study end to end (pooled, unpooled, hierarchical models; figures, report.html, summary.json).
import { Command, Option } from 'commander';
import { OptionError, SEED_LIMIT } from 'nutmeg';
import { exitCodeOf, oneLine } from '../cliRun.js';
import { EXIT_INTERRUPTED, listenForInterrupt } from '../interrupt.js';
import { LIMITS, numberBetween, wholeNumber } from '../limits.js';
import { OutputError } from '../outputFolder.js';
import { interruptedSentence } from './interrupted.js';
import { DEFAULT_PNG_SCALE, MODEL_NAMES, runRadon, type ModelName, type RadonProgress } from './run.js';
import type { Method } from './fit.js';
import type { Priors } from './models.js';

/** Where output goes; tests pass their own. */
export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  /** Whether err is a terminal (live progress on one line). */
  tty?: boolean;
  /** Interrupts the run as Ctrl-C does (tests). */
  signal?: AbortSignal;
  /**
   * `performance.now()` when the command started, so that the run's timings include the
   * program's start-up: 0 for the `nutmeg` process (its own start); absent in tests.
   */
  startedAt?: number;
}

const processIo: Io = {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  tty: Boolean(process.stderr.isTTY),
  startedAt: 0,
};

interface Flags {
  model: string;
  priors: Priors;
  method: Method;
  chains: number;
  draws: number;
  tune: number;
  seed: number;
  out: string;
  pngScale: number;
  quiet?: boolean;
  threads?: number;
  redis?: string;
  queue?: string;
}

function parseModels(v: string): ModelName[] {
  const parts = v.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (parts.length === 1 && parts[0] === 'all') return [...MODEL_NAMES];
  const bad = parts.filter((p) => !(MODEL_NAMES as readonly string[]).includes(p));
  if (parts.length === 0 || bad.length > 0) {
    throw new OptionError('--model', `unknown model '${bad[0] ?? v}' (expected ${MODEL_NAMES.join(', ')} or all; several separated by commas)`);
  }
  return MODEL_NAMES.filter((m) => parts.includes(m));
}

function progressPrinter(io: Io): { onProgress: (e: RadonProgress) => void; finish: () => void } {
  let last = '';
  let lastStage = '';
  let lastTime = 0;
  return {
    onProgress: (e) => {
      // At most 10 updates a second of the same stage's counter.
      const now = performance.now();
      if (e.stage === lastStage && e.done !== undefined && e.done !== e.total && now - lastTime < 100) return;
      lastTime = now;
      const count = e.done !== undefined ? ` ${e.done}/${e.total}` : '';
      const line = `[${e.elapsed.toFixed(1).padStart(5)} s] ${e.done !== undefined ? e.stage : e.message}${count}`;
      if (io.tty) {
        io.err(`\r${line.padEnd(Math.max(line.length, last.length))}`);
        last = line;
      } else if (e.stage !== lastStage) {
        io.err(`[${e.elapsed.toFixed(1).padStart(5)} s] ${e.message}\n`);
      }
      lastStage = e.stage;
    },
    finish: () => {
      if (io.tty && last !== '') io.err('\n');
    },
  };
}

/**
 * Runs `nutmeg radon` with the given arguments.
 *
 * @param argv - arguments after `radon`
 * @param io - output streams (default: the process's)
 * @returns the exit code: 0 on success, 2 for bad options or an unwritable output folder, 130 when
 *   interrupted (Ctrl-C; what was complete is written), 1 for an output failure or a bug (one line, and a log file for a bug)
 */
export async function run(argv: string[], io: Io = processIo): Promise<number> {
  const program = new Command('nutmeg radon')
    .description(
      "The radon case study (Wiecki & Elbers' PyMC3 tutorials on hierarchical linear regression), end to end: fits the pooled, " +
        'unpooled (85 separate county regressions), hierarchical and non-centered hierarchical models, then writes report.html ' +
        '(self-contained), summary.json and every figure as SVG and PNG to the output folder.',
    )
    .addOption(new Option('--model <name>', `models to fit: ${MODEL_NAMES.join(', ')} or all (several separated by commas)`).default('all'))
    .addOption(new Option('--priors <kind>', 'priors of the hierarchical models: the first tutorial\'s, or the second\'s flat ones').choices(['tutorial', 'flat']).default('tutorial'))
    .addOption(new Option('--method <method>', 'inference: NUTS, ADVI, or NUTS initialised by ADVI').choices(['nuts', 'advi', 'advi+nuts']).default('nuts'))
    .addOption(new Option('--chains <N>', `chains per model (at most ${LIMITS.chains})`).default(4).argParser(wholeNumber(1)))
    .addOption(new Option('--draws <N>', 'draws kept per chain').default(1000).argParser(wholeNumber(1)))
    .addOption(new Option('--tune <N>', "warm-up iterations per chain (nutpie's gradient-based warm-up, as sample()'s default)").default(300).argParser(wholeNumber(0)))
    .addOption(new Option('--seed <N>', 'random seed, 0 to 2^32 − 1 (same seed, same draws)').default(8924).argParser(wholeNumber(0, SEED_LIMIT - 1)))
    .addOption(new Option('--out <dir>', 'output folder').default('out/radon'))
    .addOption(
      new Option('--png-scale <X>', 'PNG pixels per SVG pixel (2 for high-DPI screens; report.html embeds the SVGs, sharp at any size)')
        .default(DEFAULT_PNG_SCALE)
        .argParser(numberBetween(0.25, 4)),
    )
    .addOption(new Option('--threads <N>', 'threads for the 85 unpooled fits (default: 2 if there are 2 cores)').argParser(wholeNumber(1)).hideHelp())
    .option('--redis <URL>', 'run the 85 unpooled fits on a BullMQ queue in Redis (redis://[user:password@]host:port or rediss://); start workers with `nutmeg worker --redis URL`')
    .option('--queue <NAME>', 'the queue of --redis (default: nutmeg-fits, as nutmeg worker)')
    .option('--quiet', 'no progress and no digest; print only where the report is')
    .exitOverride()
    .configureOutput({
      writeOut: io.out,
      writeErr: io.err,
      outputError: (str, write) => write(`nutmeg radon: ${oneLine(str.replace(/^error: /, '').replace(/\n$/, ''))}\n`),
    });
  try {
    program.parse(argv, { from: 'user' });
  } catch (e) {
    return exitCodeOf('nutmeg radon', e, argv, io);
  }
  const flags = program.opts<Flags>();
  if (program.args.length > 0) {
    io.err(`nutmeg radon: unexpected argument '${program.args[0]}' (see nutmeg radon --help)\n`);
    return 2;
  }
  const printer = progressPrinter(io);
  let secretUrl: string | undefined;
  const interrupt = listenForInterrupt(io, io.signal);
  try {
    const models = parseModels(flags.model);
    if (flags.redis !== undefined && !models.includes('unpooled')) throw new OptionError('--redis', 'runs the unpooled fits on a queue; add unpooled to --model');
    // @nutmeg/queue (BullMQ, ioredis) is loaded only when a queue is asked for.
    const queue = flags.redis === undefined ? undefined : await import('@nutmeg/queue');
    const queueName = flags.queue ?? queue?.DEFAULT_QUEUE;
    const executor =
      flags.redis === undefined || !queue ? undefined : { executor: queue.redisExecutor({ url: flags.redis, queue: queueName }), where: `the queue ${queueName} at ${queue.redact(flags.redis)}` };
    if (executor && !flags.quiet) io.err(`nutmeg radon: the unpooled fits go to ${executor.where}; workers take them (nutmeg worker --redis URL --queue ${queueName})\n`);
    secretUrl = flags.redis;
    const result = await runRadon({
      models,
      priors: flags.priors,
      method: flags.method,
      chains: flags.chains,
      draws: flags.draws,
      tune: flags.tune,
      seed: flags.seed,
      out: flags.out,
      pngScale: flags.pngScale,
      ...(flags.threads !== undefined ? { threads: flags.threads } : {}),
      ...(executor ? { executor } : {}),
      ...(flags.quiet ? {} : { onProgress: printer.onProgress }),
      signal: interrupt.signal,
      // When the process started with the command, its start-up belongs to the run's time.
      ...(io.startedAt !== undefined ? { startedAt: io.startedAt } : {}),
    });
    printer.finish();
    if (flags.quiet) io.out(`${result.reportPath}\n`);
    else io.out(`${result.digest}\n`);
    const i = result.interrupted;
    if (!i) return 0;
    const figures = i.written.filter((f) => f.startsWith('figures/')).length;
    const wrote = [...i.written.filter((f) => !f.startsWith('figures/')).map((f) => (f === 'summary.json' || f === 'report.html' ? `${f} (marked incomplete)` : f)), ...(figures > 0 ? [`${figures} figure files`] : [])];
    io.err(`nutmeg radon: ${interruptedSentence(i)}; wrote ${wrote.join(', ')} to ${flags.out}; not run: ${i.notRun.join(', ') || 'nothing'}\n`);
    return EXIT_INTERRUPTED;
  } catch (e) {
    printer.finish();
    // A broken queue's error may quote the URL: never its credentials (one line, exit 1).
    if (secretUrl !== undefined && !(e instanceof OptionError || e instanceof OutputError)) {
      io.err(`nutmeg radon: ${(await import('@nutmeg/queue')).safeMessage(e, secretUrl)}\n`);
      return 1;
    }
    return exitCodeOf('nutmeg radon', e, argv, io);
  } finally {
    interrupt.dispose();
  }
}
