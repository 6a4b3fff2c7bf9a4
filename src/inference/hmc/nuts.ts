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
import { sampleMomentum, velocity, type Metric } from './metric.js';
import { copyPhasePoint, evaluate, halfKick, kickDrift, newPhasePoint, type PhasePoint } from './integrators.js';
import { copyVec, createVectorArena, WASM_MIN_DIM, type VectorArena } from './vectorArena.js';

/** The state of a chain between transitions. Never aliased with kernel scratch. */
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
  /** Error message thrown by the log density there, if any. */
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
}

interface Proposal {
  readonly q: Float64Array;
  readonly grad: Float64Array;
  logDensity: number;
  energy: number;
}

interface Level {
  readonly pInitEnd: Float64Array;
  readonly pSharpInitEnd: Float64Array;
  readonly rhoInit: Float64Array;
  readonly rhoFinal: Float64Array;
  readonly pFinalBeg: Float64Array;
  readonly pSharpFinalBeg: Float64Array;
  readonly proposal: Proposal;
}

function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

function newProposal(d: number, alloc: (n: number) => Float64Array = (n) => new Float64Array(n)): Proposal {
  return { q: alloc(d), grad: alloc(d), logDensity: NaN, energy: NaN };
}

function copyProposal(dst: Proposal, src: Proposal): void {
  copyVec(dst.q, src.q);
  copyVec(dst.grad, src.grad);
  dst.logDensity = src.logDensity;
  dst.energy = src.energy;
}

/** Tree builder with preallocated per-depth scratch. */
class Trajectory {
  readonly d: number;
  readonly maxTreeDepth: number;
  readonly divergenceThreshold: number;
  readonly levels: Level[] = [];
  readonly zFwd: PhasePoint;
  readonly zBck: PhasePoint;
  readonly propose: Proposal;
  readonly sample: Proposal;
  readonly scratch: Float64Array;
  readonly rho: Float64Array;
  readonly rhoFwd: Float64Array;
  readonly rhoBck: Float64Array;
  readonly pFwdFwd: Float64Array;
  readonly pSharpFwdFwd: Float64Array;
  readonly pFwdBck: Float64Array;
  readonly pSharpFwdBck: Float64Array;
  readonly pBckFwd: Float64Array;
  readonly pSharpBckFwd: Float64Array;
  readonly pBckBck: Float64Array;
  readonly pSharpBckBck: Float64Array;

  // Per-transition state.
  rng!: Rng;
  metric!: Metric;
  logDensity: LogDensity;
  signedStep = 0;
  H0 = 0;
  nLeapfrog = 0;
  sumMetroProb = 0;
  maxEnergyError = 0;
  divergent = false;
  divergence: DivergenceInfo | undefined;
  startQ: Float64Array;
  /** Vector storage and hot loops (WebAssembly when available). */
  readonly arena: VectorArena;
  /** The diagonal inverse metric, copied into the arena; `arenaMetricOf` is the metric it came from. */
  readonly mArena: Float64Array;
  arenaMetricOf: Metric | undefined;

  constructor(logDensity: LogDensity, maxTreeDepth: number, divergenceThreshold: number, useWasm = true) {
    const d = logDensity.dim;
    this.d = d;
    this.logDensity = logDensity;
    this.maxTreeDepth = maxTreeDepth;
    this.divergenceThreshold = divergenceThreshold;
    const vectors = (maxTreeDepth + 1) * 8 + 30;
    this.arena = createVectorArena(vectors * d, useWasm);
    const alloc = (n: number) => this.arena.alloc(n);
    const v = () => alloc(d);
    for (let k = 0; k <= maxTreeDepth; k++) {
      this.levels.push({
        pInitEnd: v(), pSharpInitEnd: v(), rhoInit: v(), rhoFinal: v(), pFinalBeg: v(), pSharpFinalBeg: v(),
        proposal: newProposal(d, alloc),
      });
    }
    this.mArena = v();
    this.zFwd = { q: v(), p: v(), grad: v(), logDensity: NaN, error: undefined };
    this.zBck = { q: v(), p: v(), grad: v(), logDensity: NaN, error: undefined };
    this.propose = newProposal(d, alloc);
    this.sample = newProposal(d, alloc);
    this.scratch = v();
    this.rho = v();
    this.rhoFwd = v();
    this.rhoBck = v();
    this.pFwdFwd = v();
    this.pSharpFwdFwd = v();
    this.pFwdBck = v();
    this.pSharpFwdBck = v();
    this.pBckFwd = v();
    this.pSharpBckFwd = v();
    this.pBckBck = v();
    this.pSharpBckBck = v();
    this.startQ = v();
  }

