// `nutmeg fit DATA.csv "FORMULA"`: a brms-style formula fitted to a CSV file with NUTS; summary on stdout, InferenceData, CSVs and report in --out.
import {
  FormulaSyntaxError,
  InputError,
  ModelError,
  OptionError,
  PriorSyntaxError,
  formatPriorSummary,
  formulaModel,
  formatSummaryTable,
  formatWarnings,
  priorsFromStrings,
  sample,
  summaryToJson,
  arvizJsonChunks,
  stanCsvChunks,
  type InferenceData,
  SEED_LIMIT,
} from 'nutmeg';
import { nodePlatform } from 'nutmeg/node';
import { Command } from 'commander';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { processIo, runCommand, type Io } from '../cliRun.js';
import { checkInterrupt, EXIT_INTERRUPTED, Interrupted, listenForInterrupt } from '../interrupt.js';
import { OutputFolder } from '../outputFolder.js';
import { checkSampleLimits, LIMITS, wholeNumber } from '../limits.js';
import { fitByGroup, type ByGroupDependencies } from './byGroup.js';
import { readCsvTable, type CsvTable } from './csvTable.js';
import { renderFigures } from './figures.js';
import { restateDataError } from './messages.js';
import { collect, FAMILY_NAMES, familyName, type FitOptions } from './options.js';
import { predictionsCsv, predictRows } from './predictions.js';
import { phaseLog } from './phaseLog.js';
import { fitReport } from './report.js';
import { fitResults, type FitResults } from './results.js';

/** What a test may add. */
export interface FitDependencies {
  /** Extra sample() options (tests pass a progress sink or an abort signal: it interrupts the whole command, as Ctrl-C does). */
  readonly sampleOptions?: Parameters<typeof sample>[1];
  /** With --by: the executor of the fits and whether to draw the progress bar. */
  readonly byGroup?: ByGroupDependencies;
}

/** The commander definition of `nutmeg fit`. */
function fitProgram(): Command {
  return new Command('nutmeg fit')
    .description(
      'Fit a brms-style formula to a CSV file with NUTS. Prints an az.summary table of the brms-named parameters\n' +
        '(b_, sd_, cor_, sigma/nu/shape, r_) and the sampling warnings; writes idata.json (ArviZ), one CmdStan CSV\n' +
        'per chain, summary.json and report.html to --out. With --by COLUMN, one fit per level of COLUMN on worker threads:\n' +
        'one table over all fits (group, parameter, …), summary.json, summary.csv and fits/<level>.json.\n' +
        'The chains stream to --out/checkpoint/ as they sample: after a kill or crash, the same command with --resume\n' +
        'continues from the last checkpoint (the draws are those an uninterrupted run gives).\n\n' +
        'Example: nutmeg fit data/radon.csv "log_radon ~ floor + (1 + floor | county)"',
    )
    .argument('<DATA>', 'CSV file with a header row; empty cells and NA are missing')
    .argument('<FORMULA>', 'brms/lme4 formula, e.g. "y ~ x + (1 | g)"')
    .option('--family <F>', `response family: ${FAMILY_NAMES.join(', ')} (default gaussian)`, familyName)
    .option('--prior <PRIOR>', 'a prior as "DIST(ARGS): CLASS", e.g. "normal(0, 1): b" (repeatable)', collect, [])
    .option('--chains <N>', `chains (at most ${LIMITS.chains})`, wholeNumber(1), 4)
    .option('--draws <N>', 'draws per chain after tuning', wholeNumber(1), 1000)
    .option('--tune <N>', "tuning iterations per chain (nutpie's gradient-based warm-up, as sample()'s default)", wholeNumber(0), 300)
    .option('--seed <N>', 'random seed, 0 to 2^32 − 1 (default from the clock, recorded in the outputs)', wholeNumber(0, SEED_LIMIT - 1))
    .option('--out <DIR>', 'output directory', 'out/fit')
    .option('--json', 'print only the summary as one JSON object on stdout')
    .option('--predict <NEW>', 'CSV of new rows: write predictions.csv (posterior predictive mean, sd, 94% HDI)')
    .option('--print-priors', 'print the priors (as brms prior_summary) and exit without sampling')
    .option('--categorical <COL>', 'treat a numeric column as categorical (repeatable)', collect, [])
    .option('--drop-missing', 'drop rows with a missing value in a column the formula uses')
    .option('--by <COLUMN>', 'fit the formula separately to the rows of each level of COLUMN (worker threads); one summary table over all fits')
    .option('--redis <URL>', 'with --by: run the fits on a BullMQ queue in Redis (redis://[user:password@]host:port or rediss://); start workers with `nutmeg worker --redis URL`')
    .option('--queue <NAME>', 'the queue of --redis (default: nutmeg-fits, as nutmeg worker)')
    .option('--resume', 'continue the fit checkpointed in --out/checkpoint/ (same data, formula and options; a finished fit is not sampled again)');
}

