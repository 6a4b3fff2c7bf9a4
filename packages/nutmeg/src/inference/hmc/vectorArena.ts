// Vector storage and loops for the NUTS trajectory: WebAssembly where available, plain JS otherwise.
//
// These loops are FAST COPIES, not definitions: the reference leapfrog is `integrators.ts`
// (`kickDrift`, `halfKick`, with `velocity` from `metric.ts`) and the reference U-turn criterion is
// `termination.ts` (`noUTurnAcross`); a diagonal metric's momentum is `diagMomentum` (`metric.ts`),
// drawn by the WebAssembly arena with the same arithmetic. The JS loops do the same operations in the same order as the
// references (bit-identical results); the WebAssembly loops (vectorKernels.wat) do the same
// per-element operations but accumulate sums in two lanes (within rounding of the references).
// test/inference/termination.test.ts checks both. Change a reference first, then its copies.
import { VECTOR_KERNELS_WASM } from './vectorKernels.wasm.js';
import type { Rng } from '../../core/rng.js';
import { diagMomentum } from './metric.js';
import { ZIGGURAT, ZIGGURAT_LAYERS } from '../../core/ziggurat.js';

/**
 * Below this dimension the plain-JS loops win: a call into WebAssembly has a fixed cost that the
 * few elements do not repay (measured on a 3-parameter model: 0.48 vs 0.65 µs per leapfrog).
 */
export const WASM_MIN_DIM = 32;

/**
 * dst ← src. `TypedArray.set` has a fixed cost of some 10–20 ns that an element loop beats for
 * short vectors; for long ones `set` is ~10× faster than a loop.
 */
export function copyVec(dst: Float64Array, src: Float64Array): void {
  const n = src.length;
  if (n < 24) {
    for (let i = 0; i < n; i++) dst[i] = src[i];
  } else dst.set(src);
}

/**
 * Preallocated f64 vectors and the trajectory's hot loops over them (see vectorKernels.wat).
 * All vectors passed to the loops must come from `alloc` of the same arena.
 */
export interface VectorArena {
  /** A vector of length `n` (zero-filled) in the arena. */
  alloc(n: number): Float64Array;
  /** pOut = p + h·g; qOut = q + e·m∘pOut (out of place: the inputs are left as they are). */
  kickDrift(p: Float64Array, g: Float64Array, q: Float64Array, m: Float64Array, pOut: Float64Array, qOut: Float64Array, h: number, e: number): void;
  /**
   * Closes a leapfrog step, which makes a NUTS leaf: pOut = p + h·g, vOut = m∘pOut (the leaf's
   * momentum and velocity); returns the kinetic energy ½ pOutᵀvOut.
   */
  finishLeaf(p: Float64Array, g: Float64Array, m: Float64Array, pOut: Float64Array, vOut: Float64Array, h: number): number;
  /**
   * ρ = ρ₁ + ρ₂, and whether the merged subtree has not U-turned: ρ·♯beg, ρ·♯end, and Stan's
   * cross checks (ρ₁ + p₂beg)·♯beg, (ρ₁ + p₂beg)·♯₂beg, (ρ₂ + p₁end)·♯₁end, (ρ₂ + p₁end)·♯end all > 0.
   * `rho` may be `r1` or `r2` (in-place merge). This is `noUTurnAcross(left, right)` of
   * termination.ts with left = {rho: r1, sBeg, pEnd: p1End, sEnd: s1End} and
   * right = {rho: r2, pBeg: p2Beg, sBeg: s2Beg, sEnd}.
   */
  merge(r1: Float64Array, r2: Float64Array, rho: Float64Array, sBeg: Float64Array, sEnd: Float64Array, p2Beg: Float64Array, s2Beg: Float64Array, p1End: Float64Array, s1End: Float64Array): boolean;
  /**
   * `merge` of two one-leaf spans (momenta p1, p2, velocities s1, s2): ρ = p1 + p2 and whether
   * s1·ρ > 0 and s2·ρ > 0. With a leaf a side, `merge`'s six inner products are these two,
   * computed the same way, so the result is `merge`'s, bit for bit, at half the reads.
   */
  mergeLeaves(p1: Float64Array, p2: Float64Array, rho: Float64Array, s1: Float64Array, s2: Float64Array): boolean;
  /**
   * A diagonal metric's momentum, as metric.ts's `diagMomentum` (the reference, which the JS arena
   * calls) draws it: the same numbers, bit for bit, and the generator in the same state after.
   */
  momentum(rng: Rng, out: Float64Array, m: Float64Array): void;
  /** Hands the storage back for reuse by a later arena on this thread; the arena's vectors must not be used afterwards. */
  release(): void;
}

