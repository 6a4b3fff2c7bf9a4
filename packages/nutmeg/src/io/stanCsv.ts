// CmdStan CSV (one file per chain) ↔ InferenceData: sampler diagnostics as sample_stats, parameters as posterior.
//
// CmdStan's CSV is a narrow dialect: `#` comment blocks (configuration before the header, adaptation
// results after it, timings at the end), a header row, then one row of unquoted numbers per draw.
// There is no quoting or escaping to handle, and we want each bad cell reported by file, line,
// column and variable, so a dedicated line parser is used rather than a general CSV library.
import { InputError, OptionError } from '../core/errors.js';
import type { Group, InferenceData, VariableArray } from '../posterior/inferenceData.js';
import { shapeSize } from '../posterior/inferenceData.js';
import { flatten, unflatten } from './drawsJson.js';

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

/** A number as CmdStan writes it: shortest round-trip decimal, `nan`, `inf`, `-inf`. */
function formatNumber(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  return String(v);
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
 * @param idata - results
 * @param chain - 0-based chain index
 * @returns the CSV text
 * @throws InputError when the chain does not exist or there is no posterior group
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * import { toStanCsv, type InferenceData } from 'nutmeg';
 * declare const idata: InferenceData;
 * for (let c = 0; c < idata.nChains; c++) writeFileSync(`out-${c + 1}.csv`, toStanCsv(idata, c));
 * ```
 */
export function toStanCsv(idata: InferenceData, chain: number): string {
  if (!Number.isInteger(chain) || chain < 0 || chain >= idata.nChains) {
    throw new InputError(`toStanCsv: chain ${chain} does not exist (the results have ${idata.nChains} chains, numbered from 0)`);
  }
  const post = idata.groups.posterior;
  if (!post) throw new InputError("toStanCsv: the results have no 'posterior' group");
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
  const lines = [...header, names.join(',')];
  const row = new Array<string>(names.length);
  for (let d = 0; d < nDraws; d++) {
    for (let j = 0; j < getters.length; j++) row[j] = formatNumber(getters[j](d));
    lines.push(row.join(','));
  }
  return lines.join('\n') + '\n';
}

/** Parses one cell as CmdStan writes numbers (`nan`, `inf`, `-inf` included); undefined if not a number. */
function parseCell(s: string): number | undefined {
  const t = s.trim();
  if (t === '') return undefined;
  const n = Number(t);
  if (!Number.isNaN(n)) return n;
  const l = t.toLowerCase();
  if (l === 'nan' || l === '-nan') return NaN;
  if (l === 'inf' || l === '+inf' || l === 'infinity') return Infinity;
  if (l === '-inf' || l === '-infinity') return -Infinity;
  return undefined;
}

interface ParsedCsv {
  name: string;
  columns: string[];
  rows: Float64Array[];
  config: Record<string, string>;
}

/** Parses one CmdStan CSV file, dropping saved warm-up draws. */
function parseOne(name: string, text: string): ParsedCsv {
  const lines = text.split(/\r?\n/);
  const config: Record<string, string> = {};
  let columns: string[] | undefined;
  const rows: Float64Array[] = [];
  for (let ln = 0; ln < lines.length; ln++) {
    const line = lines[ln];
    if (line.trim() === '') continue;
    if (line.startsWith('#')) {
      const m = /^#\s*([A-Za-z_][\w]*)\s*=\s*(.*?)\s*(?:\(Default\))?\s*$/.exec(line);
      if (m && !(m[1] in config)) config[m[1]] = m[2];
      continue;
    }
    const cells = line.split(',');
    if (!columns) {
      columns = cells.map((c) => c.trim());
      const seen = new Set<string>();
      for (const c of columns) {
        if (c === '') throw new InputError(`${name}: line ${ln + 1}: the header has an empty column name`);
        if (seen.has(c)) throw new InputError(`${name}: line ${ln + 1}: column '${c}' appears twice in the header`);
        seen.add(c);
      }
      continue;
    }
    if (cells.length !== columns.length) {
      throw new InputError(`${name}: line ${ln + 1}: ${cells.length} values where the header has ${columns.length} columns`);
    }
    const r = new Float64Array(cells.length);
    for (let j = 0; j < cells.length; j++) {
      const v = parseCell(cells[j]);
      if (v === undefined) {
        throw new InputError(`${name}: line ${ln + 1}, column ${j + 1} ('${columns[j]}'): expected a number, got ${JSON.stringify(cells[j])}`);
      }
      r[j] = v;
    }
    rows.push(r);
  }
  if (!columns) throw new InputError(`${name}: no header row (is this a CmdStan CSV file?)`);
  const saveWarmup = config.save_warmup === '1' || config.save_warmup === 'true';
  if (saveWarmup) {
    const warm = Number(config.num_warmup ?? 0);
    const thin = Math.max(1, Number(config.thin ?? 1));
    const drop = Math.ceil(warm / thin);
    if (Number.isFinite(drop) && drop > 0) rows.splice(0, Math.min(drop, rows.length));
  }
  return { name, columns, rows, config };
}

/** `alpha.2.3` → base `alpha`, 0-based indices [1, 2]; a plain name has no indices. */
function parseColumnName(col: string): { base: string; index: number[] } {
  const m = /^(.+?)((?:\.\d+)+)$/.exec(col);
  if (!m) return { base: col, index: [] };
  return { base: m[1], index: m[2].slice(1).split('.').map((s) => Number(s) - 1) };
}

/** Throws unless `texts` is an array of `{ name, text }` with string fields (one per chain). */
function checkStanCsvArgument(texts: unknown): void {
  const usage = "fromStanCsv needs an array of { name, text }, one per chain (e.g. [{ name: 'out-1.csv', text: readFileSync('out-1.csv', 'utf8') }])";
  if (!Array.isArray(texts)) {
    const got = typeof texts === 'string' ? 'a string (wrap it: [{ name, text }])' : texts === null ? 'null' : Array.isArray(texts) ? 'an array' : typeof texts;
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
 * Reads CmdStan CSV files, one per chain, into results: the sampler columns become ArviZ-named
 * `sample_stats` (`lp`, `acceptance_rate`, `step_size`, `tree_depth`, `n_steps`, `diverging`,
 * `energy`; other `name__` columns keep their name without the underscores), every other column a
 * posterior element, `alpha.1` becoming `alpha[0]` (0-based, gathered into one variable). Warm-up
 * draws saved with `save_warmup` are dropped.
 *
 * @param texts - the files' names (for messages) and contents, in chain order
 * @returns the results
 * @throws InputError naming the file, line, column and variable of a bad cell, a ragged row, files
 *   whose columns or numbers of draws differ, or incomplete array parameters; OptionError (`texts`)
 *   when the argument is not an array of `{ name, text }` strings
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
  const parsed = texts.map((t) => parseOne(t.name, t.text));
  const first = parsed[0];
  for (const p of parsed.slice(1)) {
    if (p.columns.join(',') !== first.columns.join(',')) {
      const missing = first.columns.filter((c) => !p.columns.includes(c));
      const extra = p.columns.filter((c) => !first.columns.includes(c));
      const detail = missing.length + extra.length > 0
        ? ` (missing: ${missing.slice(0, 5).join(', ') || 'none'}; extra: ${extra.slice(0, 5).join(', ') || 'none'})`
        : ' (same columns in a different order)';
      throw new InputError(`${p.name}: its columns differ from ${first.name}'s${detail}`);
    }
    if (p.rows.length !== first.rows.length) {
      throw new InputError(`${p.name}: ${p.rows.length} draws, but ${first.name} has ${first.rows.length}; chains must have the same number of draws`);
    }
  }
  const nChains = parsed.length;
  const nDraws = first.rows.length;
  const statName = new Map<string, string>(STAN_SAMPLE_STATS.map(([s, a]) => [s, a]));
  const statVars: Record<string, VariableArray> = {};
  const columnOf = (j: number): Float64Array => {
    const out = new Float64Array(nChains * nDraws);
    for (let c = 0; c < nChains; c++) for (let d = 0; d < nDraws; d++) out[c * nDraws + d] = parsed[c].rows[d][j];
    return out;
  };
  const paramCols = new Map<string, { index: number[]; col: number }[]>();
  first.columns.forEach((col, j) => {
    if (col.endsWith('__')) {
      statVars[statName.get(col) ?? col.replace(/__$/, '')] = { dims: [], shape: [], values: columnOf(j) };
      return;
    }
    const { base, index } = parseColumnName(col);
    const list = paramCols.get(base) ?? [];
    if (list.length > 0 && (list[0].index.length === 0) !== (index.length === 0)) {
      throw new InputError(`${first.name}: variable '${base}' appears both as a scalar and with indices ('${col}')`);
    }
    list.push({ index, col: j });
    paramCols.set(base, list);
  });
  const post: Record<string, VariableArray> = {};
  for (const [base, list] of paramCols) {
    if (list[0].index.length === 0) {
      post[base] = { dims: [], shape: [], values: columnOf(list[0].col) };
      continue;
    }
    const rank = list[0].index.length;
    if (list.some((e) => e.index.length !== rank)) {
      throw new InputError(`${first.name}: variable '${base}' has columns with different numbers of indices`);
    }
    const shape = new Array<number>(rank).fill(0);
    for (const e of list) for (let a = 0; a < rank; a++) shape[a] = Math.max(shape[a], e.index[a] + 1);
    const k = shapeSize(shape);
    if (list.length !== k) {
      const have = new Set(list.map((e) => e.index.join(',')));
      let missing = '';
      for (let f = 0; f < k; f++) {
        const idx = unflatten(f, shape);
        if (!have.has(idx.join(','))) {
          missing = `${base}.${idx.map((i) => i + 1).join('.')}`;
          break;
        }
      }
      throw new InputError(`${first.name}: variable '${base}': column ${missing} is missing (the largest indices imply shape [${shape.join(', ')}])`);
    }
    const values = new Float64Array(nChains * nDraws * k);
    for (const e of list) {
      const f = flatten(e.index, shape);
      const col = e.col;
      for (let c = 0; c < nChains; c++) {
        const rows = parsed[c].rows;
        for (let d = 0; d < nDraws; d++) values[(c * nDraws + d) * k + f] = rows[d][col];
      }
    }
    post[base] = { dims: shape.map((_, a) => `${base}_dim_${a}`), shape, values };
  }
  const groups: Partial<Record<'posterior' | 'sample_stats', Group>> = {
    posterior: { vars: post, attrs: {} },
  };
  if (Object.keys(statVars).length > 0) groups.sample_stats = { vars: statVars, attrs: {} };
  const attrs: Record<string, unknown> = { source: 'CmdStan CSV', files: parsed.map((p) => p.name) };
  if (first.config.model !== undefined) attrs.model_name = first.config.model;
  if (first.config.num_warmup !== undefined) attrs.num_warmup = Number(first.config.num_warmup);
  if (first.config.max_depth !== undefined) attrs.max_tree_depth = Number(first.config.max_depth);
  if (first.config.delta !== undefined) attrs.target_accept = Number(first.config.delta);
  return { nChains, nDraws, groups, coords: {}, attrs };
}