/**
 * Runs `nutmeg fit`.
 *
 * @param argv - arguments after `fit`
 * @param io - output sinks (default: stdout, stderr)
 * @param deps - extra sample options (tests)
 * @returns exit code: 0 success, 2 bad input or usage, 130 interrupted
 */
export async function run(argv: string[], io: Io = processIo, deps: FitDependencies = {}): Promise<number> {
  return runCommand(fitProgram(), argv, io, async (p) => {
    const flags = p.opts<Omit<FitOptions, 'printPriors' | 'dropMissing' | 'json' | 'resume'> & { printPriors?: boolean; dropMissing?: boolean; json?: boolean; resume?: boolean }>();
    const options: FitOptions = {
      ...flags,
      json: flags.json === true,
      printPriors: flags.printPriors === true,
      dropMissing: flags.dropMissing === true,
      resume: flags.resume === true,
    };
    const interrupt = listenForInterrupt(io, deps.sampleOptions?.signal ?? io.signal);
    try {
      return await fitCommand(p.args[0], p.args[1], options, io, { ...deps, sampleOptions: { ...deps.sampleOptions, signal: interrupt.signal } });
    } catch (e) {
      if (e instanceof FormulaSyntaxError || e instanceof PriorSyntaxError) {
        io.err(`nutmeg fit: ${e.format()}\n`);
        return 2;
      }
      // Library messages quote names with JSON.stringify, which leaves U+2028/U+2029 raw: escape them, one line.
      if (e instanceof ModelError || e instanceof InputError || e instanceof OptionError) throw new InputError(escapeLineSeparators(e.message));
      throw e;
    } finally {
      interrupt.dispose();
    }
  });
}

