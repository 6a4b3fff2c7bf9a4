// Exact JSON for checkpoint files (every double, typed array, NaN and −0 round-trips bit for bit) and the hashes that identify a run's model, data and settings.
import { createHash } from 'node:crypto';

/**
 * A JSON text of `value` from which {@link decodeExact} gives back every number bit for bit:
 * Float64Arrays as base64 of their bytes (`{"$f64": …}`), other typed arrays likewise by type,
 * and the numbers JSON cannot write (NaN, ±Infinity, −0) as `{"$num": "…"}`.
 *
 * @param value - plain data
 * @returns the JSON text
 */
export function encodeExact(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'number') return Number.isFinite(v) && !Object.is(v, -0) ? v : { $num: Object.is(v, -0) ? '-0' : String(v) };
    if (v instanceof Float64Array) return { $f64: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') };
    if (v instanceof Int32Array) return { $i32: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') };
    return v;
  });
}

/** Reads a JSON text of {@link encodeExact}. */
export function decodeExact(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      if (typeof o.$num === 'string') return o.$num === '-0' ? -0 : Number(o.$num);
      if (typeof o.$f64 === 'string') return bytesAs(o.$f64, Float64Array);
      if (typeof o.$i32 === 'string') return bytesAs(o.$i32, Int32Array);
    }
    return v;
  });
}

function bytesAs<T>(base64: string, Type: { new (b: ArrayBuffer): T; BYTES_PER_ELEMENT: number }): T {
  const b = Buffer.from(base64, 'base64');
  const copy = new ArrayBuffer(b.byteLength);
  new Uint8Array(copy).set(b);
  return new Type(copy);
}

/** The sha256 (hex, first 32 digits) of a text. */
export function hashText(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

/**
 * Hashes of a model spec split into its structure (the model: nodes, operations, shapes, names)
 * and its numbers (the data: every typed array, i.e. data values and indices), and a hash per data
 * node by label so that a resume can name the data that changed.
 *
 * @param spec - a model's plain-data spec
 * @returns `{ model, data, dataByName }`
 */
export function specHashes(spec: unknown): { model: string; data: string; dataByName: Record<string, string> } {
  const arrays = createHash('sha256');
  const structure = JSON.stringify(spec, (_key, v: unknown) => {
    if (ArrayBuffer.isView(v)) {
      arrays.update(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
      return { typedArray: v.constructor.name, length: v.byteLength };
    }
    return v;
  });
  const dataByName: Record<string, string> = {};
  const nodes = (spec as { nodes?: unknown } | undefined)?.nodes;
  if (Array.isArray(nodes)) {
    for (const n of nodes as { kind?: string; label?: string; values?: unknown }[]) {
      if (n.kind === 'data' && typeof n.label === 'string' && n.values instanceof Float64Array) {
        const h = createHash('sha256').update(new Uint8Array(n.values.buffer, n.values.byteOffset, n.values.byteLength));
        dataByName[n.label] = h.digest('hex').slice(0, 16);
      }
    }
  }
  return { model: hashText(structure), data: arrays.digest('hex').slice(0, 32), dataByName };
}
