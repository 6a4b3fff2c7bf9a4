// The ADVI optimisation loop on a LogDensity: stochastic gradient ascent of the ELBO, convergence checks, divergence handling.
import { nowMs } from '../../core/clock.js';
import type { LogDensity } from '../../core/types.js';
import { Rng } from '../../core/rng.js';
import { GaussianFamily } from './family.js';
import { fillStandardNormal } from './normals.js';
import { adamStep, stanStepSequence } from './optimizer.js';
import type { AscentStep } from './optimizer.js';
import { RelativeElboWindow, relativeParamChange } from './convergence.js';
import type { AdviProgressCallback } from './progress.js';
import type { AdviSettings } from './settings.js';

/** How the optimisation ended. */
export type AdviStop = 'converged_mean' | 'converged_median' | 'converged_params' | 'max_iterations' | 'diverged';

/** What the optimiser found, in the unconstrained space. */
export interface AdviRun {
  /** The fitted family (mean-field or full-rank); its parameters are the best found. */
  readonly family: GaussianFamily;
  /** Iterations run (not counting the step-size search). */
  readonly iterations: number;
  /** Per-iteration ELBO estimates (from the gradient draws), length `iterations`. */
  readonly elboHistory: Float64Array;
  /** The iterations at which the ELBO was evaluated with `elboSamples` draws, and the values. */
  readonly elboEvalIterations: Int32Array;
  readonly elboEvals: Float64Array;
  /** The final ELBO (the last evaluation, or the best one after a divergence). */
  readonly elbo: number;
  /** True if the reported parameters are the averaged iterates (they had the higher ELBO). */
  readonly averaged: boolean;
  /** The step-size scale used (found by the search or given). */
  readonly eta: number;
  readonly stop: AdviStop;
  readonly converged: boolean;
  readonly diverged: boolean;
  /** A sentence for the user: why it stopped, and what to try if it went wrong. */
  readonly message: string;
  /** Wall time in seconds (search included). */
  readonly elapsed: number;
}

/** Where to start: the mean, optionally the scales, and a schedule already under way (a warm start). */
export interface AdviStart {
  /** Initial mean (unconstrained), length dim. */
  readonly mean: Float64Array;
  /** Initial standard deviations (default 1). */
  readonly scale?: Float64Array;
  /** Step size to use instead of searching. */
  readonly eta?: number;
  /** Iterations already done by a previous stage: the decreasing schedule continues from there. */
  readonly iterationOffset?: number;
}

/** Candidate step-size scales of Stan's grid search. */
const ETA_SEQUENCE = [100, 10, 1, 0.1, 0.01];
/** Shamir & Zhang's c of polynomial-decay averaging: the average covers about the last 10% of the iterations (arbitrary). */
const AVERAGING_C = 9;
/** Redraws allowed for one gradient draw whose log density is not finite (Stan drops up to this many). */
const MAX_REDRAWS = 10;

/** True when every entry of `a` is finite. */
function allFinite(a: Float64Array): boolean {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return Number.isFinite(s);
}

/** An error in the optimisation that no step size can fix (e.g. a non-finite ELBO at the start). */
export class AdviError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AdviError';
  }
}

/**
 * Runs ADVI (Kucukelbir et al. 2017) on a log density: maximises the ELBO E_q[log p(θ)] + H[q]
 * over a Gaussian q in the unconstrained space by stochastic gradient ascent with
 * reparameterisation gradients, `gradSamples` draws per step. The step size follows Stan's
 * adaptive sequence (η found by Stan's grid search) or Adam. Every `evalElbo` iterations the ELBO is
 * estimated with `elboSamples` draws and the convergence checks run: Stan's relative ELBO change
 * (mean and median over a elboWindow of max(2, min(0.1·n/evalElbo, convergenceWindow)) evaluations;
 * Stan's elboWindow, max(0.1·n/evalElbo, 2), grows with n, so a generous n = 100,000 made it wait for
 * 100 evaluations; capped at 10 it equals Stan's at Stan's default n = 10,000) and, if enabled, PyMC's
 * relative parameter change. A non-finite ELBO or gradient stops the run, keeping the best
 * approximation found. The gradient loop allocates nothing.
 *
 * @param ld - the log density (unconstrained space)
 * @param init - the starting mean, length `ld.dim`
 * @param s - resolved settings
 * @param onEvent - progress listener (optional)
 * @returns the fitted family and the optimisation record
 * @throws AdviError if the ELBO cannot be computed at the start, or every candidate η fails
 * References: Kucukelbir, A., Tran, D., Ranganath, R., Gelman, A. & Blei, D. M. (2017), Automatic
 * differentiation variational inference, JMLR 18(14), 1–45; Stan Reference Manual, "Variational
 * inference"; PyMC `pymc.variational.callbacks`.
 */
