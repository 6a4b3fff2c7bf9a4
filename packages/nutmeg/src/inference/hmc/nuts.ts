// The No-U-Turn sampler kernel: multinomial NUTS with the generalised U-turn criterion, as Stan does it.
//
// Sign convention (inside hmc/ only): H(q, p) = −log π(q) + ½ pᵀ Σ p; "energy" is H.
// The kernel is pure in the BlackJAX sense — `step(rng, state, params)` returns a new state and an
// info record and never mutates its input — but to keep a leapfrog allocation-free it works in
// preallocated scratch (per tree depth), owned by the kernel object. One kernel per chain.
import type { LogDensity } from '../../core/types.js';
import type { Rng } from '../../core/rng.js';
import { OptionError } from '../../core/errors.js';
import { NUTS_DEFAULTS, type NutsOptions } from './settings.js';
import { diagMetric, sampleMomentum, velocity, type Metric } from './metric.js';
import { copyPhasePoint, evaluate, halfKick, kickDrift, newPhasePoint, type PhasePoint } from './integrators.js';
import { copyVec, createVectorArena, WASM_MIN_DIM, type VectorArena } from './vectorArena.js';
import { exp } from '../../core/libm/index.js';
import { VectorSlab } from './vectorSlab.js';

/**
 * The state of a chain between transitions. Never aliased with kernel scratch, and never written
 * after it is handed out; its vectors may be views into a larger buffer shared with other states
 * (see VectorSlab), so copy them when keeping many states of a long run.
 */
export interface HmcState {
  readonly position: Float64Array;
  readonly logDensity: number;
  readonly grad: Float64Array;
}

/** Where and how a trajectory diverged. */
export interface DivergenceInfo {
  /** Position the transition started from. */
  readonly start: Float64Array;
  /** Position at which the energy error first exceeded the threshold (or the density failed). */
  readonly end: Float64Array;
  /** H(end) − H(start) (+∞ when the log density was not finite). */
  readonly energyError: number;
  /** Message of the DomainError thrown by the log density there, if any. */
  readonly message?: string;
}

/** What one NUTS transition did (ArviZ's sample_stats, in TypeScript case). */
export interface NutsInfo {
  /** True when some leapfrog step's energy error exceeded the divergence threshold. */
  readonly diverging: boolean;
  /** Hamiltonian at the selected point. */
  readonly energy: number;
  /** H(selected) − H(initial). */
  readonly energyError: number;
  /** The energy error of largest magnitude along the trajectory (signed). */
  readonly maxEnergyError: number;
  /** Depth of the final tree (Stan's treedepth__). */
  readonly treeDepth: number;
  /** Leapfrog steps (= gradient evaluations) taken (Stan's n_leapfrog__). */
  readonly nSteps: number;
  /** Mean Metropolis acceptance probability over the trajectory (Stan's accept_stat__). */
  readonly acceptanceRate: number;
  /** True when the tree stopped at the maximum depth without a U-turn. */
  readonly reachedMaxTreeDepth: boolean;
  /** Details of the divergence, when `diverging`. */
  readonly divergence?: DivergenceInfo;
}

/** Tuning values passed to every transition. */
export interface NutsParams {
  readonly stepSize: number;
  readonly metric: Metric;
}

/** The NUTS kernel: BlackJAX-style `init`/`step`. */
export interface NutsKernel {
  /** The state at `position` (evaluates the log density and gradient). */
  init(position: Float64Array): HmcState;
  /** One transition from `state`; returns a new state and what happened. */
  step(rng: Rng, state: HmcState, params: NutsParams): [HmcState, NutsInfo];
  /**
   * Hands the kernel's trajectory storage back for reuse by the next kernel built on this thread
   * (which then runs the same, already optimised, code). The kernel must not be used afterwards.
   */
  release(): void;
}

/** A candidate point of the trajectory: where it is, its log density, gradient and energy. */
interface Proposal {
  readonly q: Float64Array;
  readonly grad: Float64Array;
  logDensity: number;
  energy: number;
}