/** The command's work, after option parsing. */
async function fitCommand(dataFile: string, formula: string, options: FitOptions, io: Io, deps: FitDependencies): Promise<number> {
  if (options.by === undefined && (options.redis !== undefined || options.queue !== undefined)) {
    throw new OptionError(options.redis !== undefined ? '--redis' : '--queue', 'runs the fits of --by COLUMN on a queue; add --by');
  }
  if (options.by !== undefined) {
    const clash = options.predict !== undefined ? '--predict' : options.printPriors ? '--print-priors' : options.resume ? '--resume' : undefined;
    if (clash) throw new OptionError('--by', `cannot be combined with ${clash}`);
    const signal = deps.sampleOptions?.signal;
    return fitByGroup(await readCsvTable(dataFile), formula, { ...options, by: options.by }, io, { ...deps.byGroup, ...(signal ? { signal } : {}) });
  }
  const prior = priorsFromStrings(options.prior);
  const csv = await readCsvTable(dataFile);
  const newCsv = options.predict !== undefined ? await readCsvTable(options.predict) : undefined;
  const fm = withDataErrors(csv, () =>
    formulaModel(formula, csv.table, {
      ...(options.family ? { family: options.family } : {}),
      prior,
      categorical: options.categorical,
      dropMissing: options.dropMissing,
    }),
  );
  if (fm.design.droppedRows > 0) io.err(`nutmeg fit: dropped ${fm.design.droppedRows} of ${csv.records.length} rows with a missing value (--drop-missing)\n`);
  if (options.printPriors) {
    io.out(formatPriorSummary(fm.priors).replace(/\n?$/, '\n'));
    return 0;
  }
  // Everything that can fail on bad input fails before sampling: new data, the sampler's limits and the output directory.
  if (newCsv) withDataErrors(newCsv, () => fm.newData(newCsv.table));
  // Kept per draw: the parameters, ~12 sampler statistics, and the log-likelihood and posterior predictive draw of every row.
  const compiled = fm.model.compile();
  checkSampleLimits(options, compiled.dim + 12 + 2 * fm.design.nRows);
  const out = await OutputFolder.open(options.out, 'nutmeg fit');
  await out.clearPrevious();
  // The chains checkpoint into --out/checkpoint/; a run without --resume starts that folder afresh.
  const checkpointDir = join(options.out, 'checkpoint');
  if (!options.resume) await rm(checkpointDir, { recursive: true, force: true });
  const signal = deps.sampleOptions?.signal;

  // Ctrl-C before sampling (the worker threads would have to start only to stop).
  try {
    await checkInterrupt(signal);
  } catch {
    io.err(`nutmeg fit: interrupted before sampling; nothing written\n`);
    return EXIT_INTERRUPTED;
  }
  io.err(`nutmeg fit: sampling ${options.chains} chain${options.chains === 1 ? '' : 's'} × (${options.tune} warm-up + ${options.draws} draws)\n`);
  const sampled = await sample(compiled, {
    chains: options.chains,
    draws: options.draws,
    tune: options.tune,
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    // Ctrl-C is the command's (listenForInterrupt): the library's own handler would print a second notice.
    platform: { ...nodePlatform, onInterrupt: undefined },
    // A terminal gets the library's live bars; a log or a pipe one line per phase.
    ...(io === processIo && !process.stderr.isTTY ? { progress: phaseLog(io.err, 'nutmeg fit', options.chains) } : {}),
    checkpoint: { dir: checkpointDir },
    ...(options.resume ? { resume: true } : {}),
    ...deps.sampleOptions,
  });
  const failedChains = sampled.attrs.failed_chains as readonly FailedChain[] | undefined;
  if (failedChains !== undefined && failedChains.length > 0) return chainsFailed(sampled, failedChains, options, out, io, checkpointDir);
  if (sampled.attrs.incomplete === true) return interruptedDuringSampling(sampled, options, out, io, checkpointDir);
  let results: FitResults | undefined;
  try {
    await checkInterrupt(signal);
    const seed = Number(sampled.attrs.seed);
    results = fitResults(fm, sampled, seed);
    if (options.json) io.out(summaryToJson(results.rows) + '\n');
    else io.out(formatSummaryTable(results.rows) + (results.warnings.length > 0 ? '\n' + formatWarnings(results.warnings) + '\n' : ''));
    if (options.json && results.warnings.length > 0) io.err(formatWarnings(results.warnings) + '\n');

    await writeDraws(results.idata, out, signal);
    await out.write('summary.json', summaryToJson(results.rows) + '\n');
    const figures = await renderFigures(fm, results, signal);
    await out.write('report.html', fitReport({ fm, results, figures, options, dataFile, seed }));
    if (newCsv) {
      await checkInterrupt(signal);
      await out.write('predictions.csv', predictionsCsv(newCsv, predictRows(fm, results.idata, newCsv, seed)));
    }
  } catch (e) {
    if (!(e instanceof Interrupted)) throw e;
    // The draws are complete: keep them (with what was derived from them so far) and say what was not written.
    const idata = results?.idata ?? sampled;
    const drawFiles = ['idata.json', ...Array.from({ length: idata.nChains }, (_, c) => `chain_${c + 1}.csv`)];
    if (drawFiles.some((f) => !out.written().includes(f))) await writeDraws(idata, out);
    const planned = ['summary.json', 'report.html', ...(newCsv ? ['predictions.csv'] : [])];
    const missing = planned.filter((f) => !out.written().includes(f));
    io.err(`nutmeg fit: interrupted after sampling; wrote ${out.written().join(', ')} to ${options.out}; not written: ${missing.join(', ')}\n`);
    return EXIT_INTERRUPTED;
  }
  // Every output is written: the checkpoint (kept until now so that a failed write can be redone
  // with --resume, without sampling again) would only duplicate the draws.
  await rm(checkpointDir, { recursive: true, force: true });
  io.err(`nutmeg fit: wrote ${out.written().join(', ')} to ${options.out}\n`);
  return 0;
}

/**
 * Ctrl-C during sampling: the draws so far, if any, are written as idata.json (`attrs.incomplete`)
 * and one CmdStan CSV per chain (a comment line says the run is incomplete), as CmdStan keeps the
 * CSV of an interrupted run; summary.json and report.html are not written (a summary of a cut
 * run would look complete).
 */
