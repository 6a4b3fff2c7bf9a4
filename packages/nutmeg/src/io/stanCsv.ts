// CmdStan CSV (one file per chain) ↔ InferenceData: sampler diagnostics as sample_stats, parameters as posterior.
//
// Reading follows Stan's own readers (cmdstanpy's `check_sampler_csv`, cmdstanr's
// `read_cmdstan_csv`): only `method = sample` output is MCMC draws; the chains of one run must come
// from the same model, method and sampler settings; a chain must hold the rows its header promises.
import { checkInferenceData } from '../posterior/inferenceDataArgument.js';
import { arrayArgument } from '../core/argumentChecks.js';
import { describeValue } from '../core/optionChecks.js';
import { InputError, OptionError } from '../core/errors.js';
import type { Group, InferenceData, VariableArray } from '../posterior/inferenceData.js';
import { shapeSize } from '../posterior/inferenceData.js';
import { flatten, unflatten } from './drawsJson.js';
import { shortList } from './nestedArrays.js';
import { readStanCsvChain, showColumn, showText, type StanCsvChain } from './stanCsvChain.js';
import { NUMBERS_PER_PIECE, TextChunks, type ChunkOptions } from './textChunks.js';

/** CmdStan sampler columns and the names ArviZ gives them in `sample_stats`, in CmdStan's order. */
export const STAN_SAMPLE_STATS: readonly (readonly [stan: string, arviz: string])[] = [
  ['lp__', 'lp'],
  ['accept_stat__', 'acceptance_rate'],
  ['stepsize__', 'step_size'],
  ['treedepth__', 'tree_depth'],
  ['n_leapfrog__', 'n_steps'],
  ['divergent__', 'diverging'],
  ['energy__', 'energy'],
];

/** A number as CmdStan writes it: shortest round-trip decimal, `nan`, `inf`, `-inf`, `-0`. */
function formatNumber(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  if (Object.is(v, -0)) return '-0';
  return String(v);
}

/**
 * Numbers comma-separated as {@link formatNumber} writes them. Where all are finite and none is -0,
 * JSON.stringify of the array writes exactly that, without a string per number (the garbage of
 * 4,096 small strings a piece kept 57-81 MB of young generation in use while writing a chain).
 */
function csvNumbers(values: readonly number[]): string {
  let plain = true;
  for (const v of values) {
    if (!Number.isFinite(v) || Object.is(v, -0)) {
      plain = false;
      break;
    }
  }
  return plain ? JSON.stringify(values).slice(1, -1) : values.map(formatNumber).join(',');
}

/** Element indices of a shape in column-major order (Stan's order: first index fastest). */
function columnMajorIndices(shape: readonly number[]): number[][] {
  const k = shapeSize(shape);
  const out: number[][] = [];
  for (let f = 0; f < k; f++) {
    const idx = new Array<number>(shape.length);
    let rest = f;
    for (let a = 0; a < shape.length; a++) {
      idx[a] = rest % shape[a];
      rest = Math.floor(rest / shape[a]);
    }
    out.push(idx);
  }
  return out;
}

/**
 * Writes one chain as a CmdStan CSV file: `#` configuration comments, the sampler columns
 * (`lp__`, `accept_stat__`, `stepsize__`, `treedepth__`, `n_leapfrog__`, `divergent__`,
 * `energy__`, from the ArviZ-named `sample_stats` present), then every posterior element named
 * CmdStan-style (`alpha.1`, `L.2.1`: 1-based, column-major order). Only the sampling draws are
 * written (nutmeg does not keep warm-up draws in `posterior`). Numbers are written to full
 * precision.
 *
 * The whole text is one string, which V8 caps at 2^29 − 24 characters (about 25 million numbers):
 * to write a file of any size, pass {@link stanCsvChunks} to `writeFileAtomic` (`nutmeg/node`).
 *
 * @param idata - results
 * @param chain - 0-based chain index
 * @returns the CSV text
 * @throws InputError when the chain does not exist, there is no posterior group, or a posterior
 *   variable's name ends in `__` (reserved for sampler columns)
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * import { toStanCsv, type InferenceData } from 'nutmeg';
 * declare const idata: InferenceData;
 * for (let c = 0; c < idata.nChains; c++) writeFileSync(`out-${c + 1}.csv`, toStanCsv(idata, c));
 * ```
 */
export function toStanCsv(idata: InferenceData, chain: number): string {
  return [...writeStanCsv(stanCsvLayout(idata, chain, 'toStanCsv'), new TextChunks())].join('');
}