/**
 * What the U-turn criterion needs of a (sub)trajectory: ρ, its summed momentum, and the momentum p
 * and velocity ♯ = Σp at its first (`beg`) and last (`end`) state. The vectors are owned by exactly
 * one span at a time and change hands by swapping references, never by copying.
 */
interface Span {
  rho: Float64Array;
  pBeg: Float64Array;
  sBeg: Float64Array;
  pEnd: Float64Array;
  sEnd: Float64Array;
}

/** Weights are kept as exp(Href − H); Href is moved to the current H before exp(Href − H) can overflow. */
const MAX_LOG_WEIGHT = 600;

/** The placeholder for "no metric copied yet". */
const NO_METRIC: Metric = diagMetric(new Float64Array(0));

/**
 * The trajectory builder, with all scratch preallocated (one per chain).
 *
 * Layout of the work. A transition doubles the trajectory forwards or backwards in time, as Stan
 * does. Each new subtree of 2^depth leapfrog steps is built leaf by leaf, without recursion:
 * after leaf i, every subtree that leaf completes (one per trailing 1-bit of i) is merged with its
 * pending left sibling on a stack of spans and checked with the generalised U-turn criterion and
 * Stan's extra checks across the two halves; that is the same set of checks, on the same
 * subtrees, as Stan's recursive build_tree. Within a subtree a proposal is drawn by progressive
 * multinomial sampling leaf by leaf (leaf i replaces the current one with probability
 * w_i / Σ_{j≤i} w_j), which selects each leaf with probability proportional to its weight, the
 * distribution Stan's pairwise merges give; between subtrees the top level uses Stan's biased
 * progressive sampling.
 */
class Trajectory {
  readonly d: number;
  readonly maxTreeDepth: number;
  readonly divergenceThreshold: number;
  readonly logDensity: LogDensity;
  /** Vector storage and hot loops (WebAssembly when available). */
  readonly arena: VectorArena;
  /** The integration states at the forward and backward ends. */
  readonly zFwd: PhasePoint;
  readonly zBck: PhasePoint;
  /** The whole trajectory's span, in time order (beg = backward end, end = forward end). */
  readonly tree: Span;
  /** The span of the subtree being built (in integration order); after a merge, the merged span. */
  readonly cur: Span;
  /** Pending left siblings by level while a subtree is built. */
  readonly stack: Span[] = [];
  /** The selected point of the trajectory and of the subtree being built (swapped on acceptance). */
  sample: Proposal;
  sub: Proposal;
  readonly scratch: Float64Array;
  /** Where the states handed out are copied to (fresh vectors, cheaper than a new array each). */
  readonly states: VectorSlab;
  /** The diagonal inverse metric, copied into the arena; `arenaMetricOf` is the metric it came from. */
  readonly mArena: Float64Array;
  // Starts as an empty metric, never undefined: comparing `undefined` with a metric object in
  // the first transition left V8 feedback that threw the optimised transition away later.
  arenaMetricOf: Metric = NO_METRIC;

  // Per-transition state.
  rng!: Rng;
  metric!: Metric;
  start!: HmcState;
  signedStep = 0;
  H0 = 0;
  /** Reference energy of the weights exp(Href − H). */
  Href = 0;
  /** Total weight of the trajectory so far, and of the last subtree built. */
  treeWeight = 0;
  subWeight = 0;
  nLeapfrog = 0;
  sumMetroProb = 0;
  maxEnergyError = 0;
  divergent = false;
  divergence: DivergenceInfo | undefined;

