// Static HMC: a fixed integration time of leapfrog steps, then a Metropolis accept on the energy error (Stan's static_hmc, PyMC's HamiltonianMC).
//
// Sign convention (inside hmc/ only): H(q, p) = −log π(q) + ½ pᵀ Σ p; "energy" is H.
// Pure in the BlackJAX sense: `step(rng, state, params)` returns a new state and an info record and
// never mutates its input; the trajectory runs in scratch owned by the kernel (one kernel per chain).
import type { LogDensity } from '../../core/types.js';
import type { Rng } from '../../core/rng.js';
import { OptionError } from '../../core/errors.js';
import { NUTS_DEFAULTS, STATIC_HMC_DEFAULTS, type StaticHmcOptions } from './settings.js';
import { sampleMomentum, velocity } from './metric.js';
import { evaluate, leapfrog, newPhasePoint } from './integrators.js';
import type { DivergenceInfo, HmcState, NutsParams } from './nuts.js';
import { exp } from '../../core/libm/index.js';

/** What one static HMC transition did (ArviZ's sample_stats, in TypeScript case). */
export interface StaticHmcInfo {
  /** True when some leapfrog step's energy error exceeded the divergence threshold (the proposal is then rejected). */
  readonly diverging: boolean;
  /** Hamiltonian at the returned state (the proposal if accepted, else the start). */
  readonly energy: number;
  /** H(proposal) − H(initial): the energy error the accept test saw (+∞ when the density failed). */
  readonly energyError: number;
  /** Leapfrog steps (= gradient evaluations) taken. */
  readonly nSteps: number;
  /** The Metropolis acceptance probability min(1, exp(−energyError)) (0 when diverging). */
  readonly acceptanceRate: number;
  /** Whether the proposal was accepted. */
  readonly accepted: boolean;
  /** Details of the divergence, when `diverging`. */
  readonly divergence?: DivergenceInfo;
}

/** The static HMC kernel: BlackJAX-style `init`/`step` (same state and params as NUTS). */
export interface StaticHmcKernel {
  /** The state at `position` (evaluates the log density and gradient). */
  init(position: Float64Array): HmcState;
  /** One transition from `state`; returns a new state and what happened. */
  step(rng: Rng, state: HmcState, params: NutsParams): [HmcState, StaticHmcInfo];
}

/**
 * Builds a static HMC kernel for a log density (BlackJAX's `hmc`, Stan's `static_hmc`).
 *
 * Each transition draws a momentum p ~ N(0, Σ⁻¹), integrates ⌊pathLength / stepSize⌋ leapfrog
 * steps (at least 1, at most `maxSteps`) and accepts the end point with probability
 * min(1, exp(H(start) − H(end))). A step whose energy error exceeds `divergenceThreshold`, or where
 * the log density is not finite or throws, ends the trajectory as a divergence and the chain stays
 * put.
 *
 * @param logDensity - the target on the unconstrained space
 * @param options - `pathLength` (2), `maxSteps` (1024), `divergenceThreshold` (1000)
 * @returns a kernel with `init(position)` and `step(rng, state, {stepSize, metric})`
 * @throws OptionError for a non-positive `pathLength` or `maxSteps`
 * @example
 * ```ts
 * const stdNormal: LogDensity = {
 *   dim: 2,
 *   logDensityGrad: (x, g) => { g[0] = -x[0]; g[1] = -x[1]; return -0.5 * (x[0] * x[0] + x[1] * x[1]); },
 * };
 * const kernel = buildStaticHmc(stdNormal, { pathLength: 2 });
 * const state = kernel.init(new Float64Array(2));
 * const [next, info] = kernel.step(new Rng(1), state, { stepSize: 0.5, metric: unitMetric(2) });
 * // info.nSteps === 4
 * ```
 *
 * References: R. M. Neal (2011), "MCMC using Hamiltonian dynamics", Handbook of MCMC ch. 5;
 * stan-dev/stan src/stan/mcmc/hmc/static/base_static_hmc.hpp; PyMC `HamiltonianMC`.
 */
export function buildStaticHmc(logDensity: LogDensity, options: StaticHmcOptions = {}): StaticHmcKernel {
  const pathLength = options.pathLength ?? STATIC_HMC_DEFAULTS.pathLength;
  const maxSteps = options.maxSteps ?? STATIC_HMC_DEFAULTS.maxSteps;
  const divergenceThreshold = options.divergenceThreshold ?? NUTS_DEFAULTS.divergenceThreshold;
  if (!(pathLength > 0) || !Number.isFinite(pathLength)) throw new OptionError('pathLength', `must be finite and > 0, got ${pathLength}`);
  if (!Number.isInteger(maxSteps) || maxSteps < 1) throw new OptionError('maxSteps', `must be an integer ≥ 1, got ${maxSteps}`);
  const d = logDensity.dim;
  const z = newPhasePoint(d);
  const v = new Float64Array(d);
  const scratch = new Float64Array(d);
  return {
    init(position: Float64Array): HmcState {
      z.q.set(position);
      const lp = evaluate(logDensity, z);
      return { position: Float64Array.from(position), logDensity: lp, grad: Float64Array.from(z.grad) };
    },
    step(rng: Rng, state: HmcState, params: NutsParams): [HmcState, StaticHmcInfo] {
      const { stepSize, metric } = params;
      z.q.set(state.position);
      z.grad.set(state.grad);
      z.logDensity = state.logDensity;
      z.error = undefined;
      sampleMomentum(metric, rng, z.p, scratch);
      const H0 = velocity(metric, z.p, v) - state.logDensity;
      const nSteps = Math.min(maxSteps, Math.max(1, Math.floor(pathLength / stepSize)));
      let H = H0;
      let taken = 0;
      let divergence: DivergenceInfo | undefined;
      while (taken < nSteps) {
        const lp = leapfrog(logDensity, metric, z, stepSize, scratch);
        taken++;
        H = velocity(metric, z.p, v) - lp;
        if (Number.isNaN(H)) H = Infinity;
        if (H - H0 > divergenceThreshold) {
          divergence = { start: state.position.slice(), end: z.q.slice(), energyError: H - H0, ...(z.error !== undefined ? { message: z.error } : {}) };
          break;
        }
      }
      const energyError = H - H0;
      const acceptanceRate = divergence !== undefined ? 0 : Math.min(1, exp(-energyError));
      // Always one uniform per transition, so the stream's position does not depend on the outcome.
      const accepted = rng.uniform() < acceptanceRate;
      const next: HmcState = accepted ? { position: z.q.slice(), logDensity: z.logDensity, grad: z.grad.slice() } : state;
      const info: StaticHmcInfo = {
        diverging: divergence !== undefined,
        energy: accepted ? H : H0,
        energyError,
        nSteps: taken,
        acceptanceRate,
        accepted,
        divergence,
      };
      return [next, info];
    },
  };
}
