// Non-elementwise kernels (sum, dot, matvec, stick-breaking, triangular solves): JS for both passes.
import { CHOLESKY_CORR_KERNELS } from './choleskyCorrKernels.js';
import { MATRIX_KERNELS } from './matrixKernels.js';

/** How generated code reads an input of a kernel, and where its adjoint goes. */
export interface KernelInput {
  readonly size: number;
  /**
   * JS code of `size`: '1', or the name of an environment constant. Generated code uses it rather
   * than the number, so that its source does not depend on data sizes (see compiler/environment.ts).
   */
  readonly count: string;
  readonly shape: readonly number[];
  /** JS expression of element `j` (a JS index expression). */
  read(j: string): string;
  /** JS lvalue of the adjoint of element `j`, or null for constants (data). */
  adj(j: string): string | null;
}

/** Everything a kernel needs to emit its code. */
export interface KernelContext {
  readonly args: readonly KernelInput[];
  /** Output value array and adjoint array names (length `size`). */
  readonly out: string;
  readonly outAdj: string;
  readonly size: number;
  /** JS code of `size` (see {@link KernelInput.count}). */
  readonly count: string;
  readonly attrs: Readonly<Record<string, number | string | Float64Array>>;
  /** Registers a constant array and returns its JS name. */
  constant(values: Float64Array): string;
  /** JS code of a data-dependent integer of this kernel (such as an attribute), registered as `name`. */
  integer(name: string, value: number): string;
  /**
   * A unique local name. The prefix must not be one the compiler uses for its own names (`t`, `v`,
   * `a`, `k`, `s`, `n`, `o`, `acc` followed by digits): `a3` would shadow the adjoint buffer of node 3.
   */
  local(prefix: string): string;
}

/** A kernel: the forward pass writes `out`; the backward pass reads `outAdj` and adds to inputs' adjoints. */
export interface Kernel {
  forward(ctx: KernelContext): string;
  backward(ctx: KernelContext): string;
}

const addTo = (target: string | null, value: string): string => (target ? `${target} += ${value};` : '');

