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
import { evaluate, evaluateAt, halfKick, kickDrift, newPhasePoint, type PhasePoint } from './integrators.js';
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

/**
 * A position and the gradient there. Held, without copies, by the trajectory's two ends while they
 * are integrated and by its proposals; `holders` counts them, and a point none holds is free.
 */
interface Point {
  readonly q: Float64Array;
  readonly grad: Float64Array;
  holders: number;
}

/** One end of the trajectory while it is integrated: its point, log density and momentum. */
interface Walker {
  point: Point;
  /** The momentum: the vector of the last leaf on this side (shared with the span that holds it). */
  p: Float64Array;
  logDensity: number;
  /** Message of a DomainError thrown by the log density at `point`, if any (then logDensity = −∞). */
  error?: string;
}

/** A candidate point of the trajectory: where it is, its log density and energy. */
interface Proposal {
  point: Point;
  logDensity: number;
  energy: number;
}

/**
 * What the U-turn criterion needs of a (sub)trajectory, in time order or (inside a subtree) in
 * integration order: ρ, its summed momentum, and the momentum p and velocity ♯ = Σp at its first
 * (`beg`) and last (`end`) state. The fields are references to pool vectors: a one-leaf span has
 * rho = pBeg = pEnd (the leaf's momentum) and sBeg = sEnd (its velocity); a longer span has five
 * distinct vectors, no two spans share one, and the vectors a join leaves behind go back to the pool.
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

/** Points in play at most: the two ends, the trajectory's and the subtree's proposals, and the next leaf's. */
const POINTS = 5;

/** The placeholder for "no metric copied yet". */
const NO_METRIC: Metric = diagMetric(new Float64Array(0));

/** The placeholder of a span's or walker's vector before the first transition. */
const NO_VECTOR = new Float64Array(0);

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
 *
 * Nothing is copied along the way. A leapfrog step writes its new position, gradient, momentum and
 * velocity into free vectors (out of place), so a leaf's momentum and velocity are the one-leaf
 * span's vectors, and a selected proposal takes the leaf's point by reference.
 */