interface KernelExports {
  kickDrift(p: number, g: number, q: number, m: number, pOut: number, qOut: number, n: number, h: number, e: number): void;
  finishLeaf(p: number, g: number, m: number, pOut: number, vOut: number, n: number, h: number): number;
  merge(r1: number, r2: number, rho: number, sBeg: number, sEnd: number, p2Beg: number, s2Beg: number, p1End: number, s1End: number, n: number): number;
  mergeLeaves(p1: number, p2: number, rho: number, s1: number, s2: number, n: number): number;
  zigguratMomentum(out: number, m: number, from: number, n: number, state: number, tables: number): number;
}

let compiled: WebAssembly.Module | null | undefined;

function wasmModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  try {
    const bin = atob(VECTOR_KERNELS_WASM);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    compiled = new WebAssembly.Module(bytes);
  } catch {
    compiled = null; // no WebAssembly (or forbidden by a content security policy): plain JS
  }
  return compiled;
}

/** A vector of a WebAssembly arena, carrying its byte offset in the arena's memory. */
type ArenaVector = Float64Array & { arenaOffset: number };

/** Byte offset of an arena vector. */
const at = (v: Float64Array): number => (v as ArenaVector).arenaOffset;

/** A WebAssembly instance of the kernels with its own memory of `bytes` bytes. */
interface KernelInstance {
  readonly memory: WebAssembly.Memory;
  readonly exports: KernelExports;
  readonly bytes: number;
}

/**
 * Instances handed back by released arenas, reused by the next arena on this thread. Each new
 * instance brings new exported function objects, and V8's optimised sampler code, specialised
 * on the old ones, is thrown away at its first call of a new one ("wrong call target") and
 * compiled again: once per chain after the first in a worker, without this pool.
 */
const freeInstances: KernelInstance[] = [];

function takeInstance(module: WebAssembly.Module, bytes: number): KernelInstance {
  const k = freeInstances.findIndex((x) => x.bytes >= bytes);
  if (k >= 0) {
    const reused = freeInstances.splice(k, 1)[0];
    new Uint8Array(reused.memory.buffer, 0, bytes).fill(0);
    return reused;
  }
  const memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / 65536) + 1 });
  const exports = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as KernelExports;
  return { memory, exports, bytes: (memory.buffer as ArrayBuffer).byteLength };
}

class WasmArena implements VectorArena {
  private readonly instance: KernelInstance;
  // The exported functions as own fields: loading them from the exports object on every call
  // went through V8's generic property-load stub.
  private readonly kickDriftFn: KernelExports['kickDrift'];
  private readonly finishLeafFn: KernelExports['finishLeaf'];
  private readonly mergeFn: KernelExports['merge'];
  private readonly mergeLeavesFn: KernelExports['mergeLeaves'];
  private readonly zigguratFn: KernelExports['zigguratMomentum'];
  /** The generator's state words (and the layer of a rare draw) in the memory, and where the ziggurat's tables are. */
  private readonly stateAt: number;
  private readonly stateWords: Int32Array;
  private readonly tablesAt: number;
  private next = 0;
  private readonly limit: number;
  private released = false;

  constructor(module: WebAssembly.Module, doubles: number) {
    this.limit = doubles * 8;
    // After the vectors: the generator's state (8 words) and the ziggurat's X and RATIO tables.
    this.stateAt = this.limit;
    this.tablesAt = this.stateAt + 32;
    this.instance = takeInstance(module, this.tablesAt + 2 * ZIGGURAT_LAYERS * 8);
    const buffer = this.instance.memory.buffer;
    this.stateWords = new Int32Array(buffer, this.stateAt, 8);
    new Float64Array(buffer, this.tablesAt, ZIGGURAT_LAYERS).set(ZIGGURAT.X.subarray(0, ZIGGURAT_LAYERS));
    new Float64Array(buffer, this.tablesAt + ZIGGURAT_LAYERS * 8, ZIGGURAT_LAYERS).set(ZIGGURAT.RATIO);
    const k = this.instance.exports;
    this.kickDriftFn = k.kickDrift;
    this.finishLeafFn = k.finishLeaf;
    this.mergeFn = k.merge;
    this.mergeLeavesFn = k.mergeLeaves;
    this.zigguratFn = k.zigguratMomentum;
  }
  release(): void {
    if (this.released) return;
    this.released = true;
    freeInstances.push(this.instance);
  }
  alloc(n: number): Float64Array {
    if (this.next + n * 8 > this.limit) throw new Error('internal: vector arena exhausted');
    const v = new Float64Array(this.instance.memory.buffer, this.next, n) as ArenaVector;
    // The byte offset as a plain field: V8 reads `byteOffset` of a view on WebAssembly memory
    // through a generic stub (7% of the kernel at d = 175); a field is one load.
    v.arenaOffset = this.next;
    this.next += n * 8;
    return v;
  }
  kickDrift(p: Float64Array, g: Float64Array, q: Float64Array, m: Float64Array, pOut: Float64Array, qOut: Float64Array, h: number, e: number): void {
    this.kickDriftFn(at(p), at(g), at(q), at(m), at(pOut), at(qOut), p.length, h, e);
  }
  finishLeaf(p: Float64Array, g: Float64Array, m: Float64Array, pOut: Float64Array, vOut: Float64Array, h: number): number {
    return this.finishLeafFn(at(p), at(g), at(m), at(pOut), at(vOut), p.length, h);
  }
  merge(r1: Float64Array, r2: Float64Array, rho: Float64Array, sBeg: Float64Array, sEnd: Float64Array, p2Beg: Float64Array, s2Beg: Float64Array, p1End: Float64Array, s1End: Float64Array): boolean {
    return this.mergeFn(at(r1), at(r2), at(rho), at(sBeg), at(sEnd), at(p2Beg), at(s2Beg), at(p1End), at(s1End), r1.length) === 1;
  }
  mergeLeaves(p1: Float64Array, p2: Float64Array, rho: Float64Array, s1: Float64Array, s2: Float64Array): boolean {
    return this.mergeLeavesFn(at(p1), at(p2), at(rho), at(s1), at(s2), p1.length) === 1;
  }
  momentum(rng: Rng, out: Float64Array, m: Float64Array): void {
    const n = out.length;
    const words = this.stateWords;
    rng.saveWords(words);
    let i = this.zigguratFn(at(out), at(m), 0, n, this.stateAt, this.tablesAt);
    while (i < n) {
      // A draw outside its layer's core: finished by the generator itself (exp or log), in JS.
      rng.loadWords(words);
      out[i] = rng.zigguratEdgeDraw(words[4], out[i]) / Math.sqrt(m[i]);
      rng.saveWords(words);
      i = this.zigguratFn(at(out), at(m), i + 1, n, this.stateAt, this.tablesAt);
    }
    rng.loadWords(words);
  }
}