  constructor(logDensity: LogDensity, maxTreeDepth: number, divergenceThreshold: number, useWasm = true) {
    const d = logDensity.dim;
    this.d = d;
    this.logDensity = logDensity;
    this.maxTreeDepth = maxTreeDepth;
    this.divergenceThreshold = divergenceThreshold;
    const vectors = (maxTreeDepth + 2) * 5 + 20;
    this.arena = createVectorArena(vectors * d, useWasm);
    const v = (): Float64Array => this.arena.alloc(d);
    const span = (): Span => ({ rho: v(), pBeg: v(), sBeg: v(), pEnd: v(), sEnd: v() });
    for (let k = 0; k < maxTreeDepth; k++) this.stack.push(span());
    this.tree = span();
    this.cur = span();
    this.zFwd = { q: v(), p: v(), grad: v(), logDensity: NaN, error: undefined };
    this.zBck = { q: v(), p: v(), grad: v(), logDensity: NaN, error: undefined };
    this.sample = { q: v(), grad: v(), logDensity: NaN, energy: NaN };
    this.sub = { q: v(), grad: v(), logDensity: NaN, energy: NaN };
    this.scratch = v();
    this.mArena = v();
    this.states = new VectorSlab(d);
  }

  /**
   * Builds a subtree of 2^depth leapfrog steps from `z` (moving it to the subtree's far end). On
   * success returns true with the subtree's span in `cur`, its proposal in `sub` and its weight in
   * `subWeight`; returns false when it diverged or U-turned inside.
   */
  buildSubtree(depth: number, z: PhasePoint): boolean {
    const n = 1 << depth;
    const eps = this.signedStep;
    const h = 0.5 * eps;
    const metric = this.metric;
    const cur = this.cur;
    const sub = this.sub;
    const stack = this.stack;
    let W = 0;
    for (let i = 0; i < n; i++) {
      // One leapfrog step; the new leaf's momentum and velocity fill `cur` as a one-leaf span.
      let lp: number;
      let k: number;
      if (metric.kind === 'diag') {
        const m = this.mArena;
        this.arena.kickDrift(z.p, z.grad, z.q, m, h, eps);
        lp = evaluate(this.logDensity, z);
        k = this.arena.finishLeaf(z.p, z.grad, m, h, cur.rho, cur.pBeg, cur.pEnd, cur.sBeg, cur.sEnd);
      } else {
        lp = kickDrift(this.logDensity, metric, z, eps, this.scratch);
        halfKick(z, eps);
        k = velocity(metric, z.p, cur.sEnd);
        copyVec(cur.sBeg, cur.sEnd);
        copyVec(cur.rho, z.p);
        copyVec(cur.pBeg, z.p);
        copyVec(cur.pEnd, z.p);
      }
      this.nLeapfrog++;
      let H = k - lp;
      if (Number.isNaN(H)) H = Infinity;
      const err = H - this.H0;
      if (!(Math.abs(err) <= Math.abs(this.maxEnergyError))) this.maxEnergyError = err;
      let logWeight = this.Href - H;
      if (logWeight > MAX_LOG_WEIGHT) {
        // Rebase the weights on this H (an energy far below H0: early warm-up far from the mode).
        const f = exp(-logWeight);
        this.treeWeight *= f;
        W *= f;
        this.Href = H;
        logWeight = 0;
      }
      const weight = exp(logWeight);
      this.sumMetroProb += err <= 0 ? 1 : this.Href === this.H0 ? weight : exp(-err);
      if (err > this.divergenceThreshold) {
        this.divergent = true;
        this.divergence = {
          start: this.start.position.slice(),
          end: z.q.slice(),
          energyError: err,
          ...(z.error !== undefined ? { message: z.error } : {}),
        };
        return false;
      }
      W += weight;
      if (i === 0 || this.rng.uniform() * W < weight) {
        copyVec(sub.q, z.q);
        copyVec(sub.grad, z.grad);
        sub.logDensity = lp;
        sub.energy = H;
      }
      // Merge every subtree this leaf completes with its left sibling, checking each merge.
      let level = 0;
      for (; (i >> level) & 1; level++) {
        const left = stack[level];
        const ok = this.arena.merge(left.rho, cur.rho, left.rho, left.sBeg, cur.sEnd, cur.pBeg, cur.sBeg, left.pEnd, left.sEnd);
        if (!ok) return false;
        takeBeginning(cur, left);
      }
      if (i < n - 1) swapSpans(cur, stack[level]);
    }
    this.subWeight = W;
    return true;
  }