export function runAdvi(ld: LogDensity, init: Float64Array | AdviStart, s: AdviSettings, onEvent?: AdviProgressCallback): AdviRun {
  const start: AdviStart = init instanceof Float64Array ? { mean: init } : init;
  const initScale = start.scale ?? new Float64Array(ld.dim).fill(s.initScale);
  const t0 = nowMs() / 1000;
  const w = new AdviWorkspace(ld, s);
  onEvent?.({ type: 'start', method: s.method, dim: ld.dim, maxIterations: s.n });

  w.fam.reset(start.mean, initScale);
  const elboInit = w.elbo();
  if (!Number.isFinite(elboInit)) {
    throw new AdviError(
      `ADVI: cannot compute the ELBO at the initial approximation (N(init, I) in the unconstrained space): ` +
        `every draw gave a non-finite log density. The model may be misspecified or its priors too wide; ` +
        `check the log density at the initial point, or pass a better 'init'.`,
    );
  }
  let eta: number;
  if (start.eta !== undefined) eta = start.eta;
  else if (s.eta === 'adapt') eta = searchStepSize(w, start.mean, initScale, elboInit, onEvent);
  else eta = s.eta;

  w.fam.reset(start.mean, initScale);
  const ascent = ascend(w, eta, elboInit, start.iterationOffset ?? 0, t0, onEvent);
  const diverged = ascent.stop === 'diverged';
  const { elbo, averaged } = diverged ? keepBest(w, ascent) : chooseFinalIterate(w, ascent);
  const message = ascent.stop === 'max_iterations'
    ? `Reached the maximum number of iterations (n = ${s.n}) before the relative ELBO change fell below ${s.tolerance}. ` +
      `The approximation may not have converged: raise 'n', or check the ELBO history.`
    : ascent.message;
  const converged = !diverged && ascent.stop !== 'max_iterations';
  const elapsed = nowMs() / 1000 - t0;
  const iterations = ascent.iterations;
  onEvent?.({ type: 'end', iterations, converged, diverged, elbo, message, elapsed });
  return {
    family: w.fam,
    iterations,
    elboHistory: ascent.history.slice(0, iterations),
    elboEvalIterations: ascent.evalIters.slice(0, ascent.nEvals),
    elboEvals: ascent.evals.slice(0, ascent.nEvals),
    elbo,
    eta,
    averaged,
    stop: ascent.stop,
    converged,
    diverged,
    message,
    elapsed,
  };
}

/**
 * The family being fitted, the random stream and the preallocated buffers of one ADVI run, with
 * the Monte Carlo estimates of the ELBO and its gradient. Shared by the step-size search, the main
 * loop and the final choice of iterate (`avg` carries over from the search into the main loop, as
 * it always has). Nothing here allocates per call.
 */
class AdviWorkspace {
  readonly fam: GaussianFamily;
  /** Number of variational parameters. */
  readonly P: number;
  rng: Rng;
  /** The ELBO gradient filled by {@link gradient}. */
  readonly grad: Float64Array;
  /** The best parameters seen (restored after a divergence). */
  readonly best: Float64Array;
  /** The parameters at the previous ELBO evaluation (for PyMC's relative parameter change). */
  readonly prevParams: Float64Array;
  /** The averaged iterate. */
  readonly avg: Float64Array;
  /** Standard error of the last {@link elbo} estimate. */
  lastElboSe = 0;
  private readonly eta: Float64Array;
  private readonly z: Float64Array;
  private readonly g: Float64Array;
  private readonly logDensityOnly: (x: Float64Array) => number;

  constructor(
    private readonly ld: LogDensity,
    readonly s: AdviSettings,
  ) {
    const d = ld.dim;
    this.fam = new GaussianFamily(s.method === 'advi' ? 'meanfield' : 'fullrank', d);
    const P = (this.P = this.fam.nParams);
    this.rng = new Rng(s.seed, 0x0adf1);
    this.eta = new Float64Array(d);
    this.z = new Float64Array(d);
    const g = (this.g = new Float64Array(d));
    this.grad = new Float64Array(P);
    this.best = new Float64Array(P);
    this.prevParams = new Float64Array(P);
    this.avg = new Float64Array(P);
    this.logDensityOnly = ld.logDensity ? ld.logDensity.bind(ld) : (x: Float64Array) => ld.logDensityGrad(x, g);
  }

