// Reusable work buffers of the diagnostics, one per named purpose, so that summarising many quantities allocates nothing per quantity.

/*
 * Diagnostics run synchronously and never hold a buffer across a call that could use the same
 * slot, so one buffer per slot suffices; each slot grows to the largest size asked for. A slot
 * name belongs to one function (they are listed where used): two functions sharing a slot while
 * both are active would corrupt each other's data.
 */

const floatSlots = new Map<string, Float64Array>();
const indexSlots = new Map<string, Uint32Array>();
const byteSlots = new Map<string, Uint8Array>();

/** Buffers above this many elements are not kept after use (a one-off huge summary should not pin memory). */
const MAX_KEPT = 1 << 18;

/**
 * A Float64Array work buffer of length n for the named slot. Its contents are unspecified.
 *
 * @param slot - the purpose, unique to one function
 * @param n - length needed
 */
export function scratchFloat64(slot: string, n: number): Float64Array {
  const buf = floatSlots.get(slot);
  if (buf !== undefined && buf.length >= n) return buf.subarray(0, n);
  const fresh = new Float64Array(n);
  if (n <= MAX_KEPT) floatSlots.set(slot, fresh);
  return fresh;
}

/**
 * A Uint32Array work buffer of length n for the named slot. Its contents are unspecified.
 *
 * @param slot - the purpose, unique to one function
 * @param n - length needed
 */
export function scratchUint32(slot: string, n: number): Uint32Array {
  const buf = indexSlots.get(slot);
  if (buf !== undefined && buf.length >= n) return buf.subarray(0, n);
  const fresh = new Uint32Array(n);
  if (n <= MAX_KEPT) indexSlots.set(slot, fresh);
  return fresh;
}

/**
 * A Uint8Array work buffer of length n for the named slot. Its contents are unspecified.
 *
 * @param slot - the purpose, unique to one function
 * @param n - length needed
 */
export function scratchUint8(slot: string, n: number): Uint8Array {
  const buf = byteSlots.get(slot);
  if (buf !== undefined && buf.length >= n) return buf.subarray(0, n);
  const fresh = new Uint8Array(n);
  if (n <= MAX_KEPT) byteSlots.set(slot, fresh);
  return fresh;
}
