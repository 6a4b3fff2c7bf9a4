// Nested JSON arrays ↔ flat row-major Float64Arrays, with errors that name the file, variable and position.
import { stringArgument } from '../core/argumentChecks.js';
import { InputError } from '../core/errors.js';

/** The most nested axes read (chain, draw and the variable's own); deeper nesting is refused before it is walked recursively. */
export const MAX_AXES = 32;

/** Where a value came from, for error messages: `draws.json: variable 'mu'`. */
export interface Where {
  /** File name, when reading a file. */
  readonly file?: string;
  /** What is being read: `variable 'mu'`, `posterior.mu`. */
  readonly what: string;
}

/** The message prefix for a location: `draws.json: variable 'mu'`. */
export function describe(where: Where): string {
  return where.file ? `${where.file}: ${where.what}` : where.what;
}

/**
 * Sets an own property, even one named `__proto__` (plain assignment would change the prototype
 * and drop a variable of that name).
 *
 * @param obj - the object
 * @param key - property name, from a file or a user
 * @param value - the value
 */
export function setOwn<T>(obj: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * An own property's value, or undefined (never an inherited one such as `constructor`).
 *
 * @param obj - the object
 * @param key - property name, from a file or a user
 * @returns the value
 */
export function getOwn<T>(obj: Record<string, T>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

/**
 * A name from a file (a variable, dim or coord) for an error message: as is when short and plain,
 * else cut to 40 characters with control and invisible characters escaped, so that messages stay
 * short and never carry raw control bytes.
 *
 * @param name - the name
 * @returns the name for a message
 */
export function shortName(name: string): string {
  if (name.length <= 60 && !/[^\x20-\x7e\u00a1-\u00ac\u00ae-\u1fff\u3000-\ud7ff\uf900-\ufef8]/.test(name)) return name;
  return JSON.stringify(name.slice(0, 40)).slice(1, -1).replace(/[\u007f-\u00a0\u00ad\u2000-\u2fff\ud800-\udfff\ufeff-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) + (name.length > 40 ? '…' : '');
}

/**
 * A shape (or index list) for an error message, cut after 8 entries.
 *
 * @param xs - the numbers
 * @param separator - between numbers (default `, `)
 * @returns `2, 3` or `1, 1, 1, 1, 1, 1, 1, 1, … (40 in all)`
 */
export function shortList(xs: readonly number[], separator = ', '): string {
  return xs.length <= 8 ? xs.join(separator) : `${xs.slice(0, 8).join(separator)}${separator}… (${xs.length} in all)`;
}

/**
 * A short rendering of a JSON value for an error message.
 *
 * @param v - the value
 * @returns at most 40 characters of its JSON
 */
export function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  // Summarise containers rather than stringify them: they may be huge or nested past the stack.
  if (Array.isArray(v)) return v.length === 0 ? '[]' : `an array of ${v.length}`;
  if (v !== null && typeof v === 'object') return 'an object';
  const s = typeof v === 'string' ? `"${shortName(v)}"` : String(JSON.stringify(v) ?? v);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

/**
 * Flattens a nested JSON array into row-major order and infers its shape, checking that it is
 * rectangular and holds only numbers. `null` is read as NaN (JSON has no NaN; ArviZ JSON written
 * by nutmeg uses null) and booleans as 0/1 (ArviZ stores `diverging` as booleans).
 *
 * @param value - parsed JSON
 * @param where - for error messages
 * @param axisNames - names of the leading axes for error messages (e.g. `['chain', 'draw']`)
 * @param allowBooleans - read booleans as 0/1 (default true)
 * @returns the shape and the values
 * @throws InputError naming the position (e.g. `chain 2, draw 17`) of a ragged or non-numeric entry
 */
export function flattenNested(
  value: unknown,
  where: Where,
  axisNames: readonly string[] = [],
  allowBooleans = true,
): { shape: number[]; values: Float64Array } {
  const shape: number[] = [];
  let probe: unknown = value;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    if (shape.length > MAX_AXES) {
      throw new InputError(`${describe(where)}: arrays nested more than ${MAX_AXES} deep; expected draws[chain][draw] with a few more axes at most`);
    }
    probe = probe.length > 0 ? probe[0] : undefined;
  }
  let size = 1;
  for (const s of shape) size *= s;
  const values = new Float64Array(size);
  let k = 0;
  const pos = (idx: number[]): string =>
    idx.map((i, a) => (a < axisNames.length ? `${axisNames[a]} ${i}` : `index ${i}`)).join(', ');
  const walk = (v: unknown, depth: number, idx: number[]): void => {
    if (depth < shape.length) {
      if (!Array.isArray(v)) {
        throw new InputError(`${describe(where)}: at ${pos(idx)}: expected an array, got ${show(v)}`);
      }
      if (v.length !== shape[depth]) {
        const axis = depth < axisNames.length ? `${axisNames[depth]}s` : `entries on axis ${depth}`;
        const at = idx.length > 0 ? `at ${pos(idx)} ` : '';
        throw new InputError(
          `${describe(where)}: ragged array: ${at}there are ${v.length} ${axis} where the first has ${shape[depth]}`,
        );
      }
      for (let i = 0; i < v.length; i++) walk(v[i], depth + 1, [...idx, i]);
      return;
    }
    if (typeof v === 'number') values[k++] = v;
    else if (v === null) values[k++] = NaN;
    else if (typeof v === 'boolean' && allowBooleans) values[k++] = v ? 1 : 0;
    else if (Array.isArray(v)) {
      throw new InputError(`${describe(where)}: ragged array: at ${pos(idx)} there is an array where a number was expected`);
    } else throw new InputError(`${describe(where)}: at ${pos(idx)}: expected a number, got ${show(v)}`);
  };
  walk(value, 0, []);
  return { shape, values };
}

/**
 * Nests flat row-major values into arrays of the given shape, writing non-finite values as
 * `null` (JSON has no NaN or infinity).
 *
 * @param values - row-major values
 * @param shape - shape of the nesting
 */
export function nestFlat(values: ArrayLike<number>, shape: readonly number[]): unknown {
  if (shape.length === 0) return Number.isFinite(values[0]) ? values[0] : null;
  const inner = shape[shape.length - 1];
  let k = 0;
  // The innermost arrays are filled with numbers only (V8 then stores them unboxed, as doubles):
  // a null in place of a non-finite value is written afterwards, in the rows that have one. A
  // boxed number per value made the collector's work grow with the heap (20,000 parameters ×
  // 400 draws took 1.6× longer per value than 2,000).
  const leaf = (): unknown[] => {
    const row: (number | null)[] = [];
    let finite = true;
    for (let i = 0; i < inner; i++) {
      const v = values[k + i];
      if (!Number.isFinite(v)) finite = false;
      row.push(v);
    }
    if (!finite) for (let i = 0; i < inner; i++) if (!Number.isFinite(row[i])) row[i] = null;
    k += inner;
    return row;
  };
  const build = (depth: number): unknown[] => {
    if (depth === shape.length - 1) return leaf();
    const out: unknown[] = [];
    for (let i = 0; i < shape[depth]; i++) out.push(build(depth + 1));
    return out;
  };
  return build(0);
}

/**
 * Parses JSON text, also accepting the bare `NaN`, `Infinity` and `-Infinity` that Python's
 * `json.dump` writes (ArviZ's `to_json`), and turns a syntax error into an InputError with the
 * file name, line and column.
 *
 * @param text - JSON text
 * @param file - file name for error messages
 * @throws InputError for malformed JSON
 */
export function parseJsonText(text: string, file?: string): unknown {
  stringArgument(text, 'text', 'parseJsonText', "the JSON file's contents, e.g. readFileSync(path, 'utf8')");
  const prefix = file ? `${file}: ` : '';
  const json = pythonTokensToJson(text);
  try {
    return JSON.parse(json);
  } catch (e) {
    const reason = (e as Error).message
      .replace(/^Unexpected/, 'unexpected')
      .replace(/, ".*" is not valid JSON$/s, '')
      .replace(/ in JSON at position \d+.*$/s, '');
    // JSON.parse does not always say where; find the offset of the first error ourselves.
    const p = jsonErrorOffset(json);
    const before = json.slice(0, p);
    const line = before.split('\n').length;
    const column = p - before.lastIndexOf('\n');
    throw new InputError(`${prefix}invalid JSON at line ${line}, column ${column}: ${reason}`);
  }
}

/** The offset of the first syntax error in JSON text (a minimal recursive-descent scanner). */
function jsonErrorOffset(t: string): number {
  let i = 0;
  const ws = (): void => {
    while (i < t.length && ' \t\n\r'.includes(t[i])) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const lit = (word: string): void => {
    if (t.startsWith(word, i)) i += word.length;
    else fail();
  };
  const str = (): void => {
    if (t[i] !== '"') fail();
    i++;
    while (i < t.length && t[i] !== '"') {
      if (t.charCodeAt(i) < 0x20) fail();
      i += t[i] === '\\' ? 2 : 1;
    }
    if (i >= t.length) fail();
    i++;
  };
  const num = (): void => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(t.slice(i, i + 400));
    if (!m || m[0].length === 0) fail();
    else i += m[0].length;
  };
  const value = (): void => {
    ws();
    const c = t[i];
    if (c === '{') {
      i++;
      ws();
      if (t[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        str();
        ws();
        if (t[i] !== ':') fail();
        i++;
        value();
        ws();
        if (t[i] === ',') i++;
        else if (t[i] === '}') {
          i++;
          return;
        } else fail();
      }
    } else if (c === '[') {
      i++;
      ws();
      if (t[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (t[i] === ',') i++;
        else if (t[i] === ']') {
          i++;
          return;
        } else fail();
      }
    } else if (c === '"') str();
    else if (c === 't') lit('true');
    else if (c === 'f') lit('false');
    else if (c === 'n') lit('null');
    else num();
  };
  try {
    value();
    ws();
    return i;
  } catch (p) {
    return typeof p === 'number' ? Math.min(p, t.length) : 0;
  }
}

/** Rewrites bare NaN / Infinity / -Infinity tokens outside strings into JSON (null, ±1e999). */
function pythonTokensToJson(text: string): string {
  if (!/NaN|Infinity/.test(text)) return text;
  let out = '';
  let i = 0;
  let last = 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i];
    if (ch === '"') {
      i++;
      while (i < n && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      i++;
      continue;
    }
    if (ch === 'N' && text.startsWith('NaN', i)) {
      out += text.slice(last, i) + 'null';
      i += 3;
      last = i;
      continue;
    }
    if (ch === 'I' && text.startsWith('Infinity', i)) {
      out += text.slice(last, i) + '1e999';
      i += 8;
      last = i;
      continue;
    }
    i++;
  }
  return out + text.slice(last);
}
