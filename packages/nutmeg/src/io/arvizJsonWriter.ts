// InferenceData as ArviZ JSON text written chunk by chunk: memory bounded by the chunk, whatever the number of draws.
//
// The bytes are those `JSON.stringify` gives for the whole document (the reference, kept in
// test/io/fixtures/arvizJsonReference.ts and compared by test/io/arvizJsonWriter.test.ts): the
// numbers of each variable are formatted a few thousand at a time, everything else (attrs, dims,
// each coord label) by `JSON.stringify` itself.
import { checkInferenceData } from '../posterior/inferenceDataArgument.js';
import type { GroupName, InferenceData } from '../posterior/inferenceData.js';
import { nestFlat, setOwn } from './nestedArrays.js';
import { NUMBERS_PER_PIECE, TextChunks, type ChunkOptions } from './textChunks.js';

/** Groups whose variables carry leading (chain, draw) axes. */
export const SAMPLED_GROUPS: readonly GroupName[] = ['posterior', 'sample_stats', 'posterior_predictive', 'log_likelihood', 'prior', 'prior_predictive', 'predictions'];
/** ArviZ's group order; `observed_data` and `constant_data` have no chain and draw axes. */
export const GROUP_ORDER: readonly GroupName[] = [
  'posterior',
  'posterior_predictive',
  'predictions',
  'log_likelihood',
  'sample_stats',
  'prior',
  'prior_predictive',
  'observed_data',
  'constant_data',
  'predictions_constant_data',
];

/**
 * The text of `toArvizJson(idata)` as a sequence of chunks of about `chunkChars` characters each
 * (default 64 KiB), produced as they are consumed: a file of any size is written without ever
 * holding it, or the nested arrays of its numbers, in memory. Joined, the chunks are exactly
 * `toArvizJson(idata)` (non-finite numbers as `null`, `-0` as `0`). In Node, pass the chunks to
 * `writeFileAtomic` (`nutmeg/node`).
 *
 * The results must not change while the chunks are consumed.
 *
 * @param idata - results
 * @param options - `chunkChars`, the chunk size in characters
 * @returns a generator of strings; argument errors are thrown by this call, before any chunk
 * @throws OptionError when `idata` is not InferenceData; RangeError for a bad `chunkChars`
 * @example
 * ```ts
 * import { arvizJsonChunks, type InferenceData } from 'nutmeg';
 * import { writeFileAtomic } from 'nutmeg/node';
 * declare const idata: InferenceData; // e.g. from sample()
 * await writeFileAtomic('idata.json', arvizJsonChunks(idata));
 * ```
 */
export function arvizJsonChunks(idata: InferenceData, options: ChunkOptions = {}): Generator<string, void, undefined> {
  checkInferenceData(idata, 'arvizJsonChunks');
  return writeArvizJson(idata, new TextChunks(options));
}

/** The generator behind {@link arvizJsonChunks}: the document's members in `toArvizJson`'s order. */
function* writeArvizJson(idata: InferenceData, buf: TextChunks): Generator<string, void, undefined> {
  const dims: Record<string, string[]> = {};
  let separator = '{';
  /** Starts a member of the top-level object. */
  const key = (name: string): void => {
    buf.add(`${separator}${JSON.stringify(name)}:`);
    separator = ',';
  };
  /** A whole member, or nothing when JSON.stringify would leave it out (an undefined value). */
  const member = (name: string, value: unknown): void => {
    const text = memberJson(name, value);
    if (text === '') return;
    buf.add(separator + text);
    separator = ',';
  };
  for (const name of GROUP_ORDER) {
    const g = idata.groups[name];
    if (!g) continue;
    const sampled = SAMPLED_GROUPS.includes(name);
    key(name);
    let open = '{';
    for (const [vn, v] of Object.entries(g.vars)) {
      buf.add(`${open}${JSON.stringify(vn)}:`);
      open = ',';
      yield* nestedNumbers(v.values, sampled ? [idata.nChains, idata.nDraws, ...v.shape] : [...v.shape], buf);
      if (v.dims.length > 0) setOwn(dims, vn, [...v.dims]);
    }
    buf.add(open === '{' ? '{}' : '}');
    member(`${name}_attrs`, g.attrs);
  }
  key('coords');
  yield* coordsJson(idata.coords, buf);
  member('dims', dims);
  member('attrs', idata.attrs);
  buf.add(separator === '{' ? '{}' : '}');
  yield buf.take();
}

/** `"name":value` as JSON.stringify writes it inside an object (calling `toJSON` with the key), or '' when it leaves it out. */
function memberJson(name: string, value: unknown): string {
  const holder: Record<string, unknown> = {};
  setOwn(holder, name, value);
  return JSON.stringify(holder).slice(1, -1);
}