class Trajectory {
  readonly maxTreeDepth: number;
  readonly divergenceThreshold: number;
  readonly logDensity: LogDensity;
  /** Vector storage and hot loops (WebAssembly when available). */
  readonly arena: VectorArena;
  /** The integration states at the forward and backward ends. */
  readonly zFwd: Walker;
  readonly zBck: Walker;
  /** The whole trajectory's span, in time order (beg = backward end, end = forward end). */
  readonly tree: Span;
  /** The span of the subtree being built (in integration order); after a merge, the merged span. */
  readonly cur: Span;
  /** Pending left siblings by level while a subtree is built. */
  readonly stack: Span[] = [];
  /** The selected point of the trajectory and of the subtree being built (swapped on acceptance). */
  sample: Proposal;
  sub: Proposal;
  /** The points (positions with gradients) of the trajectory. */
  readonly points: Point[] = [];
  /** The vectors of spans (momenta, velocities, sums of momenta); the first `nFree` of `free` are unused. */
  readonly spanVectors: Float64Array[] = [];
  readonly free: Float64Array[] = [];
  nFree = 0;
  /** The half-kicked momentum of the leapfrog step under way. */
  readonly pHalf: Float64Array;
  readonly scratch: Float64Array;
  /** A phase point for the dense metric's leapfrog (the reference integrator, in place). */
  readonly zDense: PhasePoint;
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
    this.logDensity = logDensity;
    this.maxTreeDepth = maxTreeDepth;
    this.divergenceThreshold = divergenceThreshold;
    // Span vectors live at once, at most 5·maxTreeDepth + 1: a span of two leaves or more holds five,
    // a one-leaf span two. Building the last subtree (depth maxTreeDepth − 1) holds the trajectory's
    // five, a pending sibling per level (two at level 0, five above), the new leaf's two and a
    // join's new ρ: 5·maxTreeDepth; the join of that subtree with the trajectory holds 5 + 5 + 1.
    // test/inference/nutsWork.test.ts builds trees of the greatest depth (a pool one smaller fails it).
    const spanVectors = 5 * maxTreeDepth + 1;
    this.arena = createVectorArena((spanVectors + 2 * POINTS + 3) * d, useWasm);
    const v = (): Float64Array => this.arena.alloc(d);
    for (let k = 0; k < spanVectors; k++) this.spanVectors.push(v());
    for (let k = 0; k < spanVectors; k++) this.free.push(this.spanVectors[k]);
    for (let k = 0; k < POINTS; k++) this.points.push({ q: v(), grad: v(), holders: 0 });
    const span = (): Span => ({ rho: NO_VECTOR, pBeg: NO_VECTOR, sBeg: NO_VECTOR, pEnd: NO_VECTOR, sEnd: NO_VECTOR });
    for (let k = 0; k < maxTreeDepth; k++) this.stack.push(span());
    this.tree = span();
    this.cur = span();
    const start = this.points[0];
    this.zFwd = { point: start, p: NO_VECTOR, logDensity: NaN, error: undefined };
    this.zBck = { point: start, p: NO_VECTOR, logDensity: NaN, error: undefined };
    this.sample = { point: start, logDensity: NaN, energy: NaN };
    this.sub = { point: start, logDensity: NaN, energy: NaN };
    this.pHalf = v();
    this.scratch = v();
    this.mArena = v();
    this.zDense = newPhasePoint(d);
    this.states = new VectorSlab(d);
  }

  /** A free span vector. */
  take(): Float64Array {
    if (this.nFree === 0) throw new Error('internal: NUTS trajectory vectors exhausted');
    return this.free[--this.nFree];
  }

  /** A point no end or proposal holds. */
  freePoint(): Point {
    const points = this.points;
    for (let k = 0; k < POINTS; k++) if (points[k].holders === 0) return points[k];
    throw new Error('internal: NUTS trajectory points exhausted');
  }

  /**
   * Joins two adjacent spans, `left` then `right` in the order they are checked in, into `into`
   * (which may be either of them): ρ = ρ_left + ρ_right in a new vector, and the generalised U-turn
   * criterion with Stan's checks across the seam. The inner vectors go back to the pool.
   *
   * @returns whether the joined span has not turned
   */
  join(left: Span, right: Span, into: Span): boolean {
    const rho = this.take();
    const leftIsLeaf = left.rho === left.pBeg;
    const rightIsLeaf = right.rho === right.pEnd;
    const ok =
      leftIsLeaf && rightIsLeaf
        ? this.arena.mergeLeaves(left.rho, right.rho, rho, left.sBeg, right.sBeg)
        : this.arena.merge(left.rho, right.rho, rho, left.sBeg, right.sEnd, right.pBeg, right.sBeg, left.pEnd, left.sEnd);
    const free = this.free;
    // A one-leaf span's vectors are all kept (its ρ and end are its beginning); a longer span's
    // inner end and ρ are given back.
    if (!leftIsLeaf) {
      free[this.nFree++] = left.rho;
      free[this.nFree++] = left.pEnd;
      free[this.nFree++] = left.sEnd;
    }
    if (!rightIsLeaf) {
      free[this.nFree++] = right.rho;
      free[this.nFree++] = right.pBeg;
      free[this.nFree++] = right.sBeg;
    }
    const pBeg = left.pBeg;
    const sBeg = left.sBeg;
    into.pEnd = right.pEnd;
    into.sEnd = right.sEnd;
    into.pBeg = pBeg;
    into.sBeg = sBeg;
    into.rho = rho;
    return ok;
  }

  /**
   * One leapfrog step from `w`, out of place: `w` moves to a free point, and the new leaf's
   * momentum and velocity go to free span vectors, which become `cur` as a one-leaf span.
   *
   * @returns the kinetic energy at the new point (its log density is in `w.logDensity`)
   */
  leapfrog(w: Walker): number {
    const eps = this.signedStep;
    const h = 0.5 * eps;
    const from = w.point;
    const to = this.freePoint();
    const p = this.take();
    const v = this.take();
    let k: number;
    if (this.metric.kind === 'diag') {
      const m = this.mArena;
      this.arena.kickDrift(w.p, from.grad, from.q, m, this.pHalf, to.q, h, eps);
      w.logDensity = evaluateAt(this.logDensity, to.q, to.grad, w);
      k = this.arena.finishLeaf(this.pHalf, to.grad, m, p, v, h);
    } else {
      // The reference integrator, in place on a phase point of its own (a dense metric's O(d²)
      // products dwarf the copies).
      const z = this.zDense;
      copyVec(z.q, from.q);
      copyVec(z.p, w.p);
      copyVec(z.grad, from.grad);
      w.logDensity = kickDrift(this.logDensity, this.metric, z, eps, this.scratch);
      w.error = z.error;
      halfKick(z, eps);
      copyVec(to.q, z.q);
      copyVec(to.grad, z.grad);
      copyVec(p, z.p);
      k = velocity(this.metric, p, v);
    }
    from.holders--;
    to.holders++;
    w.point = to;
    w.p = p;
    setLeaf(this.cur, p, v);
    return k;
  }

  /**
   * Builds a subtree of 2^depth leapfrog steps from `w` (moving it to the subtree's far end). On
   * success returns true with the subtree's span in `cur`, its proposal in `sub` and its weight in
   * `subWeight`; returns false when it diverged or U-turned inside.
   */
  buildSubtree(depth: number, w: Walker): boolean {
    const n = 1 << depth;
    const cur = this.cur;
    const sub = this.sub;
    const stack = this.stack;
    let W = 0;
    for (let i = 0; i < n; i++) {
      const k = this.leapfrog(w);
      const lp = w.logDensity;
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
          end: w.point.q.slice(),
          energyError: err,
          ...(w.error !== undefined ? { message: w.error } : {}),
        };
        return false;
      }
      W += weight;
      if (i === 0 || this.rng.uniform() * W < weight) {
        sub.point.holders--;
        w.point.holders++;
        sub.point = w.point;
        sub.logDensity = lp;
        sub.energy = H;
      }
      // Merge every subtree this leaf completes with its left sibling, checking each merge.
      let level = 0;
      for (; (i >> level) & 1; level++) {
        if (!this.join(stack[level], cur, cur)) return false;
      }
      if (i < n - 1) copySpan(stack[level], cur);
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
    // Every vector and point is free again.
    const nVectors = this.spanVectors.length;
    for (let k = 0; k < nVectors; k++) this.free[k] = this.spanVectors[k];
    this.nFree = nVectors;
    for (let k = 0; k < POINTS; k++) this.points[k].holders = 0;
    const { zFwd, zBck, tree, cur } = this;
    const origin = this.points[0];
    copyVec(origin.q, state.position);
    copyVec(origin.grad, state.grad);
    origin.holders = 4; // both ends and both proposals
    const p0 = this.take();
    const v0 = this.take();
    if (metric.kind === 'diag') this.arena.momentum(rng, p0, this.mArena);
    else sampleMomentum(metric, rng, p0, this.scratch);
    const H0 = velocity(metric, p0, v0) - state.logDensity;
    startWalker(zFwd, origin, p0, state.logDensity);
    startWalker(zBck, origin, p0, state.logDensity);
    this.sample.point = origin;
    this.sub.point = origin;
    this.H0 = H0;
    this.Href = H0;
    this.treeWeight = 1;
    setLeaf(tree, p0, v0);

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
      // time order (a backward subtree, built in integration order, is turned round first); the
      // subtree's far end becomes the trajectory's end on that side.
      let ok: boolean;
      if (forward) ok = this.join(tree, cur, tree);
      else {
        reverseSpan(cur);
        ok = this.join(cur, tree, tree);
      }
      if (!ok) {
        uTurned = true;
        break;
      }
    }
    const sample = this.sample;
    const next: HmcState = moved
      ? { position: this.states.copyOf(sample.point.q), logDensity: sample.logDensity, grad: this.states.copyOf(sample.point.grad) }
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

/** Puts a walker at the transition's start. */
function startWalker(w: Walker, origin: Point, p0: Float64Array, logDensity: number): void {
  w.point = origin;
  w.p = p0;
  w.logDensity = logDensity;
  w.error = undefined;
}

/** Makes `s` the one-leaf span of momentum `p` and velocity `v`. */
function setLeaf(s: Span, p: Float64Array, v: Float64Array): void {
  s.rho = p;
  s.pBeg = p;
  s.pEnd = p;
  s.sBeg = v;
  s.sEnd = v;
}

/** dst takes src's vectors (references). */
function copySpan(dst: Span, src: Span): void {
  dst.rho = src.rho;
  dst.pBeg = src.pBeg;
  dst.sBeg = src.sBeg;
  dst.pEnd = src.pEnd;
  dst.sEnd = src.sEnd;
}

/** Turns a span round (its beginning becomes its end): a backward subtree in time order. */
function reverseSpan(s: Span): void {
  const p = s.pBeg;
  s.pBeg = s.pEnd;
  s.pEnd = p;
  const v = s.sBeg;
  s.sBeg = s.sEnd;
  s.sEnd = v;
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
