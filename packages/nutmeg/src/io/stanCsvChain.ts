// One CmdStan CSV file read line by line into its header, columns and draws, checked against what the header promises.
//
// CmdStan's CSV is a narrow dialect: `#` comment blocks (configuration before the column header,
// adaptation results after it, timings at the end), a header row, then one row of unquoted numbers
// per draw. There is no quoting or escaping to handle, and we want each bad cell reported by file,
// line, column and variable, so a dedicated line parser is used rather than a general CSV library.
// Lines are pushed one at a time so that a caller can stream a large file.
import { stringArgument } from '../core/argumentChecks.js';
import { InputError } from '../core/errors.js';
import { STAN_METHOD_OUTPUT, StanCsvHeaderReader, type StanCsvHeader } from './stanCsvHeader.js';

/** Sampler diagnostics CmdStan writes, without their `__` suffix. */
const SAMPLER_BASES = ['lp', 'accept_stat', 'stepsize', 'treedepth', 'n_leapfrog', 'divergent', 'energy'];

/** One chain: its header, column names and sampling draws (warm-up rows dropped). */
export interface StanCsvChain {
  /** The file's name, for messages. */
  readonly name: string;
  readonly header: StanCsvHeader;
  readonly columns: readonly string[];
  /** Sampling draws, one row per draw (saved warm-up rows removed). */
  readonly rows: readonly Float64Array[];
  /** Warm-up rows that were in the file and dropped. */
  readonly warmupRowsDropped: number;
}

/** Control, format and replacement characters, lone surrogates: shown as `\\uXXXX` rather than as themselves. */
function isInvisible(code: number): boolean {
  return (
    code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0xad || (code >= 0x200b && code <= 0x200f) ||
    (code >= 0x2028 && code <= 0x202e) || (code >= 0x2060 && code <= 0x206f) || code === 0xfeff ||
    (code >= 0xfff9 && code <= 0xfffd) || (code >= 0xd800 && code <= 0xdfff) || (code >= 0xe0000 && code <= 0xe007f)
  );
}

/**
 * Shows a piece of a user's file in a message: quoted, control and invisible characters escaped
 * (`\u0000`), cut to `max` characters.
 *
 * @param s - text from the file
 * @param max - longest rendering kept (default 40)
 * @returns the quoted, escaped text
 */
