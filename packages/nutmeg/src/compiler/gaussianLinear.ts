// The sufficient-statistics rewrite: an observed Normal whose mean is linear in per-group values gets its log density from per-group statistics, O(groups·K²) instead of O(rows).
//
// It applies to a term `y ~ Normal(mu, sigma)` with y data and
//   mu_i = offset_i + Σ_k c_k(i) · V_k[g(i)],
// found by distributing add/sub/neg/mul (and division by data) over mu's expression tree: data
// factors multiply into the columns c_k (computed here, once), parameter-dependent factors are the
// V_k, each a size-1 value, an element of a row-wise matvec's vector, or a vector gathered by ONE
// integer data index g shared by every gathered V_k (and by sigma, when sigma is gathered: otherwise
// sigma is size-1). Any other shape (a product of two parameter factors, exp(…) of a parameter, a
// second index, a per-row parameter) leaves the term to the row loop. The statistics are those of
// math/groupLeastSquares.ts (stable: no Σy², Σxy), the code that reads them ir/gaussianLinearKernel.ts.
//
// Only the log density and its gradient use it (programs.ts); the per-variable log density, the
// outputs, and everything compiled from the spec elsewhere (pointwise log-likelihood, predictive)
// run over the rows. Data is fixed at compile time: the statistics are computed here from the spec's
// arrays, as the WebAssembly path copies them into its memory (prediction builds a new spec).
import { groupLeastSquares, groupStatisticsStride } from '../math/groupLeastSquares.js';
import { emitFusedLoopParts, type FusedLoopCode } from '../ir/fusedLoop.js';
import { gaussianLinearGroupLogp } from '../ir/gaussianLinearKernel.js';
import { IrBuilder, type SNode } from '../ir/scalarIr.js';
import { sizeOf, type GraphNode, type TermSpec } from '../graph/graph.js';
import type { CompileContext } from './context.js';
import { isRowwiseMatvec, sameShape } from './graphQueries.js';
import { refOf } from './lower.js';

/** A parameter-dependent factor V_k: a whole size-1 node, one element of a vector, or a vector gathered by the shared index. */
interface Factor {
  readonly node: number;
  /** 'gather': read at the group's index value; a number: that element of the node. */
  readonly at: 'gather' | number;
}

/** One monomial of mu: a data coefficient (a number, or one value per row) times a factor (none for the offset). */
interface Monomial {
  readonly coef: number | Float64Array;
  readonly factor: Factor | null;
}

/** A term the rewrite applies to: the nodes it reads (they must be stored) and the code that replaces its row loop. */
export interface GaussianLinearTerm {
  readonly term: TermSpec;
  /** The V_k and sigma nodes: the plan keeps them in buffers (or reads them in place). */
  readonly inputs: readonly number[];
  /**
   * The term's loop over groups (JS, and its plan for WebAssembly).
   *
   * @param materialized - the program's materialized nodes
   * @param gradient - also add the gradient to the adjoints
   * @param lpTarget - the JS variable the log density is added to
   * @param onCheckFail - JS run when sigma is not positive
   */
  emit(materialized: ReadonlySet<number>, gradient: boolean, lpTarget: string, onCheckFail: string): FusedLoopCode;
}

/**
 * The rewrite pays when the rows outnumber the statistics' work: rows ≥ this × groups × (K + 1).
 * A group's update (K subtractions, K(K+1)/2 products for R·d, K squares, the cross term, and as
 * much again for the gradient) costs about as much as K + 1 rows of the row loop at K ≤ 3 (radon,
 * K = 2: the likelihood costs ~0.19 µs from 85 groups, ~0.6 µs over 919 rows). Kept low so that one structure over
 * data of different sizes (a model per county, mapFits) mostly compiles to one source.
 */
const MIN_ROWS_PER_GROUP_COLUMN = 1;

/**
 * The most columns K: the statistics hold K(K+1)/2 + 2K + 2 numbers per group and the loop over groups
 * is unrolled in K, so K = 32 already reads ~600 statistics per group (the row-wise matvec's limit;
 * arbitrary).
 */