/** `{dim: [labels…], …}`, each label array written in pieces (a coord may label a million rows). */
function* coordsJson(coords: InferenceData['coords'], buf: TextChunks): Generator<string, void, undefined> {
  let open = '{';
  for (const [d, labels] of Object.entries(coords)) {
    if (!Array.isArray(labels)) {
      // Not an array (only a caller bypassing the types): exactly as JSON.stringify writes it.
      const text = memberJson(d, labels);
      if (text !== '') buf.add(open + text);
      if (text !== '') open = ',';
      continue;
    }
    buf.add(`${open}${JSON.stringify(d)}:[`);
    open = ',';
    for (let i = 0; i < labels.length; i += NUMBERS_PER_PIECE) {
      const piece: string[] = [];
      for (let j = i; j < Math.min(labels.length, i + NUMBERS_PER_PIECE); j++) piece.push(JSON.stringify(labels[j]) ?? 'null');
      buf.add((i > 0 ? ',' : '') + piece.join(','));
      if (buf.full()) yield buf.take();
    }
    buf.add(']');
  }
  buf.add(open === '{' ? '{}' : '}');
}

/**
 * Row-major `values` as nested JSON arrays of `shape` (as `JSON.stringify(nestFlat(values, shape))`
 * writes them), a few thousand numbers per piece of text, yielding whenever a chunk is full.
 */
function* nestedNumbers(values: ArrayLike<number>, shape: readonly number[], buf: TextChunks): Generator<string, void, undefined> {
  if (shape.length === 0) {
    buf.add(jsonNumber(values[0]));
    return;
  }
  if (shape.includes(0)) {
    // No numbers, only empty arrays: small unless an axis before the empty one is long.
    buf.add(JSON.stringify(nestFlat(values, shape)));
    return;
  }
  const outerAxes = shape.length - 1;
  const inner = shape[outerAxes];
  const index = new Array<number>(outerAxes).fill(0);
  const rowText = new JsonRows(values);
  let rows = 1;
  for (let a = 0; a < outerAxes; a++) rows *= shape[a];
  buf.add('['.repeat(outerAxes));
  let k = 0;
  for (let r = 0; r < rows; r++) {
    if (r > 0) {
      // The next row's index: the innermost outer axes that wrap to 0 close and reopen their arrays.
      let wrapped = 0;
      for (let a = outerAxes - 1; a >= 0; a--) {
        if (++index[a] < shape[a]) break;
        index[a] = 0;
        wrapped++;
      }
      buf.add(wrapped === 0 ? ',' : `${']'.repeat(wrapped)},${'['.repeat(wrapped)}`);
    }
    if (inner <= NUMBERS_PER_PIECE) {
      buf.add(rowText.array(k, k + inner));
      if (buf.full()) yield buf.take();
    } else {
      // A long row (a million observations): in pieces, their brackets dropped.
      for (let i = 0; i < inner; i += NUMBERS_PER_PIECE) {
        const piece = rowText.array(k + i, k + Math.min(inner, i + NUMBERS_PER_PIECE));
        buf.add(`${i === 0 ? '[' : ','}${piece.slice(1, -1)}`);
        if (buf.full()) yield buf.take();
      }
      buf.add(']');
    }
    k += inner;
  }
  buf.add(']'.repeat(outerAxes));
}

/** A number as JSON.stringify writes it: non-finite (and missing) as `null`, `-0` as `0`. */
function jsonNumber(v: number): string {
  return Number.isFinite(v) ? String(v) : 'null';
}

/**
 * Runs of values as JSON arrays. JSON.stringify of a plain array of doubles is the engine's fastest
 * number formatting (1.3–2× a typed array's join or a loop of String(v)), and it writes NaN and
 * ±Infinity as null and -0 as 0 by itself: the values are copied into one reused array first.
 */
class JsonRows {
  private readonly scratch: number[] = [];
  private readonly typed: boolean;

  constructor(private readonly values: ArrayLike<number>) {
    this.typed = values instanceof Float64Array;
  }

  /** `values[from…to)` as a JSON array. */
  array(from: number, to: number): string {
    const { values, scratch } = this;
    if (!this.typed || to > values.length) {
      // Plain arrays (callers bypassing the types) may hold anything: each value on its own.
      const text: string[] = [];
      for (let i = from; i < to; i++) text.push(jsonNumber(values[i]));
      return `[${text.join(',')}]`;
    }
    const n = to - from;
    if (scratch.length !== n) scratch.length = n;
    for (let i = 0; i < n; i++) scratch[i] = values[from + i];
    return JSON.stringify(scratch);
  }
}