/**
 * The same loops in JS, operation for operation as the WebAssembly ones, and with every sum in
 * the order of the references (integrators.ts, metric.ts `velocity`, termination.ts), so results
 * equal the references' bit for bit.
 */
class JsArena implements VectorArena {
  alloc(n: number): Float64Array {
    return new Float64Array(n);
  }
  release(): void {
    // Plain arrays: the garbage collector takes them.
  }
  kickDrift(p: Float64Array, g: Float64Array, q: Float64Array, m: Float64Array, pOut: Float64Array, qOut: Float64Array, h: number, e: number): void {
    for (let i = 0; i < p.length; i++) {
      const pi = p[i] + h * g[i];
      pOut[i] = pi;
      qOut[i] = q[i] + e * m[i] * pi;
    }
  }
  finishLeaf(p: Float64Array, g: Float64Array, m: Float64Array, pOut: Float64Array, vOut: Float64Array, h: number): number {
    let k = 0;
    for (let i = 0; i < p.length; i++) {
      const pi = p[i] + h * g[i];
      pOut[i] = pi;
      const vi = m[i] * pi;
      vOut[i] = vi;
      k += vi * pi;
    }
    return 0.5 * k;
  }
  merge(r1: Float64Array, r2: Float64Array, rho: Float64Array, sBeg: Float64Array, sEnd: Float64Array, p2Beg: Float64Array, s2Beg: Float64Array, p1End: Float64Array, s1End: Float64Array): boolean {
    let a = 0, b = 0, c = 0, e = 0, f = 0, g = 0;
    for (let i = 0; i < r1.length; i++) {
      const x1 = r1[i];
      const x2 = r2[i];
      const rs = x1 + x2;
      rho[i] = rs;
      const sb = sBeg[i];
      const se = sEnd[i];
      a += sb * rs;
      b += se * rs;
      const u = x1 + p2Beg[i];
      c += sb * u;
      e += s2Beg[i] * u;
      const w = x2 + p1End[i];
      f += s1End[i] * w;
      g += se * w;
    }
    return a > 0 && b > 0 && c > 0 && e > 0 && f > 0 && g > 0;
  }
  momentum(rng: Rng, out: Float64Array, m: Float64Array): void {
    diagMomentum(rng, out, m);
  }
  mergeLeaves(p1: Float64Array, p2: Float64Array, rho: Float64Array, s1: Float64Array, s2: Float64Array): boolean {
    let a = 0, b = 0;
    for (let i = 0; i < p1.length; i++) {
      const rs = p1[i] + p2[i];
      rho[i] = rs;
      a += s1[i] * rs;
      b += s2[i] * rs;
    }
    return a > 0 && b > 0;
  }
}

/**
 * An arena for `doubles` f64 values: WebAssembly-backed unless WebAssembly is unavailable or
 * `useWasm` is false.
 */
export function createVectorArena(doubles: number, useWasm = true): VectorArena {
  const mod = useWasm ? wasmModule() : null;
  return mod ? new WasmArena(mod, doubles) : new JsArena();
}