/**
 * The text of `toStanCsv(idata, chain)` as a sequence of chunks of about `chunkChars` characters
 * each (default 64 KiB), produced as they are consumed: a chain of any length and
 * width is written without holding its text in memory. Joined, the chunks are exactly
 * `toStanCsv(idata, chain)`.
 *
 * @param idata - results
 * @param chain - 0-based chain index
 * @param options - `chunkChars`, the chunk size in characters
 * @returns a generator of strings; argument errors are thrown by this call, before any chunk
 * @throws InputError as {@link toStanCsv}; RangeError for a bad `chunkChars`
 * @example
 * ```ts
 * import { stanCsvChunks, type InferenceData } from 'nutmeg';
 * import { writeFileAtomic } from 'nutmeg/node';
 * declare const idata: InferenceData;
 * for (let c = 0; c < idata.nChains; c++) await writeFileAtomic(`out-${c + 1}.csv`, stanCsvChunks(idata, c));
 * ```
 */
export function stanCsvChunks(idata: InferenceData, chain: number, options: ChunkOptions = {}): Generator<string, void, undefined> {
  return writeStanCsv(stanCsvLayout(idata, chain, 'stanCsvChunks'), new TextChunks(options));
}

/** What a chain's CSV holds: its comment lines, column names, and a getter per column. */
interface StanCsvLayout {
  readonly header: readonly string[];
  readonly names: readonly string[];
  readonly getters: readonly ((d: number) => number)[];
  readonly nDraws: number;
}

/** The columns and header of one chain's CSV, checked. */
function stanCsvLayout(idata: InferenceData, chain: number, fn: string): StanCsvLayout {
  checkInferenceData(idata, fn);
  if (!Number.isInteger(chain) || chain < 0 || chain >= idata.nChains) {
    throw new InputError(`${fn}: chain ${chain} does not exist (the results have ${idata.nChains} chains, numbered from 0)`);
  }
  const post = idata.groups.posterior;
  if (!post) throw new InputError(`${fn}: the results have no 'posterior' group`);
  const stats = idata.groups.sample_stats?.vars ?? {};
  const names: string[] = [];
  const getters: ((d: number) => number)[] = [];
  const nDraws = idata.nDraws;
  for (const [stan, arviz] of STAN_SAMPLE_STATS) {
    const v = stats[arviz];
    if (!v || shapeSize(v.shape) !== 1) continue;
    names.push(stan);
    getters.push((d) => v.values[chain * nDraws + d]);
  }
  for (const [name, v] of Object.entries(post.vars)) {
    if (name.endsWith('__')) {
      throw new InputError(`${fn}: posterior variable ${showColumn(name)} ends in '__', which CmdStan CSV reserves for sampler columns (it would be read back as one); rename it`);
    }
    const k = shapeSize(v.shape);
    if (v.shape.length === 0) {
      names.push(name);
      getters.push((d) => v.values[chain * nDraws + d]);
      continue;
    }
    for (const idx of columnMajorIndices(v.shape)) {
      const f = flatten(idx, v.shape);
      names.push(`${name}.${idx.map((i) => i + 1).join('.')}`);
      getters.push((d) => v.values[(chain * nDraws + d) * k + f]);
    }
  }
  const a = idata.attrs;
  const num = (key: string): unknown => a[key];
  const header = [
    `# model = ${String(a.model_name ?? a.model ?? 'nutmeg')}`,
    '# method = sample (Default)',
    '#   sample',
    `#     num_samples = ${nDraws}`,
    `#     num_warmup = ${String(num('tune') ?? num('num_warmup') ?? 0)}`,
    '#     save_warmup = 0',
    '#     thin = 1',
    '#     adapt',
    '#       engaged = 1',
    ...(a.target_accept !== undefined || a.targetAccept !== undefined
      ? [`#       delta = ${String(a.target_accept ?? a.targetAccept)}`]
      : []),
    '#     algorithm = hmc (Default)',
    '#       hmc',
    '#         engine = nuts (Default)',
    '#           nuts',
    `#             max_depth = ${String(a.max_tree_depth ?? a.maxTreeDepth ?? 10)}`,
    `# id = ${chain + 1}`,
    ...(a.seed !== undefined ? ['# random', `#   seed = ${String(a.seed)}`] : []),
    `# nutmeg_version = ${String(a.nutmeg_version ?? a.version ?? 'unknown')}`,
  ];
  return { header, names, getters, nDraws };
}

/**
 * The CSV's lines, each ended by `\n`, a chunk at a time. A row of many columns (20,000
 * parameters: 390 KB) is formatted a few thousand numbers at a time, so that no piece is large
 * enough to outlive V8's young generation (whole rows left 85 MB of garbage behind, pieces 20 MB).
 */