  /**
   * One leapfrog step from `z`; returns the leaf's log weight H0 − h, or NaN when it diverged.
   * Writes the leaf's momentum/velocity into the begin and end slots and ρ = p (overwrite).
   */
  leaf(z: PhasePoint, propose: Proposal, pSharpBeg: Float64Array, pSharpEnd: Float64Array, rho: Float64Array, pBeg: Float64Array, pEnd: Float64Array): number {
    const eps = this.signedStep;
    const metric = this.metric;
    const { p, grad } = z;
    const h2 = 0.5 * eps;
    let lp: number;
    let k: number;
    if (metric.kind === 'diag') {
      const m = this.mArena;
      this.arena.kickDrift(p, grad, z.q, m, h2, eps);
      lp = evaluate(this.logDensity, z);
      k = this.arena.kickVelocity(p, grad, m, pSharpBeg, h2);
    } else {
      lp = kickDrift(this.logDensity, metric, z, eps, this.scratch);
      halfKick(z, eps);
      k = velocity(metric, p, pSharpBeg);
    }
    this.nLeapfrog++;
    copyVec(pSharpEnd, pSharpBeg);
    copyVec(pBeg, p);
    copyVec(pEnd, p);
    copyVec(rho, p);
    let h = k - lp;
    if (Number.isNaN(h)) h = Infinity;
    const err = h - this.H0;
    if (!(Math.abs(err) <= Math.abs(this.maxEnergyError))) this.maxEnergyError = err;
    copyVec(propose.q, z.q);
    copyVec(propose.grad, grad);
    propose.logDensity = lp;
    propose.energy = h;
    const w = this.H0 - h;
    this.sumMetroProb += w > 0 ? 1 : Math.exp(w);
    if (err > this.divergenceThreshold) {
      this.divergent = true;
      this.divergence = {
        start: this.startQ.slice(),
        end: z.q.slice(),
        energyError: err,
        ...(z.error !== undefined ? { message: z.error } : {}),
      };
      return NaN;
    }
    return w;
  }

  /**
   * Builds a subtree of 2^depth leapfrog steps from `z` (Stan's build_tree). Returns the subtree's
   * log-sum-weight, or NaN when the subtree is invalid (divergent, or a U-turn inside it).
   * `rho` is overwritten with the subtree's summed momentum.
   */
  buildTree(depth: number, z: PhasePoint, propose: Proposal, pSharpBeg: Float64Array, pSharpEnd: Float64Array, rho: Float64Array, pBeg: Float64Array, pEnd: Float64Array): number {
    if (depth === 0) return this.leaf(z, propose, pSharpBeg, pSharpEnd, rho, pBeg, pEnd);
    const L = this.levels[depth];
    const lswInit = this.buildTree(depth - 1, z, propose, pSharpBeg, L.pSharpInitEnd, L.rhoInit, pBeg, L.pInitEnd);
    if (Number.isNaN(lswInit)) return NaN;
    const lswFinal = this.buildTree(depth - 1, z, L.proposal, L.pSharpFinalBeg, pSharpEnd, L.rhoFinal, L.pFinalBeg, pEnd);
    if (Number.isNaN(lswFinal)) return NaN;
    // Multinomial sample between the two halves, in proportion to their weights (inside a subtree;
    // the top level uses biased progressive sampling instead).
    const lswSubtree = logAddExp(lswInit, lswFinal);
    if (lswFinal > lswSubtree) {
      copyProposal(propose, L.proposal);
    } else if (this.rng.uniform() < Math.exp(lswFinal - lswSubtree)) {
      copyProposal(propose, L.proposal);
    }
    // ρ = ρ_init + ρ_final; the U-turn criterion over the merged subtree and, as Stan added, across
    // the two halves extended by one state each.
    const { rhoInit, rhoFinal, pFinalBeg, pInitEnd, pSharpFinalBeg, pSharpInitEnd } = L;
    const ok = this.arena.merge(rhoInit, rhoFinal, rho, pSharpBeg, pSharpEnd, pFinalBeg, pSharpFinalBeg, pInitEnd, pSharpInitEnd);
    return ok ? lswSubtree : NaN;
  }