const MAX_COLUMNS = 32;

const memo = new WeakMap<CompileContext, Map<TermSpec, GaussianLinearTerm>>();

/**
 * The terms of the model the sufficient-statistics rewrite applies to (none when the compile option
 * `sufficientStatistics` is false), remembered per compilation.
 *
 * @returns the rewritten terms, by term
 */
export function gaussianLinearTerms(ctx: CompileContext): Map<TermSpec, GaussianLinearTerm> {
  let found = memo.get(ctx);
  if (found) return found;
  found = new Map();
  if (ctx.sufficientStatistics) {
    for (const t of ctx.spec.terms) {
      const r = matchTerm(ctx, t);
      if (r) found.set(t, r);
    }
  }
  memo.set(ctx, found);
  return found;
}

/** The values of a data-only node (data, a constant, or folded), or undefined when it has none stored. */
function dataValues(ctx: CompileContext, id: number): number | Float64Array | undefined {
  const n = ctx.nodes[id];
  if (n.kind === 'const') return n.value;
  let values: Float64Array | undefined;
  if (n.kind === 'data') values = n.values;
  else if (ctx.folded.has(id)) values = ctx.env.values[`v${id}`] as Float64Array;
  if (!values) return undefined;
  return values.length === 1 ? values[0] : values;
}

/**
 * `a op b` for coefficients (numbers or per-row columns). A column may be returned as it is (× 1,
 * + 0): columns are never written to, since they may be the model's own data.
 */
function combine(a: number | Float64Array, b: number | Float64Array, op: 'add' | 'mul'): number | Float64Array {
  if (typeof a === 'number' && typeof b === 'number') return op === 'add' ? a + b : a * b;
  const unit = op === 'add' ? 0 : 1;
  if (a === unit) return b;
  if (b === unit) return a;
  const n = typeof a === 'number' ? (b as Float64Array).length : a.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = typeof a === 'number' ? a : a[i];
    const y = typeof b === 'number' ? b : b[i];
    out[i] = op === 'add' ? x + y : x * y;
  }
  return out;
}

/** The product of two coefficients. */
const times = (a: number | Float64Array, b: number | Float64Array): number | Float64Array => combine(a, b, 'mul');

/**
 * mu's monomials over rows of shape `shape`, or null when mu is not linear in that way.
 *
 * @param index - filled with the shared index of the gathers (the first one met); a second, different one fails
 */
function monomials(ctx: CompileContext, id: number, shape: readonly number[], index: { value?: Int32Array }): Monomial[] | null {
  const n: GraphNode = ctx.nodes[id];
  const size = sizeOf(n.shape);
  if (size !== 1 && !sameShape(n.shape, shape)) return null;
  if (!ctx.paramDep[id]) {
    const v = dataValues(ctx, id);
    return v === undefined ? null : [{ coef: v, factor: null }];
  }
  if (size === 1) return [{ coef: 1, factor: { node: id, at: 0 } }];
  if (n.kind === 'gather') {
    if (!sameIndex(index, n.index)) return null;
    return [{ coef: 1, factor: { node: n.src, at: 'gather' } }];
  }
  if (isRowwiseMatvec(ctx.nodes, n) && n.kind === 'kernel') {
    const m = ctx.nodes[n.args[0]] as Extract<GraphNode, { kind: 'data' }>;
    const v = ctx.nodes[n.args[1]];
    if (!ctx.paramDep[v.id] || sizeOf(v.shape) !== m.shape[1]) return null;
    const cols = m.shape[1];
    const rows = m.shape[0];
    return Array.from({ length: cols }, (_, j) => {
      const coef = new Float64Array(rows);
      for (let i = 0; i < rows; i++) coef[i] = m.values[i * cols + j];
      return { coef, factor: { node: v.id, at: j } };
    });
  }
  if (n.kind !== 'ew') return null;
  const args = n.args.map((a) => monomials(ctx, a, shape, index));
  if (args.some((a) => a === null)) return null;
  const [x, y] = args as Monomial[][];
  switch (n.op) {
    case 'add':
      return [...x, ...y];
    case 'sub':
      return [...x, ...y.map((m) => ({ coef: times(m.coef, -1), factor: m.factor }))];
    case 'neg':
      return x.map((m) => ({ coef: times(m.coef, -1), factor: m.factor }));
    case 'mul': {
      const out: Monomial[] = [];
      for (const a of x) for (const b of y) {
        if (a.factor && b.factor) return null;
        out.push({ coef: times(a.coef, b.coef), factor: a.factor ?? b.factor });
      }
      return out;
    }
    case 'div': {
      if (ctx.paramDep[n.args[1]] || y.length !== 1) return null;
      const d = y[0].coef;
      let reciprocal: number | Float64Array;
      if (typeof d === 'number') reciprocal = 1 / d;
      else {
        reciprocal = new Float64Array(d.length);
        for (let i = 0; i < d.length; i++) reciprocal[i] = 1 / d[i];
      }
      return x.map((m) => ({ coef: times(m.coef, reciprocal), factor: m.factor }));
    }
    default:
      return null;
  }
}

