// Kernels of the Cholesky-factor-of-correlation transform (Stan's cholesky_factor_corr): forward and backward JS.
//
// Unconstrained y (K(K−1)/2, the strict lower triangle row by row) → z = tanh(y), the canonical
// partial correlations → L row by row: L[i, j] = z_ij·w_j, L[i, i] = w_i, where w_0 = 1 and
// w_{j+1} = w_j·sqrt(1 − z_ij²) = w_j·sech(y_ij) (so every row has unit norm). Using sech(y) rather
// than sqrt(1 − tanh²(y)) keeps w exact when |y| is large. See transforms/choleskyCorr.ts.
import type { Kernel } from './kernels.js';

/** Kernels of the choleskyCorr transform by op name (merged into KERNELS). */
export const CHOLESKY_CORR_KERNELS: Record<string, Kernel> = {
  choleskyCorr: {
    forward: (c) => {
      const [y] = c.args;
      const K = c.integer('K', c.attrs.K as number);
      return `{ let k = 0; for (let i = 0; i < ${K}; i++) { const o = i * ${K}; let w = 1; for (let j = 0; j < i; j++) { const yk = ${y.read('k')}; k++; ${c.out}[o + j] = tanh(yk) * w; w /= cosh(yk); } ${c.out}[o + i] = w; for (let j = i + 1; j < ${K}; j++) ${c.out}[o + j] = 0; } }`;
    },
    backward: (c) => {
      // Per row, in reverse: L_ij = t_j w_j and w_{j+1} = s_j w_j with t = tanh(y), s = sech(y);
      // dt/dy = s², ds/dy = −s·t. The adjoint of w flows from L_ii down the row.
      const [y] = c.args;
      if (!y.adj('0')) return '';
      const Kv = c.attrs.K as number;
      const K = c.integer('K', Kv);
      const ws = c.constant(new Float64Array(Math.max(Kv, 1)));
      return `for (let i = 1; i < ${K}; i++) { const o = i * ${K}; const base = (i * (i - 1)) / 2;
        let w = 1; for (let j = 0; j < i; j++) { ${ws}[j] = w; w /= cosh(${y.read('base + j')}); }
        let aw = ${c.outAdj}[o + i];
        for (let j = i - 1; j >= 0; j--) { const yk = ${y.read('base + j')}; const t = tanh(yk), s = 1 / cosh(yk), wj = ${ws}[j], aL = ${c.outAdj}[o + j];
          ${y.adj('base + j')} += wj * s * (aL * s - aw * t); aw = aL * t + aw * s; } }`;
    },
  },
  choleskyCorrLogDet: {
    // log|det J| = Σ_{j<i} (i + 1 − j)·log sech(y_ij): 2·log sech from tanh, and log w_j for the
    // rows' scaling (log w_j = Σ_{l<j} log sech(y_il)).
    forward: (c) => {
      const [y] = c.args;
      const K = c.integer('K', c.attrs.K as number);
      return `{ let s = 0, k = 0; for (let i = 1; i < ${K}; i++) for (let j = 0; j < i; j++) { const ay = Math.abs(${y.read('k')}); k++; s -= (i + 1 - j) * (ay + log1p(exp(-2 * ay)) - Math.LN2); } ${c.out}[0] = s; }`;
    },
    backward: (c) => {
      const [y] = c.args;
      if (!y.adj('0')) return '';
      const K = c.integer('K', c.attrs.K as number);
      return `{ const a = ${c.outAdj}[0]; let k = 0; for (let i = 1; i < ${K}; i++) for (let j = 0; j < i; j++) { ${y.adj('k')} -= a * (i + 1 - j) * tanh(${y.read('k')}); k++; } }`;
    },
  },
};