async function interruptedDuringSampling(sampled: InferenceData, options: FitOptions, out: OutputFolder, io: Io, checkpointDir: string): Promise<number> {
  const of = `of ${options.draws} `;
  const resume = `the chains' work is kept in ${checkpointDir}: run again with --resume to continue`;
  if (sampled.nDraws === 0) {
    io.err(`nutmeg fit: interrupted during warm-up (0 ${of}draws per chain); nothing written (${resume})\n`);
    return EXIT_INTERRUPTED;
  }
  const note = `interrupted after ${sampled.nDraws} ${of}draws per chain, in ${sampled.nChains} of ${options.chains} chains`;
  await writeDraws(sampled, out, undefined, `${note} (Ctrl-C)`);
  io.err(`nutmeg fit: ${note}; wrote the draws so far (${out.written().join(', ')}, marked incomplete) to ${options.out}; not written: summary.json, report.html (${resume})\n`);
  return EXIT_INTERRUPTED;
}

/** A chain that failed, as `sample()` records it in `attrs.failed_chains` (chains numbered from 0). */
interface FailedChain {
  readonly chain: number;
  readonly cause: string;
  readonly message: string;
}

/**
 * Chains that failed (a worker thread died, ran out of memory or time, the model threw): a failure,
 * not an interrupt. The surviving chains' draws are written as idata.json (`attrs.incomplete`,
 * `attrs.failed_chains`) and one CmdStan CSV per surviving chain, named by its own number and marked
 * incomplete on its first line; summary.json and report.html are not (fewer chains than asked
 * for would look converged more often than they should).
 *
 * @returns exit code 1
 */
async function chainsFailed(sampled: InferenceData, failed: readonly FailedChain[], options: FitOptions, out: OutputFolder, io: Io, checkpointDir: string): Promise<number> {
  const causes = failed.map((f) => `${escapeLineSeparators(f.message.replace(/\s*\n\s*/g, ' '))} (${f.cause})`).join('; ');
  const which = `${failed.length} of ${options.chains} chain${options.chains === 1 ? '' : 's'} failed: ${causes}`;
  const retry = `fix the cause and run again with --resume to sample only the failed chains (their work is in ${checkpointDir})`;
  if (sampled.nChains === 0 || sampled.nDraws === 0) {
    io.err(`nutmeg fit: ${which}; nothing written; ${retry}\n`);
    return 1;
  }
  const failedIds = new Set(failed.map((f) => f.chain));
  const survivors = Array.from({ length: options.chains }, (_, c) => c).filter((c) => !failedIds.has(c));
  await writeDraws(sampled, out, undefined, `${which}; the other chains' draws only`, survivors.slice(0, sampled.nChains));
  io.err(`nutmeg fit: ${which}; wrote the other chains' draws (${out.written().join(', ')}, marked incomplete) to ${options.out}; not written: summary.json, report.html; ${retry}\n`);
  return 1;
}

/** U+2028, U+2029 and U+0085 as `\\u` escapes (they end a line in some terminals and editors). */
function escapeLineSeparators(message: string): string {
  return message.replace(/[\u2028\u2029\u0085]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Runs `build`, restating the formula layer's data errors in terms of `csv`'s lines. */
function withDataErrors<T>(csv: CsvTable, build: () => T): T {
  try {
    return build();
  } catch (e) {
    throw restateDataError(e, csv);
  }
}

/**
 * Writes idata.json and one CmdStan CSV per chain, checking for Ctrl-C between files; `incomplete`
 * (a cut run) is written as a comment line at the top of each CSV; `chainIds` numbers the CSVs
 * (from 0; default 0, 1, …) when some chains are missing. Each file is written chunk by chunk (its
 * text is never held whole: idata.json of 20,000 parameters × 4 × 1000 draws is 1.6 GB).
 */
async function writeDraws(idata: InferenceData, out: OutputFolder, signal?: AbortSignal, incomplete?: string, chainIds?: readonly number[]): Promise<void> {
  await out.write('idata.json', arvizJsonChunks(idata));
  for (let c = 0; c < idata.nChains; c++) {
    await checkInterrupt(signal);
    const csv = stanCsvChunks(idata, c);
    await out.write(`chain_${(chainIds?.[c] ?? c) + 1}.csv`, incomplete ? prefixed(`# nutmeg: incomplete run: ${incomplete}\n`, csv) : csv);
  }
}

/** `first`, then the pieces of `rest`. */
function* prefixed(first: string, rest: Iterable<string>): Generator<string, void, undefined> {
  yield first;
  yield* rest;
}
