// exp and log1p over arrays in WebAssembly SIMD (libmKernels.wat) with the bits of exp.ts and log.ts: two elements per instruction, no call per element.
import { LIBM_KERNELS_WASM } from './libmKernels.wasm.js';
import { exp } from './exp.js';
import { log1p } from './log.js';
import { log1pSum } from './log1pSum.js';

/*
 * Why: expInto and log1pSum already write the common paths of exp and log1p into their loops, yet
 * a JS loop still pays bounds checks and scalar arithmetic (about 13 ns per log1p term, 8 ns per
 * exp); PSIS's generalized Pareto fit sums ~8000 log1p terms and LOO exponentiates 2 × 4000 draws
 * per observation. The WebAssembly loops take the same IEEE operations two lanes at a time and
 * call the JS exp or log1p for a pair with an element off the common path, so the bits are the
 * same; the arrays are copied into the module's memory and back (a few µs for 4000 doubles).
 * Where WebAssembly or its SIMD is unavailable (or forbidden by a content security policy), the
 * functions report so and the callers run their JS loops.
 */

interface KernelExports {
  log1pSums(x: number, n: number, c: number, m: number, out: number, rare: number, terms: number): void;
  expInto(x: number, n: number, a: number, b: number, out: number): number;
}

interface Kernels {
  readonly memory: WebAssembly.Memory;
  readonly log1pSums: KernelExports['log1pSums'];
  readonly expInto: KernelExports['expInto'];
  /** A view of the whole memory, replaced when the memory grows. */
  f64: Float64Array;
}

let kernels: Kernels | null | undefined;

function instance(): Kernels | null {
  if (kernels !== undefined) return kernels;
  try {
    const bin = atob(LIBM_KERNELS_WASM);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    const memory = new WebAssembly.Memory({ initial: 1 });
    const exports = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports as unknown as KernelExports;
    kernels = { memory, log1pSums: exports.log1pSums, expInto: exports.expInto, f64: new Float64Array(memory.buffer) };
  } catch {
    kernels = null; // no WebAssembly SIMD: the JS loops
  }
  return kernels;
}

/** The memory as doubles, at least `n` of them. */
function doubles(k: Kernels, n: number): Float64Array {
  if (k.f64.length < n) {
    const pages = Math.ceil((n * 8 - k.memory.buffer.byteLength) / 65536);
    k.memory.grow(pages);
    k.f64 = new Float64Array(k.memory.buffer);
  }
  return k.f64;
}

/**
 * `out[i] = exp(a·x[i] − b)` in WebAssembly, each with the bits of {@link exp} (as expInto).
 *
 * @param out - the result (may be `x`)
 * @param x - the values
 * @param a - scale
 * @param b - shift
 * @returns false when WebAssembly SIMD is unavailable (nothing written)
 */
export function wasmExpInto(out: Float64Array, x: Float64Array, a: number, b: number): boolean {
  const k = instance();
  if (k === null) return false;
  const n = x.length;
  // Layout (in doubles): x and a copy of its last value (an odd n computes one value more), the results.
  const outAt = n + 2;
  const mem = doubles(k, 2 * outAt);
  mem.set(x);
  mem[n] = n > 0 ? x[n - 1] : 0;
  const rare = k.expInto(0, (n + 1) & ~1, a, b, outAt * 8);
  out.set(mem.subarray(outAt, outAt + n));
  if (rare !== 0) {
    // Some a·x_i − b off the kernel's path (|v| ≥ 708, NaN): those by exp itself (x from the
    // memory: out may be x, overwritten already).
    for (let i = 0; i < n; i++) {
      const v = a * mem[i] - b;
      if (!(Math.abs(v) < 708)) out[i] = exp(v);
    }
  }
  return true;
}

/**
 * `out[j] = Σ_i log1p(c[j]·x[i])`, the terms added in order, in WebAssembly: each sum has the bits
 * of {@link log1pSum}`(c[j], x)`.
 *
 * @param c - the scales
 * @param x - the values
 * @param out - receives one sum per scale
 * @param terms - optional: receives the terms of the last scale's sum, log1p(c[m−1]·x[i])
 * @returns false when WebAssembly SIMD is unavailable (nothing written)
 */
export function wasmLog1pSums(c: Float64Array, x: Float64Array, out: Float64Array, terms?: Float64Array): boolean {
  const k = instance();
  if (k === null) return false;
  const n = x.length;
  const m = c.length;
  const even = n & ~1;
  // Layout (in doubles): x, the scales, the sums, which sums met a term off the kernel's paths, the last sum's terms.
  const cAt = (n + 1) & ~1;
  const outAt = cAt + m;
  const rareAt = outAt + m;
  const termsAt = (rareAt + m + 1) & ~1;
  const mem = doubles(k, termsAt + n + 1);
  mem.set(x);
  mem.set(c, cAt);
  k.log1pSums(0, even, cAt * 8, m, outAt * 8, rareAt * 8, termsAt * 8);
  for (let j = 0; j < m; j++) {
    // A sum with a term off the kernel's paths: log1pSum itself. The last term of an odd n comes
    // last, as in log1pSum's loop.
    if (mem[rareAt + j] !== 0) out[j] = log1pSum(c[j], x);
    else out[j] = even === n ? mem[outAt + j] : mem[outAt + j] + log1p(c[j] * x[n - 1]);
  }
  if (terms && m > 0) {
    const cl = c[m - 1];
    if (mem[rareAt + m - 1] !== 0) for (let i = 0; i < n; i++) terms[i] = log1p(cl * x[i]);
    else {
      terms.set(mem.subarray(termsAt, termsAt + even));
      if (even !== n) terms[n - 1] = log1p(cl * x[n - 1]);
    }
  }
  return true;
}