function* writeStanCsv(layout: StanCsvLayout, buf: TextChunks): Generator<string, void, undefined> {
  const { header, names, getters, nDraws } = layout;
  for (const line of header) buf.add(`${line}\n`);
  const n = getters.length;
  for (let from = 0; from < n; from += NUMBERS_PER_PIECE) {
    const to = Math.min(n, from + NUMBERS_PER_PIECE);
    buf.add(`${names.slice(from, to).join(',')}${to === n ? '' : ','}`);
    if (buf.full()) yield buf.take();
  }
  buf.add('\n');
  const piece = new Array<number>(Math.min(n, NUMBERS_PER_PIECE));
  for (let d = 0; d < nDraws; d++) {
    for (let from = 0; from < n; from += NUMBERS_PER_PIECE) {
      const to = Math.min(n, from + NUMBERS_PER_PIECE);
      if (to - from !== piece.length) piece.length = to - from;
      for (let j = from; j < to; j++) piece[j - from] = getters[j](d);
      buf.add(`${csvNumbers(piece)}${to === n ? '\n' : ','}`);
      if (buf.full()) yield buf.take();
    }
    if (n === 0) buf.add('\n');
  }
  if (buf.pending()) yield buf.take();
}

/** `alpha.2.3` → base `alpha`, 0-based indices [1, 2]; a plain name has no indices. */
function parseColumnName(col: string): { base: string; index: number[] } {
  const m = /^(.+?)((?:\.\d+)+)$/.exec(col);
  if (!m) return { base: col, index: [] };
  return { base: m[1], index: m[2].slice(1).split('.').map((s) => Number(s) - 1) };
}

/** The settings that must agree across the chains of one run (cmdstanr's `check_csv_metadata_matches`). */
const SAME_RUN_KEYS = ['model', 'method', 'num_samples', 'num_warmup', 'save_warmup', 'thin', 'algorithm', 'engine', 'metric', 'max_depth', 'engaged', 'delta'];

/** Refuses chains from different models, methods or sampler settings, or with different columns or lengths. */
function checkSameRun(chains: readonly StanCsvChain[]): void {
  const first = chains[0];
  for (const p of chains.slice(1)) {
    for (const key of SAME_RUN_KEYS) {
      const a = first.header.config.get(key);
      const b = p.header.config.get(key);
      if (a !== b) {
        const show = (v: string | undefined): string => (v === undefined ? '(not set)' : showText(v, 60));
        throw new InputError(
          `${p.name} and ${first.name} are not chains of one run: their headers differ in '${key}' (${show(b)} vs ${show(a)}); summarise them separately`,
        );
      }
    }
    if (p.columns.join(',') !== first.columns.join(',')) {
      const missing = first.columns.filter((c) => !p.columns.includes(c));
      const extra = p.columns.filter((c) => !first.columns.includes(c));
      const list = (cs: string[]): string => (cs.length === 0 ? 'none' : cs.slice(0, 5).map((c) => showText(c, 30).slice(1, -1)).join(', ') + (cs.length > 5 ? ', …' : ''));
      const detail = missing.length + extra.length > 0 ? ` (missing: ${list(missing)}; extra: ${list(extra)})` : ' (same columns in a different order)';
      throw new InputError(`${p.name}: its columns differ from ${first.name}'s${detail}`);
    }
    if (p.rows.length !== first.rows.length) {
      throw new InputError(`${p.name}: ${p.rows.length} draws, but ${first.name} has ${first.rows.length}; chains must have the same number of draws`);
    }
  }
}

