// Matrix kernels (matmul, transpose, reshape, diagonal) over row-major 2-D tensors: JS for both passes.
import type { Kernel, KernelContext } from './kernels.js';

const addTo = (target: string | null, value: string): string => (target ? `${target} += ${value};` : '');

/** The sizes of a kernel's 2-D operands as JS integers named after the node (never their values). */
function dims(c: KernelContext, names: string[], values: number[]): string[] {
  return names.map((n, i) => c.integer(n, values[i]));
}

/** Matrix kernels by op name (merged into KERNELS). */
export const MATRIX_KERNELS: Record<string, Kernel> = {
  matmul: {
    // out[r, q] = Σ_l A[r, l] B[l, q] with A [m, k], B [k, p].
    forward: (c) => {
      const [A, B] = c.args;
      const [m, k, p] = dims(c, ['m', 'k', 'p'], [A.shape[0], A.shape[1], B.shape[1]]);
      const s = c.local('kSum');
      return `for (let r = 0; r < ${m}; r++) { for (let q = 0; q < ${p}; q++) { let ${s} = 0; for (let l = 0; l < ${k}; l++) ${s} += ${A.read(`r * ${k} + l`)} * ${B.read(`l * ${p} + q`)}; ${c.out}[r * ${p} + q] = ${s}; } }`;
    },
    backward: (c) => {
      // adj A = adj out · Bᵀ, adj B = Aᵀ · adj out.
      const [A, B] = c.args;
      const [m, k, p] = dims(c, ['m', 'k', 'p'], [A.shape[0], A.shape[1], B.shape[1]]);
      const gA = addTo(A.adj(`r * ${k} + l`), `a * ${B.read(`l * ${p} + q`)}`);
      const gB = addTo(B.adj(`l * ${p} + q`), `a * ${A.read(`r * ${k} + l`)}`);
      if (!gA && !gB) return '';
      return `for (let r = 0; r < ${m}; r++) { for (let q = 0; q < ${p}; q++) { const a = ${c.outAdj}[r * ${p} + q]; if (a === 0) continue; for (let l = 0; l < ${k}; l++) { ${gA} ${gB} } } }`;
    },
  },
  transpose: {
    // out[q, r] = x[r, q] with x [m, p].
    forward: (c) => {
      const [x] = c.args;
      const [m, p] = dims(c, ['m', 'p'], [x.shape[0], x.shape[1]]);
      return `for (let r = 0; r < ${m}; r++) for (let q = 0; q < ${p}; q++) ${c.out}[q * ${m} + r] = ${x.read(`r * ${p} + q`)};`;
    },
    backward: (c) => {
      const [x] = c.args;
      const [m, p] = dims(c, ['m', 'p'], [x.shape[0], x.shape[1]]);
      const g = addTo(x.adj(`r * ${p} + q`), `${c.outAdj}[q * ${m} + r]`);
      return g ? `for (let r = 0; r < ${m}; r++) for (let q = 0; q < ${p}; q++) ${g}` : '';
    },
  },
  reshape: {
    // The same elements in the same (row-major) order under another shape.
    forward: (c) => {
      const [x] = c.args;
      return `for (let j = 0; j < ${c.count}; j++) ${c.out}[j] = ${x.read('j')};`;
    },
    backward: (c) => {
      const [x] = c.args;
      const g = addTo(x.adj('j'), `${c.outAdj}[j]`);
      return g ? `for (let j = 0; j < ${c.count}; j++) ${g}` : '';
    },
  },
  diagonal: {
    // out[d] = x[d, d] of a square x [n, n].
    forward: (c) => {
      const [x] = c.args;
      const [n] = dims(c, ['n'], [x.shape[0]]);
      return `for (let d = 0; d < ${n}; d++) ${c.out}[d] = ${x.read(`d * (${n} + 1)`)};`;
    },
    backward: (c) => {
      const [x] = c.args;
      const [n] = dims(c, ['n'], [x.shape[0]]);
      const g = addTo(x.adj(`d * (${n} + 1)`), `${c.outAdj}[d]`);
      return g ? `for (let d = 0; d < ${n}; d++) ${g}` : '';
    },
  },
};
