// The contract between the chain loop and a sampler: a kernel (init/step), its warm-up adaptation, and the per-draw statistics it declares.
import type { LogDensity } from '../../core/types.js';
import type { Rng } from '../../core/rng.js';
import type { HmcState } from '../hmc/nuts.js';
import type { AdaptedParams } from '../adaptation/windowAdaptation.js';
import type { ChainSettings } from './chainSettings.js';

/**
 * What the chain loop reads from every transition's info record, whatever the sampler: enough to
 * count gradient evaluations and divergences, collect error messages, and drive adaptation.
 * Samplers return richer records (NUTS's `NutsInfo`), which their own `recordDraw` reads.
 */
export interface TransitionInfo {
  /** True when the transition diverged (energy error above the threshold, or the density failed). */
  readonly diverging: boolean;
  /** The acceptance statistic step-size adaptation targets (Stan's accept_stat__). */
  readonly acceptanceRate: number;
  /** Gradient evaluations the transition took (leapfrog steps). */
  readonly nSteps: number;
  /** Details of a divergence; `message` is an error the log density threw there. */
  readonly divergence?: { readonly message?: string };
}

/**
 * A kernel for one chain, BlackJAX style: `init` evaluates a position, `step` makes one
 * transition with the tuning values passed in. States are values: `step` never mutates its input
 * state and the state it returns is not aliased with the kernel's scratch.
 */
export interface SamplerKernel<Info extends TransitionInfo = TransitionInfo> {
  /** The state at `position` (evaluates the log density and gradient). */
  init(position: Float64Array): HmcState;
  /** One transition from `state`; returns the new state and what happened. */
  step(rng: Rng, state: HmcState, params: AdaptedParams): [HmcState, Info];
  /** Hands reusable storage back when the chain is done (optional); the kernel is not used afterwards. */
  release?(): void;
}

/**
 * Warm-up adaptation as the chain loop drives it. It observes the chain only through the state
 * after each transition (the draw, for variance estimates) and the transition's acceptance
 * statistic, never through a sampler's info record. {@link windowAdaptation} is one.
 */
export interface Adaptation {
  /** The tuning values of the first warm-up transition (may search for a step size from `state`). */
  start(rng: Rng, state: HmcState): AdaptedParams;
  /** Folds in one warm-up transition (in order); returns the tuning values of the next. */
  update(rng: Rng, state: HmcState, acceptanceRate: number): AdaptedParams;
  /** The tuned values after warm-up (the starting values when there was no warm-up). */
  final(): AdaptedParams;
  /**
   * The adaptation's state as structured-cloneable plain data, for checkpoints (optional: a
   * sampler without it cannot be checkpointed).
   */
  snapshot?(): unknown;
  /** Continues from a state `snapshot()` returned (same settings); later updates are bit-identical. */
  restore?(state: unknown): void;
}

/**
 * A sampler the chain loop can run: how to build its kernel and its adaptation from the chain's
 * settings, and which per-draw statistics it produces (ArviZ's `sample_stats` names), written by
 * `recordDraw`. Registered by name in `registry.ts`; the name is what crosses worker threads.
 *
 * @example
 * ```ts
 * declare const logDensity: LogDensity, settings: ChainSettings, start: Float64Array;
 * const rng = new Rng(1);
 * const sampler = getSampler('hmc');
 * const kernel = sampler.build(logDensity, settings);
 * const adapt = sampler.adaptation(logDensity, settings);
 * let state = kernel.init(start);
 * let params = adapt.start(rng, state);
 * const [next, info] = kernel.step(rng, state, params);
 * params = adapt.update(rng, next, info.acceptanceRate);
 * ```
 */
export interface Sampler<Info extends TransitionInfo = TransitionInfo> {
  /** The registry name (`sample(model, { sampler: name })`). */
  readonly name: string;
  /** How messages name it ('NUTS', 'HMC'). */
  readonly label: string;
  /** Target acceptance statistic of step-size adaptation when the user gives none. */
  readonly defaultTargetAccept: number;
  /**
   * Per-draw statistics, in storage order, with ArviZ's `sample_stats` names; must include `lp` and
   * `diverging` (the run's divergence count and warnings read it).
   */
  readonly statNames: readonly string[];
  /** The kernel for one chain. */
  build(logDensity: LogDensity, settings: ChainSettings): SamplerKernel<Info>;
  /** The warm-up adaptation for one chain. */
  adaptation(logDensity: LogDensity, settings: ChainSettings): Adaptation;
  /**
   * Writes draw `i`'s statistics: `stats[name][i]` for every name of `statNames` (booleans as 0/1).
   *
   * @param stats - one buffer per statistic name
   * @param i - the draw index
   * @param state - the state after the transition (the draw)
   * @param info - the transition's info record
   * @param params - the tuning values the transition used
   */
  recordDraw(stats: Record<string, Float64Array>, i: number, state: HmcState, info: Info, params: AdaptedParams): void;
}