/** The posterior variables of the chains' model columns: `alpha.1`, `alpha.2` gathered into `alpha`. */
function gatherParameters(chains: readonly StanCsvChain[], columnOf: (j: number) => Float64Array): Record<string, VariableArray> {
  const first = chains[0];
  const nChains = chains.length;
  const nDraws = first.rows.length;
  const paramCols = new Map<string, { index: number[]; col: number }[]>();
  first.columns.forEach((col, j) => {
    if (col.endsWith('__')) return;
    const { base, index } = parseColumnName(col);
    if (index.some((i) => i < 0 || !Number.isSafeInteger(i))) {
      throw new InputError(`${first.name}: column ${showText(col)}: indices start at 1 in CmdStan's column names`);
    }
    const list = paramCols.get(base) ?? [];
    if (list.length > 0 && (list[0].index.length === 0) !== (index.length === 0)) {
      throw new InputError(`${first.name}: variable ${showColumn(base)} appears both as a scalar and with indices (${showText(col)})`);
    }
    list.push({ index, col: j });
    paramCols.set(base, list);
  });
  const post: Record<string, VariableArray> = Object.create(null) as Record<string, VariableArray>;
  for (const [base, list] of paramCols) {
    if (list[0].index.length === 0) {
      post[base] = { dims: [], shape: [], values: columnOf(list[0].col) };
      continue;
    }
    const rank = list[0].index.length;
    if (list.some((e) => e.index.length !== rank)) {
      throw new InputError(`${first.name}: variable ${showColumn(base)} has columns with different numbers of indices`);
    }
    const shape = new Array<number>(rank).fill(0);
    for (const e of list) for (let a = 0; a < rank; a++) shape[a] = Math.max(shape[a], e.index[a] + 1);
    const k = shapeSize(shape);
    if (list.length !== k) {
      // Name the first missing element when the implied array is small enough to search.
      let missing = '';
      if (k <= 1e6) {
        const have = new Set(list.map((e) => e.index.join(',')));
        for (let f = 0; f < k && missing === ''; f++) {
          const idx = unflatten(f, shape);
          if (!have.has(idx.join(','))) missing = ` column ${showColumn(`${base}.${idx.map((i) => i + 1).join('.')}`, '')} is missing`;
        }
      }
      throw new InputError(
        `${first.name}: variable ${showColumn(base)}:${missing ? `${missing};` : ' columns are missing:'} the largest indices imply shape [${shortList(shape)}], ${k} elements, but there are ${list.length} columns`,
      );
    }
    const values = new Float64Array(nChains * nDraws * k);
    for (const e of list) {
      const f = flatten(e.index, shape);
      for (let c = 0; c < nChains; c++) {
        const rows = chains[c].rows;
        for (let d = 0; d < nDraws; d++) values[(c * nDraws + d) * k + f] = rows[d][e.col];
      }
    }
    post[base] = { dims: shape.map((_, a) => `${base}_dim_${a}`), shape, values };
  }
  return { ...post };
}

/**
 * Gathers chains read by {@link StanCsvChainReader} (or {@link readStanCsvChain}) into results; see
 * {@link fromStanCsv}.
 *
 * @param chains - one per chain, in chain order
 * @returns the results
 * @throws InputError for no chains, or chains that are not one run (see {@link fromStanCsv})
 * @example
 * ```ts
 * declare const chains: Parameters<typeof fromStanCsvChains>[0]; // e.g. from StanCsvChainReader, one per file
 * const idata = fromStanCsvChains(chains);
 * idata.nChains === chains.length; // true
 * ```
 */
export function fromStanCsvChains(chains: readonly StanCsvChain[]): InferenceData {
  arrayArgument(chains, 'chains', 'fromStanCsvChains', 'chains read by StanCsvChainReader or readStanCsvChain');
  chains.forEach((c, i) => {
    if (c === null || typeof c !== 'object' || !Array.isArray((c as Partial<StanCsvChain>).columns)) {
      throw new OptionError('chains', `fromStanCsvChains: element ${i} is not a chain read by StanCsvChainReader or readStanCsvChain, got ${describeValue(c)}`);
    }
  });
  if (chains.length === 0) throw new InputError('fromStanCsv: no files given');
  checkSameRun(chains);
  const first = chains[0];
  const nChains = chains.length;
  const nDraws = first.rows.length;
  const statName = new Map<string, string>(STAN_SAMPLE_STATS.map(([s, a]) => [s, a]));
  const columnOf = (j: number): Float64Array => {
    const out = new Float64Array(nChains * nDraws);
    for (let c = 0; c < nChains; c++) for (let d = 0; d < nDraws; d++) out[c * nDraws + d] = chains[c].rows[d][j];
    return out;
  };
  const statVars: Record<string, VariableArray> = {};
  first.columns.forEach((col, j) => {
    if (!col.endsWith('__')) return;
    const name = statName.get(col) ?? col.replace(/__$/, '');
    Object.defineProperty(statVars, name, { value: { dims: [], shape: [], values: columnOf(j) }, enumerable: true, configurable: true, writable: true });
  });
  const post = gatherParameters(chains, columnOf);
  const groups: Partial<Record<'posterior' | 'sample_stats', Group>> = {
    posterior: { vars: post, attrs: {} },
  };
  if (Object.keys(statVars).length > 0) groups.sample_stats = { vars: statVars, attrs: {} };
  const h = first.header;
  const attrs: Record<string, unknown> = { source: 'CmdStan CSV', files: chains.map((p) => p.name) };
  if (h.model !== undefined) attrs.model_name = h.model;
  if (h.stanVersion !== undefined) attrs.stan_version = h.stanVersion;
  if (h.sample) {
    attrs.num_samples = h.sample.numSamples;
    attrs.num_warmup = h.sample.numWarmup;
    attrs.thin = h.sample.thin;
    attrs.save_warmup = h.sample.saveWarmup;
    if (h.sample.algorithm !== undefined) attrs.algorithm = h.sample.algorithm;
    if (h.sample.metric !== undefined) attrs.metric = h.sample.metric;
    if (h.sample.maxDepth !== undefined) attrs.max_tree_depth = h.sample.maxDepth;
    if (h.sample.delta !== undefined) attrs.target_accept = h.sample.delta;
  }
  const steps = chains.map((c) => c.header.adaptation?.stepSize);
  if (steps.every((s) => s !== undefined)) attrs.step_size = steps;
  const totals = chains.map((c) => c.header.elapsedSeconds.total);
  if (totals.every((t) => t !== undefined)) attrs.sampling_time = totals;
  return { nChains, nDraws, groups, coords: {}, attrs };
}