  /** ELBO with `elboSamples` draws; draws with a non-finite log density are redrawn (Stan drops them) up to elboSamples times. */
  elbo(): number {
    const { s, fam, eta, z } = this;
    let sum = 0;
    let sumSq = 0;
    let dropped = 0;
    for (let i = 0; i < s.elboSamples; ) {
      fillStandardNormal(this.rng, eta);
      fam.transform(eta, z);
      const lp = this.logDensityOnly(z);
      if (Number.isFinite(lp)) {
        // log p − log q per draw: the same expectation as E[log p] + H[q], but with a variance
        // that vanishes as q approaches the posterior, so the convergence checks see less noise.
        const r = lp - fam.logDensityOfDraw(eta);
        sum += r;
        sumSq += r * r;
        i++;
      } else if (++dropped >= s.elboSamples) {
        return NaN;
      }
    }
    const mean = sum / s.elboSamples;
    this.lastElboSe = Math.sqrt(Math.max(0, sumSq / s.elboSamples - mean * mean) / s.elboSamples);
    return mean;
  }

  /** Fills `grad` with the ELBO gradient; returns the mean log density of the draws (NaN if a draw kept failing). */
  gradient(): number {
    const { s, fam, eta, z, g, grad, ld } = this;
    const d = ld.dim;
    grad.fill(0);
    let lpSum = 0;
    const w = 1 / s.gradSamples;
    for (let k = 0; k < s.gradSamples; k++) {
      let lp = NaN;
      for (let attempt = 0; attempt <= MAX_REDRAWS; attempt++) {
        fillStandardNormal(this.rng, eta);
        fam.transform(eta, z);
        lp = ld.logDensityGrad(z, g);
        if (Number.isFinite(lp)) {
          let gs = 0;
          for (let i = 0; i < d; i++) gs += g[i];
          if (Number.isFinite(gs)) break;
          lp = NaN;
        }
      }
      if (!Number.isFinite(lp)) return NaN;
      lpSum += lp;
      fam.accumulateGrad(eta, g, w, grad);
    }
    fam.addEntropyGrad(grad);
    return lpSum * w;
  }

  /** The step rule of the settings (Stan's adaptive sequence or Adam) with step-size scale `scale`. */
  makeStep(scale: number): AscentStep {
    return this.s.optimizer === 'adam' ? adamStep(this.P, scale) : stanStepSequence(this.P, scale);
  }
}

/**
 * Stan's step-size search (advi::adapt_eta): runs `adaptIterations` iterations with each η of
 * {@link ETA_SEQUENCE} in turn and keeps the last one whose ELBO improved clearly on the previous.
 *
 * @returns the chosen η
 * @throws AdviError when every candidate fails to improve the ELBO from `elboInit`
 */
function searchStepSize(w: AdviWorkspace, mean: Float64Array, initScale: Float64Array, elboInit: number, onEvent: AdviProgressCallback | undefined): number {
  const { s, fam, avg, grad, P } = w;
  let elboBest = -Number.MAX_VALUE;
  let etaBest = 0;
  let seBest = 0;
  for (let t = 0; t < ETA_SEQUENCE.length; t++) {
    const cand = ETA_SEQUENCE[t];
    const step = w.makeStep(cand);
    fam.reset(mean, initScale);
    let ok = true;
    const half = Math.floor(s.adaptIterations / 2);
    avg.fill(0);
    for (let it = 1; it <= s.adaptIterations; it++) {
      if (!Number.isFinite(w.gradient())) grad.fill(0); // diverging here is fine: a smaller η comes next
      step.step(fam.params, grad, it);
      if (!allFinite(fam.params)) {
        ok = false;
        break;
      }
      if (it > half) {
        const wt = 1 / (it - half);
        for (let i = 0; i < P; i++) avg[i] += wt * (fam.params[i] - avg[i]);
      }
    }
    // A candidate is judged by the better of its last iterate and the average of its second
    // half: with a large η the last iterate alone may sit on a wild step (on radon with
    // Uniform(0, 100) scales, η = 1 scored ELBO −1.7e9 at its last iterate in one run, then
    // fitted well in the main run).
    let elbo = ok ? w.elbo() : NaN;
    let se = Number.isFinite(elbo) ? w.lastElboSe : 0;
    if (ok) {
      fam.params.set(avg);
      const elboAvg = w.elbo();
      if (Number.isFinite(elboAvg) && !(elboAvg <= elbo)) {
        elbo = elboAvg;
        se = w.lastElboSe;
      }
    }
    if (!Number.isFinite(elbo)) elbo = -Number.MAX_VALUE;
    onEvent?.({ type: 'adapt', eta: cand, elbo: elbo === -Number.MAX_VALUE ? -Infinity : elbo, trial: t, trials: ETA_SEQUENCE.length });
    // Stan moves on to a smaller η whenever its ELBO is not lower than the best so far; after
    // only 50 iterations the ELBO of a large η is noisy, and that rule picked η = 0.1 over η = 1
    // on radon in 3 runs of 10, converging 10× slower. nutmeg moves on only when the smaller η
    // is better by more than two standard errors of the difference.
    const margin = 2 * Math.sqrt(se * se + seBest * seBest);
    if (elboBest > elboInit && !(elbo > elboBest + margin)) return etaBest;
    if (t < ETA_SEQUENCE.length - 1) {
      elboBest = elbo;
      seBest = se;
      etaBest = cand;
    } else if (elbo > elboInit) {
      return cand;
    }
  }
  throw new AdviError(
    `ADVI: every candidate step size (eta = ${ETA_SEQUENCE.join(', ')}) failed to improve the ELBO from its initial value ` +
      `${elboInit.toFixed(2)}. The model may be severely ill-conditioned: try a non-centred parameterisation, ` +
      `tighter priors, or set 'eta' by hand with more 'adaptIterations'.`,
  );
}

