// Non-elementwise kernels (sum, dot, matvec, stick-breaking, triangular solves): JS for both passes.

/** How generated code reads an input of a kernel, and where its adjoint goes. */
export interface KernelInput {
  readonly size: number;
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
  readonly attrs: Readonly<Record<string, number | string | Float64Array>>;
  /** Registers a constant array and returns its JS name. */
  constant(values: Float64Array): string;
  /**
   * A unique local name. The prefix must not be one the compiler uses for its own names (`t`, `v`,
   * `a`, `k`, `s`, `acc` followed by digits): `a3` would shadow the adjoint buffer of node 3.
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
      return `{ let ${s} = 0; for (let j = 0; j < ${x.size}; j++) ${s} += ${x.read('j')}; ${c.out}[0] = ${s}; }`;
    },
    backward: (c) => {
      const [x] = c.args;
      if (!x.adj('j')) return '';
      const a = c.local('kAdj');
      return `{ const ${a} = ${c.outAdj}[0]; for (let j = 0; j < ${x.size}; j++) ${x.adj('j')} += ${a}; }`;
    },
  },
  dot: {
    forward: (c) => {
      const [x, y] = c.args;
      const s = c.local('kSum');
      return `{ let ${s} = 0; for (let j = 0; j < ${x.size}; j++) ${s} += ${x.read('j')} * ${y.read('j')}; ${c.out}[0] = ${s}; }`;
    },
    backward: (c) => {
      const [x, y] = c.args;
      const a = c.local('kAdj');
      return `{ const ${a} = ${c.outAdj}[0]; for (let j = 0; j < ${x.size}; j++) { ${addTo(x.adj('j'), `${a} * ${y.read('j')}`)} ${addTo(y.adj('j'), `${a} * ${x.read('j')}`)} } }`;
    },
  },
  matvec: {
    // out[r] = Σ_j M[r, j] v[j]
    forward: (c) => {
      const [m, v] = c.args;
      const k = v.size;
      const s = c.local('kSum');
      return `for (let r = 0; r < ${c.size}; r++) { let ${s} = 0; const o = r * ${k}; for (let j = 0; j < ${k}; j++) ${s} += ${m.read('o + j')} * ${v.read('j')}; ${c.out}[r] = ${s}; }`;
    },
    backward: (c) => {
      const [m, v] = c.args;
      const k = v.size;
      return `for (let r = 0; r < ${c.size}; r++) { const a = ${c.outAdj}[r]; if (a === 0) continue; const o = r * ${k}; for (let j = 0; j < ${k}; j++) { ${addTo(v.adj('j'), `a * ${m.read('o + j')}`)} ${addTo(m.adj('o + j'), `a * ${v.read('j')}`)} } }`;
    },
  },
  stickBreaking: {
    // y (K−1) → simplex x (K); see transforms/simplex.ts.
    forward: (c) => {
      const [y] = c.args;
      const K = c.size;
      return `{ let rem = 1; for (let k = 0; k < ${K - 1}; k++) { const z = expit(${y.read('k')} - Math.log(${K - 1} - k)); const xk = rem * z; ${c.out}[k] = xk; rem -= xk; } ${c.out}[${K - 1}] = rem; }`;
    },
    backward: (c) => {
      const [y] = c.args;
      const K = c.size;
      const zs = c.constant(new Float64Array(K));
      const rs = c.constant(new Float64Array(K));
      return `{ let rem = 1; for (let k = 0; k < ${K - 1}; k++) { const z = expit(${y.read('k')} - Math.log(${K - 1} - k)); ${zs}[k] = z; ${rs}[k] = rem; rem -= rem * z; }
        let aRem = ${c.outAdj}[${K - 1}];
        for (let k = ${K - 2}; k >= 0; k--) { const z = ${zs}[k], r = ${rs}[k], ax = ${c.outAdj}[k];
          const az = (ax - aRem) * r; aRem = ax * z + aRem * (1 - z); ${addTo(y.adj('k'), 'az * z * (1 - z)')} } }`;
    },
  },
  stickBreakingLogDet: {
    // Σ_k log z_k + log(1 − z_k) + log r_k
    forward: (c) => {
      const [y] = c.args;
      const K = y.size + 1;
      return `{ let rem = 1, s = 0; for (let k = 0; k < ${K - 1}; k++) { const u = ${y.read('k')} - Math.log(${K - 1} - k); const z = expit(u); s += -log1pexp(-u) - log1pexp(u) + Math.log(rem); rem -= rem * z; } ${c.out}[0] = s; }`;
    },
    backward: (c) => {
      const [y] = c.args;
      const K = y.size + 1;
      return `{ const a = ${c.outAdj}[0]; for (let k = 0; k < ${K - 1}; k++) { const z = expit(${y.read('k')} - Math.log(${K - 1} - k)); ${addTo(y.adj('k'), `a * (1 - 2 * z - ${K - 2} * z + k * z)`)} } }`;
    },
  },
  solveLowerRows: {
    // For each row r of x ([rows, k]): z_r = L⁻¹ x_r with a constant lower-triangular L (k×k).
    forward: (c) => {
      const [x] = c.args;
      const k = c.attrs.k as number;
      const L = c.constant(c.attrs.L as Float64Array);
      return `for (let o = 0; o < ${c.size}; o += ${k}) { for (let i = 0; i < ${k}; i++) { let s = ${x.read('o + i')}; for (let j = 0; j < i; j++) s -= ${L}[i * ${k} + j] * ${c.out}[o + j]; ${c.out}[o + i] = s / ${L}[i * ${k + 1}]; } }`;
    },
    backward: (c) => {
      // adj_x = L⁻ᵀ adj_z, row by row (back substitution with Lᵀ).
      const [x] = c.args;
      if (!x.adj('0')) return '';
      const k = c.attrs.k as number;
      const L = c.constant(c.attrs.L as Float64Array);
      const w = c.constant(new Float64Array(k));
      return `for (let o = 0; o < ${c.size}; o += ${k}) { for (let i = ${k - 1}; i >= 0; i--) { let s = ${c.outAdj}[o + i]; for (let j = i + 1; j < ${k}; j++) s -= ${L}[j * ${k} + i] * ${w}[j]; ${w}[i] = s / ${L}[i * ${k + 1}]; } for (let i = 0; i < ${k}; i++) ${x.adj('o + i')} += ${w}[i]; }`;
    },
  },
};