export function showText(s: string, max = 40): string {
  const cut = s.length > max ? s.slice(0, max) : s;
  let escaped = '';
  for (const ch of cut) {
    const code = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') escaped += `\\${ch}`;
    else if (isInvisible(code)) escaped += code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`;
    else escaped += ch;
  }
  return `"${escaped}${s.length > max ? '…' : ''}"`;
}

/**
 * A column or variable name in a message: as is (between `quote`s) when plain, else quoted and escaped.
 *
 * @param c - the name
 * @param quote - put around a plain name (default `'`)
 * @returns the name for a message
 */
export function showColumn(c: string, quote = "'"): string {
  return /^[\w.]{1,60}$/.test(c) ? `${quote}${c}${quote}` : showText(c);
}

/** Parses one cell as CmdStan writes numbers (`nan`, `inf`, `-inf` included); undefined if not a number. */
function parseCell(s: string): number | undefined {
  const t = s.trim();
  if (t === '' || t.length > 400) return undefined;
  const n = Number(t);
  if (!Number.isNaN(n)) return /^0[xob]/i.test(t.replace(/^[-+]/, '')) ? undefined : n;
  const l = t.toLowerCase();
  if (l === 'nan' || l === '-nan' || l === '+nan') return NaN;
  if (l === 'inf' || l === '+inf' || l === 'infinity' || l === '+infinity') return Infinity;
  if (l === '-inf' || l === '-infinity') return -Infinity;
  return undefined;
}

/** A whole number ≥ `min` from the header, or an InputError naming the file, the key and the text. */
function headerCount(name: string, header: StanCsvHeader, key: string, v: number, min: number): number {
  if (!Number.isSafeInteger(v) || v < min) {
    throw new InputError(`${name}: the header's ${key} = ${showText(header.config.get(key) ?? String(v))} is not a whole number ≥ ${min}`);
  }
  return v;
}

/**
 * Reads one CmdStan CSV file pushed line by line (so that a large file can be streamed);
 * {@link StanCsvChainReader.end} checks it and returns the chain.
 *
 * @example
 * ```ts
 * const reader = new StanCsvChainReader('out-1.csv');
 * for (const line of ['# method = sample', '#   num_samples = 2', 'lp__,theta', '-7.1,0.25', '-6.9,0.31']) reader.line(line);
 * const chain = reader.end();
 * chain.rows.length; // 2
 * chain.header.sample?.numSamples; // 2
 * ```
 */
export class StanCsvChainReader {
  private readonly headerReader = new StanCsvHeaderReader();
  private columns: string[] | undefined;
  private readonly rows: Float64Array[] = [];
  private lineNo = 0;

  /** @param name - the file's name, for messages */
  constructor(readonly name: string) {}

  /**
   * Takes the file's next line (without its line break; a trailing `\r` and a leading BOM are ignored).
   *
   * @param raw - the line
   * @throws InputError naming the file, line and column of a bad header or cell, a ragged row, or a
   *   method other than `sample`
   */
  line(raw: string): void {
    this.lineNo++;
    let line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (this.lineNo === 1 && line.startsWith('\ufeff')) line = line.slice(1);
    if (line.trim() === '') return;
    if (line.startsWith('#')) {
      this.headerReader.comment(line, this.columns !== undefined);
      return;
    }
    const cells = line.split(',');
    if (!this.columns) {
      this.columns = this.readColumns(cells);
      return;
    }
    const columns = this.columns;
    if (cells.length !== columns.length) {
      throw new InputError(`${this.name}: line ${this.lineNo}: ${cells.length} values where the header has ${columns.length} columns`);
    }
    const r = new Float64Array(cells.length);
    for (let j = 0; j < cells.length; j++) {
      const v = parseCell(cells[j]);
      if (v === undefined) {
        throw new InputError(`${this.name}: line ${this.lineNo}, column ${j + 1} (${showColumn(columns[j])}): expected a number, got ${showText(cells[j])}`);
      }
      r[j] = v;
    }
    this.rows.push(r);
  }

  private readColumns(cells: string[]): string[] {
    this.refuseOtherMethods();
    const columns = cells.map((c) => c.trim());
    const seen = new Set<string>();
    for (const c of columns) {
      if (c === '') throw new InputError(`${this.name}: line ${this.lineNo}: the header has an empty column name`);
      if (seen.has(c)) throw new InputError(`${this.name}: line ${this.lineNo}: column ${showColumn(c)} appears twice in the header`);
      seen.add(c);
    }
    // Stan reserves the `__` suffix: columns ending in it are the sampler's, all others the model's.
    // A sampler name without it (`lp`, `accept_stat`) in a file with no `__` column at all is not
    // CmdStan's output, and reading it as a parameter would be a misreading: refuse it.
    if (!columns.some((c) => c.endsWith('__'))) {
      const bare = columns.find((c) => SAMPLER_BASES.includes(c));
      if (bare !== undefined) {
        throw new InputError(
          `${this.name}: column '${bare}' is named like CmdStan's sampler column '${bare}__' but lacks the '__', and the file has no sampler columns: ` +
            `nutmeg reads only columns ending in '__' as sampler diagnostics (Stan reserves that suffix). Rename it '${bare}__' if it is the sampler's`,
        );
      }
    }
    return columns;
  }

  private refuseOtherMethods(): void {
    const method = this.headerReader.header().method;
    if (method === undefined || method === 'sample') return;
    const what = STAN_METHOD_OUTPUT[method] ?? 'not MCMC draws';
    throw new InputError(`${this.name}: CmdStan '${showText(method).slice(1, -1)}' output: ${what}. Only 'method = sample' output is read as MCMC draws`);
  }

  /**
   * Ends the file: checks the number of rows against the header's `num_samples`, `num_warmup`,
   * `save_warmup` and `thin` (when the file has CmdStan's configuration comments) and drops warm-up rows.
   *
   * @returns the chain
   * @throws InputError for a file without a column header, another method's output, or a chain
   *   with fewer (or more) rows than its header says
   */
  end(): StanCsvChain {
    const header = this.headerReader.header();
    this.refuseOtherMethods();
    if (!this.columns) throw new InputError(`${this.name}: no header row (is this a CmdStan CSV file?)`);
    let rows = this.rows;
    let dropped = 0;
    const s = header.sample;
    if (s) {
      const thin = headerCount(this.name, header, 'thin', s.thin, 1);
      const numSamples = headerCount(this.name, header, 'num_samples', s.numSamples, 0);
      const numWarmup = headerCount(this.name, header, 'num_warmup', s.numWarmup, 0);
      const sampling = Math.ceil(numSamples / thin);
      const warmup = s.saveWarmup ? Math.ceil(numWarmup / thin) : 0;
      const expected = sampling + warmup;
      // CmdStan's fixed_param sampler skips warm-up, so it may have written none.
      const fixedNoWarmup = s.algorithm === 'fixed_param' && rows.length === sampling;
      if (rows.length !== expected && !fixedNoWarmup) {
        const settings = `num_samples = ${numSamples}${s.saveWarmup ? `, num_warmup = ${numWarmup}, save_warmup = 1` : ''}${thin > 1 ? `, thin = ${thin}` : ''}`;
        const why = rows.length < expected ? 'the chain is incomplete (an interrupted run, or a file still being written?)' : 'the file has extra rows';
        throw new InputError(`${this.name}: ${rows.length} draw rows where the header (${settings}) means ${expected}: ${why}`);
      }
      if (s.saveWarmup && !fixedNoWarmup) {
        rows = rows.slice(warmup);
        dropped = warmup;
      }
    }
    return { name: this.name, header, columns: this.columns, rows, warmupRowsDropped: dropped };
  }
}

/**
 * Reads one CmdStan CSV file from its text.
 *
 * @param name - the file's name, for messages
 * @param text - its contents
 * @returns the chain
 * @throws InputError as {@link StanCsvChainReader.line} and {@link StanCsvChainReader.end}
 * @example
 * ```ts
 * const chain = readStanCsvChain('out-1.csv', 'lp__,theta\n-7.1,0.25\n');
 * chain.columns; // ['lp__', 'theta']
 * ```
 */
export function readStanCsvChain(name: string, text: string): StanCsvChain {
  stringArgument(name, 'name', 'readStanCsvChain', "'out-1.csv'");
  stringArgument(text, 'text', 'readStanCsvChain', "the CSV file's contents, e.g. readFileSync(path, 'utf8')");
  const reader = new StanCsvChainReader(name);
  let start = 0;
  while (start <= text.length) {
    const nl = text.indexOf('\n', start);
    const end = nl === -1 ? text.length : nl;
    if (nl === -1 && start === text.length) break;
    reader.line(text.slice(start, end));
    start = end + 1;
  }
  return reader.end();
}