/** Whether `idx` is the shared index (recording it when it is the first); equal contents count as the same. */
function sameIndex(index: { value?: Int32Array }, idx: Int32Array): boolean {
  if (!index.value) {
    index.value = idx;
    return true;
  }
  if (index.value === idx) return true;
  if (index.value.length !== idx.length) return false;
  for (let i = 0; i < idx.length; i++) if (index.value[i] !== idx[i]) return false;
  return true;
}

/** Whether every value is finite. */
function allFinite(values: number | Float64Array): boolean {
  if (typeof values === 'number') return Number.isFinite(values);
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return false;
  return true;
}

/** A column of `rows` values from a coefficient (a number is repeated). */
const asColumn = (c: number | Float64Array, rows: number): Float64Array => (typeof c === 'number' ? new Float64Array(rows).fill(c) : c);

/** The rewrite of term `t`, or null when it does not apply or would not pay. */
function matchTerm(ctx: CompileContext, t: TermSpec): GaussianLinearTerm | null {
  if (t.kind !== 'dist' || t.dist !== 'Normal') return null;
  const keys = Object.keys(t.params);
  if (keys.length !== 2 || t.params.mu === undefined || t.params.sigma === undefined) return null;
  const { nodes } = ctx;
  const shape = nodes[t.value].shape;
  const rows = sizeOf(shape);
  if (ctx.paramDep[t.value]) return null;
  const y = dataValues(ctx, t.value);
  if (!(y instanceof Float64Array) || y.length !== rows || !allFinite(y)) return null;
  const index: { value?: Int32Array } = {};
  const terms = monomials(ctx, t.params.mu, shape, index);
  if (!terms) return null;
  // sigma: size 1, or gathered by the shared index.
  const sigmaId = t.params.sigma;
  const sigmaNode = nodes[sigmaId];
  let sigma: { node: number; perGroup: boolean };
  if (sizeOf(sigmaNode.shape) === 1) sigma = { node: sigmaId, perGroup: false };
  else if (sigmaNode.kind === 'gather' && sameShape(sigmaNode.shape, shape) && sameIndex(index, sigmaNode.index)) sigma = { node: sigmaNode.src, perGroup: true };
  else return null;
  // Merge the monomials by factor; the data-only ones make the offset.
  const key = (f: Factor): string => `${f.node}:${f.at}`;
  const factors = new Map<string, { factor: Factor; coef: number | Float64Array }>();
  let offset: number | Float64Array = 0;
  for (const m of terms) {
    if (!m.factor) {
      offset = combine(offset, m.coef, 'add');
      continue;
    }
    const k = key(m.factor);
    const prev = factors.get(k);
    if (!prev) factors.set(k, { factor: m.factor, coef: m.coef });
    else prev.coef = combine(prev.coef, m.coef, 'add');
  }
  const list = [...factors.values()];
  const K = list.length;
  if (K === 0 || K > MAX_COLUMNS) return null;
  const columns = list.map((f) => asColumn(f.coef, rows));
  if (!allFinite(offset) || !columns.every(allFinite)) return null;
  // Groups: the distinct values of the shared index (one group of every row without one).
  const idx = index.value ?? new Int32Array(rows);
  let maxValue = 0;
  for (let i = 0; i < rows; i++) maxValue = Math.max(maxValue, idx[i]);
  const counts = new Int32Array(maxValue + 2);
  for (let i = 0; i < rows; i++) counts[idx[i] + 1]++;
  const present: number[] = [];
  for (let v = 0; v <= maxValue; v++) if (counts[v + 1] > 0) present.push(v);
  const groupCount = present.length;
  if (rows < MIN_ROWS_PER_GROUP_COLUMN * groupCount * (K + 1)) return null;
  // Rows in group order (a counting sort), each group's run compact.
  for (let v = 0; v <= maxValue; v++) counts[v + 1] += counts[v];
  const order = new Int32Array(rows);
  const next = counts.slice(0, maxValue + 1);
  for (let i = 0; i < rows; i++) order[next[idx[i]]++] = i;
  const starts = Int32Array.from({ length: groupCount + 1 }, (_, j) => (j < groupCount ? counts[present[j]] : rows));
  // The loop runs over the groups that have rows (an unused entry of a per-group vector is never read,
  // as in the row loop). When they are 0…G−1, V_k[g] is read at the loop's own position, as the
  // WebAssembly loops can; otherwise through the list of groups (a JS loop).
  const groupValues = present.length === maxValue + 1 ? null : Int32Array.from(present);
  const yc = combine(y, times(offset, -1), 'add') as Float64Array;
  const stats = groupLeastSquares(yc, columns, order, starts);
  const stride = groupStatisticsStride(K);
  // One array per statistic (columns over groups): each read at the loop's position.
  const statColumns = Array.from({ length: stride }, (_, f) => Float64Array.from({ length: groupCount }, (_, g) => stats[g * stride + f]));
  const inputs = [...new Set([...list.map((f) => f.factor.node), sigma.node])];
  return {
    term: t,
    inputs,
    emit(materialized, gradient, lpTarget, onCheckFail) {
      const { env } = ctx;
      const b = new IrBuilder();
      const at = b.index('i');
      const group = groupValues ? b.index(`${env.constant(groupValues)}[i]`) : at;
      const read = (node: number, where: 'gather' | number): SNode => {
        const n = nodes[node];
        if (n.kind === 'const') return b.c(n.value);
        const ref = refOf(ctx, node, materialized, gradient);
        if (where === 'gather') return b.load(ref, group);
        return b.load(ref, sizeOf(n.shape) === 1 ? undefined : b.index(String(where), false));
      };
      const stat = (f: number): SNode => b.load({ array: env.constant(statColumns[f]), offset: 0, param: false }, at);
      const { terms, checks } = gaussianLinearGroupLogp(b, {
        coefficients: list.map((f) => read(f.factor.node, f.factor.at)),
        sigma: read(sigma.node, sigma.perGroup ? 'gather' : 0),
        rows: stat(0),
        rss: stat(1),
        c: list.map((_, k) => stat(2 + k)),
        vhat: list.map((_, k) => stat(2 + K + k)),
        r: Array.from({ length: (K * (K + 1)) / 2 }, (_, j) => stat(2 + 2 * K + j)),
      });
      const n = groupCount === 1 ? b.c(1) : b.size(env.integer(`n${t.value}_ssGroups`, groupCount));
      return emitFusedLoopParts(b, { n, lpTerms: terms, lpTarget, gradient, checks: checks.filter((c) => c.node.param), onCheckFail });
    },
  };
}
