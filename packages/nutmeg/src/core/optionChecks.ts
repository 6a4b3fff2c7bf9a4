// Checks shared by the options of sample() and fit(): known keys (with a did-you-mean), counts, seeds, the options object itself.
import { OptionError } from './errors.js';

/**
 * Seeds are integers in [0, 2^32): `Rng` folds a seed into a 32-bit word, exactly (one seed, one
 * word) below 2^32 and by mixing the high bits into the same 32 bits above it, so larger seeds
 * repeat the streams of smaller ones, and fractions are truncated (1.5 runs as 1). Refusing them
 * keeps the seed recorded in `attrs.seed` the seed that made the draws.
 */
export const SEED_LIMIT = 4294967296;

/**
 * Throws unless `options` is a plain options object (`undefined` is read as `{}`).
 *
 * @param options - what the caller passed
 * @param fn - the function's name, for the message
 * @returns the options, or `{}`
 * @throws OptionError (option `options`) for null, a number, a string, an array, …
 */
export function optionsObject<T extends object>(options: T | undefined, fn: string): T {
  if (options === undefined) return {} as T;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new OptionError('options', `${fn}: options must be an object such as { draws: 1000 }, got ${describeValue(options)}`);
  }
  return options;
}

/**
 * Refuses keys that are not options of `fn`, suggesting the closest known key (a misspelt
 * `draw: 10` would otherwise be ignored and the default used without a word).
 *
 * @param options - the options object
 * @param known - every option name of `fn` (build it with `satisfies Record<keyof Options, true>`
 *   so that a new option cannot be forgotten)
 * @param fn - the function's name, for the message
 * @throws OptionError naming the unknown key and, when one is close, the known key it resembles
 * @example
 * ```ts
 * checkKnownKeys({ draw: 10 }, { draws: true, tune: true }, 'sample');
 * // OptionError: draw: not an option of sample (did you mean `draws`?)
 * ```
 */
export function checkKnownKeys(options: object, known: Readonly<Record<string, true>>, fn: string): void {
  for (const key of Object.keys(options)) {
    if (Object.hasOwn(known, key)) continue;
    const near = closestName(key, Object.keys(known));
    const hint = near ? ` (did you mean \`${near}\`?)` : `; options of ${fn}: ${Object.keys(known).join(', ')}`;
    throw new OptionError(key, `not an option of ${fn}${hint}`);
  }
}

/**
 * The candidate nearest to `word` by edit distance (insertions, deletions, substitutions and
 * swaps of neighbours, ignoring case), when it is near enough to be a slip: at most 1 edit for
 * names up to 4 characters, 2 up to 8, 3 beyond.
 *
 * @param word - what was typed
 * @param candidates - the valid names
 * @returns the nearest candidate, or undefined when none is near
 */
export function closestName(word: string, candidates: readonly string[]): string | undefined {
  const budget = word.length <= 4 ? 1 : word.length <= 8 ? 2 : 3;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return bestDistance <= budget ? best : undefined;
}

/** Optimal-string-alignment distance (Levenshtein plus swaps of neighbouring characters). */
function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[(i - 1) * cols + j] + 1, d[i * cols + j - 1] + 1, d[(i - 1) * cols + j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[(i - 2) * cols + j - 2] + 1);
      d[i * cols + j] = v;
    }
  }
  return d[rows * cols - 1];
}

/**
 * An integer option within [min, max].
 *
 * @param name - the option's name
 * @param value - its value
 * @param min - smallest allowed value
 * @param max - largest allowed value (default: the largest exact integer)
 * @returns the value
 * @throws OptionError naming the option, the value and the allowed range
 */
export function integerOption(name: string, value: unknown, min: number, max: number = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `an integer ≥ ${min}` : `an integer in [${min}, ${max}]`;
    throw new OptionError(name, `must be ${range}, got ${describeValue(value)}`);
  }
  return value;
}

/**
 * A seed: an integer in [0, 2^32) (see {@link SEED_LIMIT}).
 *
 * @param value - the `seed` option
 * @returns the seed
 * @throws OptionError for fractions, negatives, NaN, non-numbers and seeds ≥ 2^32
 */
export function seedOption(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value >= SEED_LIMIT) {
    throw new OptionError('seed', `must be an integer in [0, 2^32 − 1 = ${SEED_LIMIT - 1}], got ${describeValue(value)} (larger or fractional seeds would repeat the draws of another seed)`);
  }
  return value;
}

/**
 * A boolean option (`undefined` gives `fallback`).
 *
 * @throws OptionError naming the option when the value is not true or false
 */
export function booleanOption(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new OptionError(name, `must be true or false, got ${describeValue(value)}`);
  return value;
}

/**
 * A short description of a value for messages: numbers and strings as written, others by kind.
 *
 * @param value - anything
 * @returns e.g. `1.5`, `'mu'`, `null`, `an array of 2`, `an object {mu, sigma}`
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value === null || value === undefined || typeof value === 'boolean' || typeof value === 'bigint') return `${String(value)}${typeof value === 'bigint' ? 'n' : ''}`;
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  if (typeof value === 'object') {
    const keys = Object.keys(value).slice(0, 5);
    return `an object {${keys.join(', ')}${Object.keys(value).length > 5 ? ', …' : ''}}`;
  }
  return typeof value;
}