  transition(rng: Rng, state: HmcState, params: NutsParams): [HmcState, NutsInfo] {
    const { stepSize, metric } = params;
    this.rng = rng;
    this.metric = metric;
    if (metric.kind === 'diag' && this.arenaMetricOf !== metric) {
      copyVec(this.mArena, metric.inverseMetric);
      this.arenaMetricOf = metric;
    }
    this.nLeapfrog = 0;
    this.sumMetroProb = 0;
    this.maxEnergyError = 0;
    this.divergent = false;
    this.divergence = undefined;
    const { zFwd, zBck, rho, rhoFwd, rhoBck, sample, propose } = this;
    copyVec(this.startQ, state.position);
    copyVec(zFwd.q, state.position);
    copyVec(zFwd.grad, state.grad);
    zFwd.logDensity = state.logDensity;
    zFwd.error = undefined;
    sampleMomentum(metric, rng, zFwd.p, this.scratch);
    copyPhasePoint(zBck, zFwd);
    const k0 = velocity(metric, zFwd.p, this.pSharpFwdFwd);
    const H0 = k0 - state.logDensity;
    this.H0 = H0;
    copyVec(this.pSharpFwdBck, this.pSharpFwdFwd);
    copyVec(this.pSharpBckFwd, this.pSharpFwdFwd);
    copyVec(this.pSharpBckBck, this.pSharpFwdFwd);
    copyVec(this.pFwdFwd, zFwd.p);
    copyVec(this.pFwdBck, zFwd.p);
    copyVec(this.pBckFwd, zFwd.p);
    copyVec(this.pBckBck, zFwd.p);
    copyVec(rho, zFwd.p);
    copyVec(sample.q, state.position);
    copyVec(sample.grad, state.grad);
    sample.logDensity = state.logDensity;
    sample.energy = H0;

    let logSumWeight = 0;
    let depth = 0;
    let uTurned = false;
    while (depth < this.maxTreeDepth) {
      let lswSub: number;
      if (rng.uniform() > 0.5) {
        copyVec(rhoBck, rho);
        copyVec(this.pBckFwd, this.pFwdFwd);
        copyVec(this.pSharpBckFwd, this.pSharpFwdFwd);
        this.signedStep = stepSize;
        lswSub = this.buildTree(depth, zFwd, propose, this.pSharpFwdBck, this.pSharpFwdFwd, rhoFwd, this.pFwdBck, this.pFwdFwd);
      } else {
        copyVec(rhoFwd, rho);
        copyVec(this.pFwdBck, this.pBckBck);
        copyVec(this.pSharpFwdBck, this.pSharpBckBck);
        this.signedStep = -stepSize;
        lswSub = this.buildTree(depth, zBck, propose, this.pSharpBckFwd, this.pSharpBckBck, rhoBck, this.pBckFwd, this.pBckBck);
      }
      if (Number.isNaN(lswSub)) {
        uTurned = !this.divergent;
        break;
      }
      depth++;
      if (lswSub > logSumWeight) {
        copyProposal(sample, propose);
      } else if (rng.uniform() < Math.exp(lswSub - logSumWeight)) {
        copyProposal(sample, propose);
      }
      logSumWeight = logAddExp(logSumWeight, lswSub);
      // Criterion over the whole trajectory and across the old/new halves.
      const { pSharpBckBck, pSharpFwdFwd, pSharpFwdBck, pSharpBckFwd, pFwdBck, pBckFwd } = this;
      const ok = this.arena.merge(rhoBck, rhoFwd, rho, pSharpBckBck, pSharpFwdFwd, pFwdBck, pSharpFwdBck, pBckFwd, pSharpBckFwd);
      if (!ok) {
        uTurned = true;
        break;
      }
    }
    const next: HmcState = {
      position: sample.q.slice(),
      logDensity: sample.logDensity,
      grad: sample.grad.slice(),
    };
    const info: NutsInfo = {
      diverging: this.divergent,
      energy: sample.energy,
      energyError: sample.energy - H0,
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

/**
 * Builds a NUTS kernel for a log density (BlackJAX's `nuts(logdensity_fn)` layer).
 *
 * Multinomial sampling over the trajectory, biased progressive sampling between doublings, the
 * generalised U-turn criterion with Stan's additional checks across merged subtrees, and a
 * divergence when the energy error exceeds `divergenceThreshold`. A log density that is NaN,
 * −∞ or throws inside a trajectory is a divergence, not a crash.
 *
 * @param logDensity - the target on the unconstrained space
 * @param options - `maxTreeDepth` (10), `divergenceThreshold` (1000)
 * @returns a kernel with `init(position)` and `step(rng, state, {stepSize, metric})`
 * @throws OptionError for a non-positive `maxTreeDepth`
 * @example
 * ```ts
 * const kernel = buildNuts(stdNormal);
 * let state = kernel.init(new Float64Array(2));
 * const [next, info] = kernel.step(new Rng(1), state, { stepSize: 0.5, metric: unitMetric(2) });
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
  };
}