/** The record of the main loop. */
interface Ascent {
  /** Iterations run. */
  readonly iterations: number;
  /** Per-iteration ELBO estimates (the first `iterations` entries are filled). */
  readonly history: Float64Array;
  /** The first `nEvals` entries: iterations at which the ELBO was evaluated, and the values. */
  readonly evalIters: Int32Array;
  readonly evals: Float64Array;
  readonly nEvals: number;
  readonly stop: AdviStop;
  /** Why it stopped ('' when it reached the maximum number of iterations). */
  readonly message: string;
  /** The last ELBO evaluation (the initial one if there was none). */
  readonly elbo: number;
  /** The best ELBO evaluation and its iteration (its parameters are in `best`). */
  readonly elboBest: number;
  readonly bestIter: number;
}

/**
 * The main loop (Stan's advi::stochastic_gradient_ascent): a gradient step per iteration with
 * iterate averaging; every `evalElbo` iterations an ELBO evaluation and the convergence checks.
 * Stops on convergence, at `n` iterations, or when the ELBO or its gradient is not finite.
 *
 * The per-iteration part stays inline in this one loop and allocates nothing: it runs tens of
 * thousands of times per fit, and a call or an object per iteration would show in the timings.
 * Only the every-`evalElbo` evaluation leaves the loop ({@link convergenceStop}).
 */
function ascend(w: AdviWorkspace, eta: number, elboInit: number, offset: number, t0: number, onEvent: AdviProgressCallback | undefined): Ascent {
  const { s, fam, avg, grad, best, prevParams, P } = w;
  const step = w.makeStep(eta);
  const history = new Float64Array(s.n);
  const nEvalsMax = Math.floor(s.n / s.evalElbo);
  const evalIters = new Int32Array(nEvalsMax);
  const evals = new Float64Array(nEvalsMax);
  let nEvals = 0;
  const elboWindow = new RelativeElboWindow(Math.max(2, Math.min((0.1 * s.n) / s.evalElbo, s.convergenceWindow)));
  elboWindow.push(elboInit);
  prevParams.set(fam.params);
  best.set(fam.params);
  let elboBest = elboInit;
  let bestIter = 0;
  let elbo = elboInit;
  let stop: AdviStop = 'max_iterations';
  let message = '';
  let iter = 0;
  let runningSum = 0;
  let runningCount = 0;

  const divergedMessage = (what: string): string =>
    `the optimisation diverged at iteration ${iter}: ${what}. Kept the best approximation found ` +
    `(ELBO ${elboBest.toFixed(2)} at iteration ${bestIter}). Try a smaller step size (eta: ${eta / 10}), ` +
    `more gradient draws (gradSamples: 10), ${s.method === 'fullrank_advi' ? "the mean-field method ('advi'), " : ''}` +
    `a non-centred parameterisation of hierarchical scales, or tighter priors.`;

  while (iter < s.n) {
    iter++;
    const lp = w.gradient();
    if (!Number.isFinite(lp)) {
      history[iter - 1] = NaN;
      stop = 'diverged';
      message = divergedMessage('the ELBO became NaN (draws from the approximation gave a non-finite log density or gradient)');
      break;
    }
    const elboIter = lp + fam.entropy();
    history[iter - 1] = elboIter;
    runningSum += elboIter;
    runningCount++;
    step.step(fam.params, grad, iter + offset);
    // Polynomial-decay iterate averaging (Shamir & Zhang 2013): weights (c+1)/(t+c) average
    // roughly the last 1/(c+1) of the run, smoothing the jitter of the stochastic iterates.
    const wAvg = (AVERAGING_C + 1) / (iter + AVERAGING_C);
    const p = fam.params;
    for (let i = 0; i < P; i++) avg[i] += wAvg * (p[i] - avg[i]);

    if (iter % s.evalElbo === 0) {
      elbo = w.elbo();
      if (!Number.isFinite(elbo)) {
        stop = 'diverged';
        message = divergedMessage('the ELBO estimate is not finite');
        break;
      }
      evalIters[nEvals] = iter;
      evals[nEvals++] = elbo;
      if (elbo > elboBest) {
        elboBest = elbo;
        bestIter = iter;
        best.set(fam.params);
      }
      elboWindow.push(elbo);
      const relMean = elboWindow.mean();
      const relMedian = elboWindow.median();
      const paramChange = relativeParamChange(fam.params, prevParams);
      prevParams.set(fam.params);
      onEvent?.({
        type: 'iteration',
        iteration: iter,
        maxIterations: s.n,
        elbo,
        runningElbo: runningSum / runningCount,
        relMean,
        relMedian,
        paramChange,
        elapsed: nowMs() / 1000 - t0,
      });
      runningSum = 0;
      runningCount = 0;
      const converged = convergenceStop(s, iter, relMean, relMedian, paramChange);
      if (converged) {
        ({ stop, message } = converged);
        break;
      }
    }
  }
  return { iterations: iter, history, evalIters, evals, nEvals, stop, message, elbo, elboBest, bestIter };
}

