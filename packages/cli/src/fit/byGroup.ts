// `nutmeg fit --by COLUMN`: the formula fitted separately to each level's rows through mapFits, one summary table over all fits.
import { FitError, Model, formulaModel, mapFits, parseFormula, priorsFromStrings, type FitExecutor, type FitJob, type FormulaModel } from 'nutmeg';
import { coreCount, workerFitExecutor } from 'nutmeg/node';
import { processIo, type Io } from '../cliRun.js';
import { EXIT_INTERRUPTED } from '../interrupt.js';
import { checkSampleLimits } from '../limits.js';
import { OutputFolder } from '../outputFolder.js';
import { groupedWarnings } from '../fitsWarnings.js';
import { formatGroupsTable, groupsToJson, writeGroupOutputs, type GroupSummary } from './byGroupOutput.js';
import type { CsvTable } from './csvTable.js';
import { fitsProgressBar } from './fitsProgressBar.js';
import { restateDataError } from './messages.js';
import type { FitOptions } from './options.js';
import { prefailedExecutor } from './prefailedExecutor.js';
import { plainOrQuoted } from './quote.js';
import { fitResults } from './results.js';
import { splitByColumn } from './groups.js';

/** What the command may be given besides its options (tests: another executor; the terminal). */
export interface ByGroupDependencies {
  /** Where the fits run (default: worker threads, one per core). */
  readonly executor?: FitExecutor;
  /** Whether to draw the progress bar (default: stderr is a terminal and `io` is the process's). */
  readonly progressBar?: boolean;
  /** Ctrl-C: no new fit starts once aborted; the fitted groups are written (exit 130). */
  readonly signal?: AbortSignal;
}

/** A group whose model was built, or the error that stopped it. */
type BuiltGroup = { readonly level: string; readonly fm: FormulaModel } | { readonly level: string; readonly error: unknown };

/** A run's seed when --seed is not given: from the clock, as mapFits would choose it (and printed, so the run can be repeated). */
function clockSeed(): number {
  return Date.now() % 4294967296;
}

/**
 * Fits `formula` to each level of `options.by` separately and prints one summary over all fits;
 * groups that cannot be built or fitted are named with their error while the others are written.
 *
 * @param csv - the data
 * @param formula - the formula
 * @param options - the command's options (`by` set)
 * @param io - output sinks
 * @param deps - executor and progress bar (tests)
 * @returns exit code: 0 when every group was fitted, 1 when some failed (after writing the others), 130 when interrupted (after writing the groups fitted)
 * @throws InputError/OptionError for bad input common to all groups (the --by column, the formula's syntax, priors, --out)
 */