/** The registry of kernels by op name. */
export const KERNELS: Record<string, Kernel> = {
  sum: {
    forward: (c) => {
      const [x] = c.args;
      const s = c.local('kSum');
      return `{ let ${s} = 0; for (let j = 0; j < ${x.count}; j++) ${s} += ${x.read('j')}; ${c.out}[0] = ${s}; }`;
    },
    backward: (c) => {
      const [x] = c.args;
      if (!x.adj('j')) return '';
      const a = c.local('kAdj');
      return `{ const ${a} = ${c.outAdj}[0]; for (let j = 0; j < ${x.count}; j++) ${x.adj('j')} += ${a}; }`;
    },
  },
  dot: {
    forward: (c) => {
      const [x, y] = c.args;
      const s = c.local('kSum');
      return `{ let ${s} = 0; for (let j = 0; j < ${x.count}; j++) ${s} += ${x.read('j')} * ${y.read('j')}; ${c.out}[0] = ${s}; }`;
    },
    backward: (c) => {
      const [x, y] = c.args;
      const a = c.local('kAdj');
      return `{ const ${a} = ${c.outAdj}[0]; for (let j = 0; j < ${x.count}; j++) { ${addTo(x.adj('j'), `${a} * ${y.read('j')}`)} ${addTo(y.adj('j'), `${a} * ${x.read('j')}`)} } }`;
    },
  },
  matvec: {
    // out[r] = Σ_j M[r, j] v[j]
    forward: (c) => {
      const [m, v] = c.args;
      const k = v.count;
      const s = c.local('kSum');
      return `for (let r = 0; r < ${c.count}; r++) { let ${s} = 0; const o = r * ${k}; for (let j = 0; j < ${k}; j++) ${s} += ${m.read('o + j')} * ${v.read('j')}; ${c.out}[r] = ${s}; }`;
    },
    backward: (c) => {
      const [m, v] = c.args;
      const k = v.count;
      return `for (let r = 0; r < ${c.count}; r++) { const a = ${c.outAdj}[r]; if (a === 0) continue; const o = r * ${k}; for (let j = 0; j < ${k}; j++) { ${addTo(v.adj('j'), `a * ${m.read('o + j')}`)} ${addTo(m.adj('o + j'), `a * ${v.read('j')}`)} } }`;
    },
  },
  stickBreaking: {
    // y (K−1) → simplex x (K); see transforms/simplex.ts.
    forward: (c) => {
      const [y] = c.args;
      const K1 = y.count; // K − 1
      return `{ let rem = 1; for (let k = 0; k < ${K1}; k++) { const z = expit(${y.read('k')} - log(${K1} - k)); const xk = rem * z; ${c.out}[k] = xk; rem -= xk; } ${c.out}[${K1}] = rem; }`;
    },
    backward: (c) => {
      const [y] = c.args;
      const K1 = y.count; // K − 1
      const zs = c.constant(new Float64Array(c.size));
      const rs = c.constant(new Float64Array(c.size));
      return `{ let rem = 1; for (let k = 0; k < ${K1}; k++) { const z = expit(${y.read('k')} - log(${K1} - k)); ${zs}[k] = z; ${rs}[k] = rem; rem -= rem * z; }
        let aRem = ${c.outAdj}[${K1}];
        for (let k = ${K1} - 1; k >= 0; k--) { const z = ${zs}[k], r = ${rs}[k], ax = ${c.outAdj}[k];
          const az = (ax - aRem) * r; aRem = ax * z + aRem * (1 - z); ${addTo(y.adj('k'), 'az * z * (1 - z)')} } }`;
    },
  },
  stickBreakingLogDet: {
    // Σ_k log z_k + log(1 − z_k) + log r_k
    forward: (c) => {
      const [y] = c.args;
      const K1 = y.count; // K − 1
      return `{ let rem = 1, s = 0; for (let k = 0; k < ${K1}; k++) { const u = ${y.read('k')} - log(${K1} - k); const z = expit(u); s += -log1pexp(-u) - log1pexp(u) + log(rem); rem -= rem * z; } ${c.out}[0] = s; }`;
    },
    backward: (c) => {
      const [y] = c.args;
      const K1 = y.count; // K − 1
      return `{ const a = ${c.outAdj}[0]; const K2 = ${K1} - 1; for (let k = 0; k < ${K1}; k++) { const z = expit(${y.read('k')} - log(${K1} - k)); ${addTo(y.adj('k'), `a * (1 - 2 * z - K2 * z + k * z)`)} } }`;
    },
  },
  solveLowerRows: {
    // For each row r of x ([rows, k]): z_r = L⁻¹ x_r with a constant lower-triangular L (k×k).
    forward: (c) => {
      const [x] = c.args;
      const k = c.integer('k', c.attrs.k as number);
      const L = c.constant(c.attrs.L as Float64Array);
      return `for (let o = 0; o < ${c.count}; o += ${k}) { for (let i = 0; i < ${k}; i++) { let s = ${x.read('o + i')}; for (let j = 0; j < i; j++) s -= ${L}[i * ${k} + j] * ${c.out}[o + j]; ${c.out}[o + i] = s / ${L}[i * (${k} + 1)]; } }`;
    },
    backward: (c) => {
      // adj_x = L⁻ᵀ adj_z, row by row (back substitution with Lᵀ).
      const [x] = c.args;
      if (!x.adj('0')) return '';
      const kValue = c.attrs.k as number;
      const k = c.integer('k', kValue);
      const L = c.constant(c.attrs.L as Float64Array);
      const w = c.constant(new Float64Array(kValue));
      return `for (let o = 0; o < ${c.count}; o += ${k}) { for (let i = ${k} - 1; i >= 0; i--) { let s = ${c.outAdj}[o + i]; for (let j = i + 1; j < ${k}; j++) s -= ${L}[j * ${k} + i] * ${w}[j]; ${w}[i] = s / ${L}[i * (${k} + 1)]; } for (let i = 0; i < ${k}; i++) ${x.adj('o + i')} += ${w}[i]; }`;
    },
  },
  ...MATRIX_KERNELS,
  ...CHOLESKY_CORR_KERNELS,
};
