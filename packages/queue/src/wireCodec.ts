// Plain data to JSON and back without loss: typed arrays as base64 of their bytes, NaN/±Infinity/-0 as tagged numbers.
//
// A fit task (its ModelSpec holds Float64Array and Int32Array data) and a fit's InferenceData
// (Float64Array draws, attrs with NaN) cross Redis as JSON. Plain JSON would turn typed arrays
// into index-keyed objects and NaN into null; this codec keeps every bit: a typed array becomes
// `{ "$typed": "f64", "b64": "…" }` (little-endian bytes, as every platform nutmeg runs on
// stores them), a non-finite number or -0 becomes `{ "$num": "NaN" }`. Plain objects and arrays
// are copied as they are; anything else (functions, class instances, symbols) is refused.

/** The typed arrays the codec carries, by tag. */
const TYPED = {
  f64: Float64Array,
  f32: Float32Array,
  i32: Int32Array,
  u32: Uint32Array,
  u8: Uint8Array,
} as const;

/** A tag of {@link TYPED}. */
export type TypedTag = keyof typeof TYPED;

/** A typed array as the codec writes it. */
export interface EncodedTyped {
  readonly $typed: TypedTag;
  readonly b64: string;
}

/** A number JSON cannot hold, as the codec writes it. */
export interface EncodedNumber {
  readonly $num: 'NaN' | 'Infinity' | '-Infinity' | '-0';
}

function tagOf(value: ArrayBufferView): TypedTag | undefined {
  for (const [tag, ctor] of Object.entries(TYPED) as [TypedTag, (typeof TYPED)[TypedTag]][]) {
    if (value instanceof ctor) return tag;
  }
  return undefined;
}

function encodeNumber(x: number): number | EncodedNumber {
  if (Number.isNaN(x)) return { $num: 'NaN' };
  if (x === Infinity) return { $num: 'Infinity' };
  if (x === -Infinity) return { $num: '-Infinity' };
  if (x === 0 && 1 / x < 0) return { $num: '-0' };
  return x;
}

/**
 * Plain data as a JSON-safe value that {@link decodeWire} turns back into the same data, bit for bit.
 *
 * @param value - plain data: numbers, strings, booleans, null, arrays, plain objects, typed arrays
 *   (undefined object fields are dropped, as JSON does)
 * @returns a value `JSON.stringify` keeps exactly
 * @throws TypeError for functions, symbols, bigints and objects that are not plain (Map, Date, class instances)
 * @example
 * ```ts
 * const wire = JSON.stringify(encodeWire({ y: new Float64Array([1, NaN]) }));
 * const back = decodeWire(JSON.parse(wire)) as { y: Float64Array }; // Float64Array [1, NaN]
 * ```
 */
export function encodeWire(value: unknown): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return encodeNumber(value);
  if (Array.isArray(value)) return value.map((v: unknown) => (v === undefined ? null : encodeWire(v)));
  if (ArrayBuffer.isView(value)) {
    const tag = tagOf(value);
    if (tag === undefined) throw new TypeError(`cannot encode a ${value.constructor.name}`);
    return { $typed: tag, b64: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') } satisfies EncodedTyped;
  }
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) throw new TypeError(`cannot encode a ${(value as object).constructor.name}`);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = encodeWire(v);
    return out;
  }
  throw new TypeError(`cannot encode a ${typeof value}`);
}

/**
 * The data {@link encodeWire} encoded (after a JSON round trip).
 *
 * @param value - parsed JSON written by {@link encodeWire}
 * @returns the original data, typed arrays and non-finite numbers restored
 * @throws TypeError when a `$typed` entry is malformed (unknown tag, a byte length that is not a multiple of the element size)
 * @example
 * ```ts
 * decodeWire({ $num: 'NaN' }); // NaN
 * ```
 */
export function decodeWire(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(decodeWire);
  const record = value as Record<string, unknown>;
  if (typeof record.$num === 'string') return Number(record.$num);
  if (typeof record.$typed === 'string' && typeof record.b64 === 'string') return decodeTyped(record.$typed, record.b64);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) out[k] = decodeWire(v);
  return out;
}

function decodeTyped(tag: string, b64: string): ArrayBufferView {
  if (!Object.hasOwn(TYPED, tag)) throw new TypeError(`unknown typed array tag ${JSON.stringify(tag)}`);
  const ctor = TYPED[tag as TypedTag];
  const bytes = Buffer.from(b64, 'base64');
  if (bytes.byteLength % ctor.BYTES_PER_ELEMENT !== 0) throw new TypeError(`${bytes.byteLength} bytes is not a whole number of ${tag} elements`);
  // Copy into a fresh, aligned buffer (a Buffer may sit at any offset of a shared pool).
  const out = new ctor(bytes.byteLength / ctor.BYTES_PER_ELEMENT);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

/**
 * The number of elements a `$typed` entry holds, computed from its base64 length without decoding it.
 *
 * @param tag - the entry's tag
 * @param b64 - its base64 text
 * @returns the element count (fractional when the bytes are not whole elements)
 */
export function typedLength(tag: TypedTag, b64: string): number {
  const padding = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
  return ((b64.length / 4) * 3 - padding) / TYPED[tag].BYTES_PER_ELEMENT;
}

/** Whether `tag` names a typed array the codec carries. */
export function isTypedTag(tag: unknown): tag is TypedTag {
  return typeof tag === 'string' && Object.hasOwn(TYPED, tag);
}