export async function fitByGroup(csv: CsvTable, formula: string, options: FitOptions & { by: string }, io: Io, deps: ByGroupDependencies = {}): Promise<number> {
  parseFormula(formula); // a syntax error is everyone's: reported once (exit 2), not per group
  const prior = priorsFromStrings(options.prior);
  const groups = splitByColumn(csv, options.by, options.dropMissing);
  const built: BuiltGroup[] = groups.map(({ level, csv: rows }) => {
    try {
      const fm = formulaModel(formula, rows.table, { ...(options.family ? { family: options.family } : {}), prior, categorical: options.categorical, dropMissing: options.dropMissing });
      return { level, fm };
    } catch (e) {
      return { level, error: restateDataError(e, rows) };
    }
  });
  throwWhenAllFailAlike(built);
  checkGroupLimits(built, options);
  const out = await OutputFolder.open(options.out, 'nutmeg fit --by');
  await out.clearPrevious();
  const signal = deps.signal;

  if (signal?.aborted) {
    io.err(`nutmeg fit: interrupted before any group was fitted; nothing written\n`);
    return EXIT_INTERRUPTED;
  }
  const seed = options.seed ?? clockSeed();
  const failures = new Map<number, unknown>();
  // A group that could not be built keeps its place (and its seed) with an empty model that is never run.
  const jobs: FitJob[] = built.map((g, i) => {
    if ('error' in g) failures.set(i, g.error);
    return { name: g.level, model: 'fm' in g ? g.fm.model.spec : new Model().spec, options: { chains: options.chains, draws: options.draws, tune: options.tune } };
  });
  const bar = fitsProgressBar(jobs.length, deps.progressBar ?? (io === processIo && Boolean(process.stderr.isTTY)));
  const executor = deps.executor ?? (options.redis !== undefined ? await queueExecutor(options.redis, options.queue, io) : workerFitExecutor({ threads: coreCount() }));
  let outcomes: Awaited<ReturnType<typeof mapFits>>;
  try {
    outcomes = await mapFits(jobs, { seed, executor: prefailedExecutor(executor, failures), onProgress: (e) => bar.tick(plainOrQuoted(e.name)), ...(signal ? { signal } : {}) });
  } catch (e) {
    // A broken queue's error may quote the URL: never its credentials.
    if (options.redis !== undefined) throw new Error((await import('@nutmeg/queue')).safeMessage(e, options.redis));
    throw e;
  } finally {
    bar.stop();
  }

  const fitted: (GroupSummary & { divergences: number; warnings: ReturnType<typeof fitResults>['warnings'] })[] = [];
  const failed: { level: string; error: unknown }[] = [];
  const notRun: string[] = [];
  for (const o of outcomes) {
    const g = built[o.index];
    // After Ctrl-C: fits not started (an error) or stopped early (incomplete draws) are not run, not failed.
    if (signal?.aborted && 'fm' in g && (!o.ok || o.idata.attrs.incomplete === true)) {
      notRun.push(g.level);
      continue;
    }
    if (!o.ok || !('fm' in g)) {
      failed.push({ level: g.level, error: o.ok ? new Error('not built') : (o.error as FitError).cause });
      continue;
    }
    // The posterior predictive draws take a 32-bit seed: the low 32 bits of the group's.
    const results = fitResults(g.fm, o.idata, o.seed % 4294967296);
    fitted.push({ level: g.level, rows: results.rows, idata: results.idata, warnings: results.warnings, divergences: Number(o.idata.attrs.divergences ?? 0) });
  }

  const warnings = groupedWarnings(fitted.map((f) => ({ name: plainOrQuoted(f.level), warnings: f.warnings, divergences: f.divergences })));
  const warningText = warnings.length > 0 ? `${warnings.join('\n')}\n` : '';
  if (options.json) {
    io.out(groupsToJson(fitted) + '\n');
    io.err(warningText);
  } else {
    if (fitted.length > 0) io.out(formatGroupsTable(fitted));
    if (warningText !== '') io.out(`\n${warningText}`);
  }
  for (const f of failed) io.err(`nutmeg fit: group ${plainOrQuoted(f.level)} (--by ${plainOrQuoted(options.by)}) failed: ${errorText(f.error)}\n`);
  const written = await writeGroupOutputs(fitted, out);
  if (notRun.length > 0) {
    const names = notRun.slice(0, 5).map(plainOrQuoted).join(', ') + (notRun.length > 5 ? ', …' : '');
    io.err(`nutmeg fit: interrupted: ${fitted.length} of ${groups.length} groups fitted (seed ${seed}); wrote ${written.join(', ')} to ${options.out}; not fitted: ${notRun.length} groups (${names})\n`);
    return EXIT_INTERRUPTED;
  }
  io.err(`nutmeg fit: ${fitted.length} of ${groups.length} groups fitted (seed ${seed}); wrote ${written.join(', ')} to ${options.out}\n`);
  return failed.length > 0 ? 1 : 0;
}

/** The limits of all fits kept in memory together (each fit's file is written chunk by chunk: its size is no limit). */
function checkGroupLimits(built: readonly BuiltGroup[], options: FitOptions): void {
  let total = 0;
  for (const g of built) {
    if (!('fm' in g)) continue;
    total += g.fm.model.compile().dim + 12 + 2 * g.fm.design.nRows;
  }
  checkSampleLimits(options, total);
}

/**
 * The executor of --redis: @nutmeg/queue's BullMQ queue (loaded only when asked for, so BullMQ stays
 * out of a plain run's start-up). Says on stderr where the fits go, the host named, the password never.
 */
async function queueExecutor(url: string, queueName: string | undefined, io: Io): Promise<FitExecutor> {
  const queue = await import('@nutmeg/queue');
  const name = queueName ?? queue.DEFAULT_QUEUE;
  io.err(`nutmeg fit: the fits go to the queue ${plainOrQuoted(name)} at ${queue.redact(url)}; workers take them (nutmeg worker --redis URL --queue ${plainOrQuoted(name)})\n`);
  return queue.redisExecutor({ url, queue: name });
}

/** An error's message on one line. */
function errorText(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return message.split('\n')[0];
}

/** When no group could be built and all failed with the same message, that is bad input common to all: thrown once (exit 2). */
function throwWhenAllFailAlike(built: readonly BuiltGroup[]): void {
  const errors = built.flatMap((g) => ('error' in g ? [g.error] : []));
  if (errors.length !== built.length || errors.length === 0) return;
  const messages = new Set(errors.map(errorText));
  if (messages.size === 1) throw errors[0];
}
