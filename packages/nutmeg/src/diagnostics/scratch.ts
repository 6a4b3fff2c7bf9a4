// Reusable work buffers of the diagnostics, one per named purpose, so that summarising many quantities allocates nothing per quantity.

/*
 * Diagnostics run synchronously and never hold a buffer across a call that could use the same
 * slot, so one buffer per slot suffices; each slot grows to the largest size asked for. A slot
 * name belongs to one function (they are listed where used): two functions sharing a slot while
 * both are active would corrupt each other's data.
 */

type Typed = Float64Array | Uint32Array | Uint8Array;

/** A slot's buffer and the view of it last handed out (kept, since creating a view allocates). */
interface Slot<T extends Typed> {
  buf: T;
  view: T;
}

const floatSlots = new Map<string, Slot<Float64Array>>();
const indexSlots = new Map<string, Slot<Uint32Array>>();
const byteSlots = new Map<string, Slot<Uint8Array>>();

/** Buffers above this many elements are not kept after use (a one-off huge summary should not pin memory). */
const MAX_KEPT = 1 << 18;

function take<T extends Typed>(slots: Map<string, Slot<T>>, slot: string, n: number, make: (n: number) => T): T {
  const s = slots.get(slot);
  if (s !== undefined) {
    if (s.view.length === n) return s.view;
    if (s.buf.length >= n) {
      s.view = s.buf.subarray(0, n) as T;
      return s.view;
    }
  }
  const fresh = make(n);
  if (n <= MAX_KEPT) slots.set(slot, { buf: fresh, view: fresh });
  return fresh;
}

/**
 * A Float64Array work buffer of length n for the named slot. Its contents are unspecified.
 *
 * @param slot - the purpose, unique to one function
 * @param n - length needed
 */
export function scratchFloat64(slot: string, n: number): Float64Array {
  return take(floatSlots, slot, n, (k) => new Float64Array(k));
}

/**
 * A Uint32Array work buffer of length n for the named slot. Its contents are unspecified.
 *
 * @param slot - the purpose, unique to one function
 * @param n - length needed
 */
export function scratchUint32(slot: string, n: number): Uint32Array {
  return take(indexSlots, slot, n, (k) => new Uint32Array(k));
}

/**
 * A Uint8Array work buffer of length n for the named slot. Its contents are unspecified.
 *
 * @param slot - the purpose, unique to one function
 * @param n - length needed
 */
export function scratchUint8(slot: string, n: number): Uint8Array {
  return take(byteSlots, slot, n, (k) => new Uint8Array(k));
}