/** Throws unless `texts` is an array of `{ name, text }` with string fields (one per chain). */
function checkStanCsvArgument(texts: unknown): void {
  const usage = "fromStanCsv needs an array of { name, text }, one per chain (e.g. [{ name: 'out-1.csv', text: readFileSync('out-1.csv', 'utf8') }])";
  if (!Array.isArray(texts)) {
    const got = typeof texts === 'string' ? 'a string (wrap it: [{ name, text }])' : texts === null ? 'null' : typeof texts;
    throw new OptionError('texts', `${usage}, got ${got}`);
  }
  texts.forEach((t: unknown, i) => {
    const f = t as { name?: unknown; text?: unknown } | null;
    if (f === null || typeof f !== 'object' || typeof f.name !== 'string' || typeof f.text !== 'string') {
      const what = f === null || typeof f !== 'object' ? (f === null ? 'null' : typeof f) : `an object whose ${typeof f.name !== 'string' ? 'name' : 'text'} is ${typeof f.name !== 'string' ? typeof f.name : typeof f.text}`;
      throw new OptionError('texts', `${usage}; element ${i} is ${what}`);
    }
  });
}

/**
 * Reads CmdStan CSV files, one per chain, into results, as Stan's own readers do (cmdstanpy,
 * cmdstanr). The `#` header is read ({@link StanCsvHeader}): only `method = sample` output is read
 * (optimize, variational, pathfinder, laplace, diagnose and generate_quantities output is refused,
 * naming the method and what its rows are); the chains must share model, method and sampler
 * settings (num_samples, num_warmup, save_warmup, thin, algorithm, engine, metric, max_depth,
 * adaptation); each must hold the rows its header promises (`ceil(num_samples / thin)`, plus
 * `ceil(num_warmup / thin)` warm-up rows with save_warmup, which are dropped). A file without
 * CmdStan's configuration comments is read as is.
 *
 * Columns ending in `__` (Stan reserves the suffix) are sampler diagnostics and become ArviZ-named
 * `sample_stats` (`lp`, `acceptance_rate`, `step_size`, `tree_depth`, `n_steps`, `diverging`,
 * `energy`; other `name__` columns keep their name without the underscores); every other column is
 * a posterior element, `alpha.1` becoming `alpha[0]` (0-based, gathered into one variable). A
 * column named like a sampler diagnostic without `__` (`lp`, `accept_stat`) in a file with no `__`
 * column is refused rather than misread as a parameter.
 *
 * @param texts - the files' names (for messages) and contents, in chain order
 * @returns the results
 * @throws InputError naming the file, line, column and variable of a bad cell, a ragged row, another
 *   method's output, an incomplete chain, chains whose headers (naming the key), columns or numbers
 *   of draws differ, or incomplete array parameters; OptionError (`texts`) when the argument is not
 *   an array of `{ name, text }` strings
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { fromStanCsv } from 'nutmeg';
 * const files = ['out-1.csv', 'out-2.csv'].map((name) => ({ name, text: readFileSync(name, 'utf8') }));
 * const idata = fromStanCsv(files); // one chain per file
 * ```
 */
export function fromStanCsv(texts: readonly { name: string; text: string }[]): InferenceData {
  checkStanCsvArgument(texts);
  if (texts.length === 0) throw new InputError('fromStanCsv: no files given');
  return fromStanCsvChains(texts.map((t) => readStanCsvChain(t.name, t.text)));
}