  transition(rng: Rng, state: HmcState, params: NutsParams): [HmcState, NutsInfo] {
    const { stepSize, metric } = params;
    this.rng = rng;
    this.metric = metric;
    this.start = state;
    if (metric.kind === 'diag' && this.arenaMetricOf !== metric) {
      copyVec(this.mArena, metric.inverseMetric);
      this.arenaMetricOf = metric;
    }
    this.nLeapfrog = 0;
    this.sumMetroProb = 0;
    this.maxEnergyError = 0;
    this.divergent = false;
    this.divergence = undefined;
    const { zFwd, zBck, tree, cur } = this;
    copyVec(zFwd.q, state.position);
    copyVec(zFwd.grad, state.grad);
    zFwd.logDensity = state.logDensity;
    zFwd.error = undefined;
    sampleMomentum(metric, rng, zFwd.p, this.scratch);
    copyPhasePoint(zBck, zFwd);
    const H0 = velocity(metric, zFwd.p, tree.sBeg) - state.logDensity;
    this.H0 = H0;
    this.Href = H0;
    this.treeWeight = 1;
    copyVec(tree.sEnd, tree.sBeg);
    copyVec(tree.rho, zFwd.p);
    copyVec(tree.pBeg, zFwd.p);
    copyVec(tree.pEnd, zFwd.p);

    let moved = false;
    let depth = 0;
    let uTurned = false;
    while (depth < this.maxTreeDepth) {
      const forward = rng.uniform() > 0.5;
      this.signedStep = forward ? stepSize : -stepSize;
      if (!this.buildSubtree(depth, forward ? zFwd : zBck)) {
        uTurned = !this.divergent;
        break;
      }
      depth++;
      // Biased progressive sampling between the old trajectory and the new subtree (Stan).
      if (this.subWeight > this.treeWeight || rng.uniform() * this.treeWeight < this.subWeight) {
        const s = this.sample;
        this.sample = this.sub;
        this.sub = s;
        moved = true;
      }
      this.treeWeight += this.subWeight;
      // Criterion over the whole trajectory and across the old trajectory and the new subtree, in
      // time order; then the subtree's far end becomes the trajectory's end on that side.
      const ok = forward
        ? this.arena.merge(tree.rho, cur.rho, tree.rho, tree.sBeg, cur.sEnd, cur.pBeg, cur.sBeg, tree.pEnd, tree.sEnd)
        : this.arena.merge(cur.rho, tree.rho, tree.rho, cur.sEnd, tree.sEnd, tree.pBeg, tree.sBeg, cur.pBeg, cur.sBeg);
      adoptFarEnd(tree, cur, forward);
      if (!ok) {
        uTurned = true;
        break;
      }
    }
    const sample = this.sample;
    const next: HmcState = moved
      ? { position: this.states.copyOf(sample.q), logDensity: sample.logDensity, grad: this.states.copyOf(sample.grad) }
      : state; // states are immutable values: an unmoved chain keeps its state object
    const energy = moved ? sample.energy : H0;
    const info: NutsInfo = {
      diverging: this.divergent,
      energy,
      energyError: energy - H0,
      maxEnergyError: this.maxEnergyError,
      treeDepth: depth,
      nSteps: this.nLeapfrog,
      acceptanceRate: this.nLeapfrog > 0 ? this.sumMetroProb / this.nLeapfrog : 0,
      reachedMaxTreeDepth: !uTurned && !this.divergent && depth >= this.maxTreeDepth,
      divergence: this.divergence, // always present (undefined when none): one object shape
    };
    return [next, info];
  }
}

/** After merging `left` and `cur` into `cur`: `cur` takes the merged ρ and `left`'s beginning (swapped, so `left` keeps spare vectors). */
function takeBeginning(cur: Span, left: Span): void {
  const rho = cur.rho;
  cur.rho = left.rho;
  left.rho = rho;
  const p = cur.pBeg;
  cur.pBeg = left.pBeg;
  left.pBeg = p;
  const s = cur.sBeg;
  cur.sBeg = left.sBeg;
  left.sBeg = s;
}