/**
 * The convergence checks at an ELBO evaluation: Stan's mean and median relative ELBO change
 * against `tolerance`, then (when enabled) PyMC's relative parameter change against `paramTolerance`.
 *
 * @returns how and why the run stops, or undefined to go on
 */
function convergenceStop(s: AdviSettings, iter: number, relMean: number, relMedian: number, paramChange: number): { stop: AdviStop; message: string } | undefined {
  if (relMean < s.tolerance) {
    return { stop: 'converged_mean', message: `Mean ELBO converged at iteration ${iter}: mean relative ELBO change ${relMean.toExponential(2)} < tolerance ${s.tolerance}.` };
  }
  if (relMedian < s.tolerance) {
    return { stop: 'converged_median', message: `Median ELBO converged at iteration ${iter}: median relative ELBO change ${relMedian.toExponential(2)} < tolerance ${s.tolerance}.` };
  }
  if (s.paramTolerance > 0 && paramChange < s.paramTolerance) {
    return { stop: 'converged_params', message: `Parameters converged at iteration ${iter}: relative change ${paramChange.toExponential(2)} < paramTolerance ${s.paramTolerance}.` };
  }
  return undefined;
}

/** After a divergence: restores the best parameters found and reports their ELBO. */
function keepBest(w: AdviWorkspace, ascent: Ascent): { elbo: number; averaged: boolean } {
  w.fam.params.set(w.best);
  return { elbo: ascent.elboBest, averaged: false };
}

/**
 * After a run that did not diverge: keeps the averaged iterate unless its ELBO is clearly lower
 * than the last iterate's (by two standard errors, on common random numbers). Near the optimum
 * the two differ by far less than the ELBO's noise while the average is several times closer to
 * the optimum; an average that lags a run still on the move shows up as a clearly lower ELBO and
 * is dropped.
 */
function chooseFinalIterate(w: AdviWorkspace, ascent: Ascent): { elbo: number; averaged: boolean } {
  const { fam, prevParams, avg } = w;
  let elbo = ascent.elbo;
  if (!(w.s.iterateAveraging && ascent.iterations > 1)) return { elbo, averaged: false };
  const state = w.rng.getState();
  const elboLast = w.elbo();
  const seLast = w.lastElboSe;
  prevParams.set(fam.params);
  fam.params.set(avg);
  w.rng = Rng.fromState(state);
  const elboAvg = w.elbo();
  if (Number.isFinite(elboAvg) && elboAvg > elboLast - 2 * Math.max(seLast, w.lastElboSe)) {
    return { elbo: elboAvg, averaged: true };
  }
  fam.params.set(prevParams);
  if (Number.isFinite(elboLast)) elbo = elboLast;
  return { elbo, averaged: false };
}