/**
 * The new subtree's far end (`cur`'s end) becomes the trajectory's end on the side it grew
 * (forward: `tree`'s end, backward: its beginning); `cur` keeps the replaced vectors as spares.
 */
function adoptFarEnd(tree: Span, cur: Span, forward: boolean): void {
  const p = forward ? tree.pEnd : tree.pBeg;
  const s = forward ? tree.sEnd : tree.sBeg;
  if (forward) {
    tree.pEnd = cur.pEnd;
    tree.sEnd = cur.sEnd;
  } else {
    tree.pBeg = cur.pEnd;
    tree.sBeg = cur.sEnd;
  }
  cur.pEnd = p;
  cur.sEnd = s;
}

/** Exchanges every vector of two spans. */
function swapSpans(a: Span, b: Span): void {
  takeBeginning(a, b);
  const p = a.pEnd;
  a.pEnd = b.pEnd;
  b.pEnd = p;
  const s = a.sEnd;
  a.sEnd = b.sEnd;
  b.sEnd = s;
}

/**
 * Builds a NUTS kernel for a log density (BlackJAX's `nuts(logdensity_fn)` layer).
 *
 * Multinomial sampling over the trajectory, biased progressive sampling between doublings, the
 * generalised U-turn criterion with Stan's additional checks across merged subtrees, and a
 * divergence when the energy error exceeds `divergenceThreshold`. A log density that is NaN,
 * −∞ or throws a `DomainError` inside a trajectory is a divergence (its message in
 * `info.divergence.message`), as in Stan and nuts-rs; any other exception propagates out of
 * `init` or `step` (the chain stops and the caller gets the error as thrown).
 *
 * @param logDensity - the target on the unconstrained space
 * @param options - `maxTreeDepth` (10), `divergenceThreshold` (1000)
 * @returns a kernel with `init(position)` and `step(rng, state, {stepSize, metric})`
 * @throws OptionError for a non-positive `maxTreeDepth`; from `init` and `step`, any exception of
 *   the log density other than a DomainError
 * @example
 * ```ts
 * const stdNormal: LogDensity = {
 *   dim: 1,
 *   logDensityGrad: (x, g) => { g[0] = -x[0]; return -0.5 * x[0] * x[0]; },
 * };
 * const kernel = buildNuts(stdNormal);
 * const state = kernel.init(new Float64Array(1));
 * const [next, info] = kernel.step(new Rng(1), state, { stepSize: 0.5, metric: unitMetric(1) });
 * ```
 *
 * References: M. D. Hoffman & A. Gelman (2014), "The No-U-Turn Sampler", JMLR 15;
 * M. Betancourt (2017), "A Conceptual Introduction to Hamiltonian Monte Carlo", arXiv:1701.02434;
 * stan-dev/stan src/stan/mcmc/hmc/nuts/base_nuts.hpp.
 */
export function buildNuts(logDensity: LogDensity, options: NutsOptions = {}): NutsKernel {
  const maxTreeDepth = options.maxTreeDepth ?? NUTS_DEFAULTS.maxTreeDepth;
  const divergenceThreshold = options.divergenceThreshold ?? NUTS_DEFAULTS.divergenceThreshold;
  if (!Number.isInteger(maxTreeDepth) || maxTreeDepth < 1) {
    throw new OptionError('maxTreeDepth', `must be an integer ≥ 1, got ${maxTreeDepth}`);
  }
  const traj = new Trajectory(logDensity, maxTreeDepth, divergenceThreshold, logDensity.dim >= WASM_MIN_DIM);
  const z = newPhasePoint(logDensity.dim);
  return {
    init(position: Float64Array): HmcState {
      copyVec(z.q, position);
      const lp = evaluate(logDensity, z);
      return { position: Float64Array.from(position), logDensity: lp, grad: Float64Array.from(z.grad) };
    },
    step(rng: Rng, state: HmcState, params: NutsParams): [HmcState, NutsInfo] {
      return traj.transition(rng, state, params);
    },
    release(): void {
      traj.arena.release();
    },
  };
}
