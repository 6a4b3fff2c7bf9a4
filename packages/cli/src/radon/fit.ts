// Fits one radon model with the chosen method (NUTS, ADVI, or NUTS started from ADVI) and records its cost.
import { fit, sample, type Approximation, type ChainProgress, type CompiledModel, type InferenceData, type ProgressSink, type SampleOptions } from 'nutmeg';

/** Inference method of a run. */
export type Method = 'nuts' | 'advi' | 'advi+nuts';

/** Settings shared by every fit of a run. */
export interface FitSettings {
  readonly method: Method;
  readonly chains: number;
  readonly draws: number;
  readonly tune: number;
  readonly seed: number;
  /** Worker threads for the chains of one model (sample's `cores`). */
  readonly cores?: number;
}

/** A fitted model: draws (real or from the approximation) and what they cost. */
export interface ModelFit {
  readonly idata: InferenceData;
  readonly method: Method;
  readonly chains: number;
  readonly draws: number;
  readonly tune: number;
  readonly divergences: number;
  readonly gradEvals: number;
  readonly seconds: number;
  /** Warnings of the sampler or of ADVI, as text. */
  readonly warnings: string[];
  /** The ADVI approximation, when ADVI ran. */
  readonly approx?: Approximation;
  readonly targetAccept: number;
  readonly maxTreeDepth: number;
}

/**
 * Fits `model` as `s` says: NUTS (`sample`), ADVI (`fit`, then `chains × draws` draws from the
 * approximation, as one chain), or NUTS initialised from a quick ADVI fit (`init: 'advi'`,
 * PyMC's `advi+adapt_diag`).
 *
 * @param model - a compiled radon model
 * @param s - method, chains, draws, tune, seed, cores
 * @param extra - further sample() options (e.g. targetAccept)
 * @param onIterations - called as chains advance with the iterations done (warm-up and draws, all chains) and in total
 * @returns the fit
 */
export async function fitModel(
  model: CompiledModel,
  s: FitSettings,
  extra: SampleOptions = {},
  onIterations?: (done: number, total: number) => void,
): Promise<ModelFit> {
  const t0 = performance.now();
  const targetAccept = extra.targetAccept ?? 0.8;
  const maxTreeDepth = extra.maxTreeDepth ?? 10;
  if (s.method === 'advi') return fitAdvi(model, s.seed, s.chains * s.draws);
  let progress: ProgressSink | undefined;
  if (onIterations) {
    const done = new Array<number>(s.chains).fill(0);
    const total = s.chains * (s.tune + s.draws);
    progress = {
      update: (e: ChainProgress) => {
        done[e.chain] = e.tuneDone + e.drawsDone;
        onIterations(done.reduce((a, b) => a + b, 0), total);
      },
      finish: () => undefined,
    };
  }
  const idata = await sample(model, {
    chains: s.chains,
    draws: s.draws,
    tune: s.tune,
    seed: s.seed,
    progress: progress ?? false,
    ...(s.cores !== undefined ? { cores: s.cores } : {}),
    ...(s.method === 'advi+nuts' ? { init: 'advi' as const } : {}),
    ...extra,
  });
  return {
    idata,
    method: s.method,
    chains: idata.nChains,
    draws: idata.nDraws,
    tune: s.tune,
    divergences: Number(idata.attrs.divergences ?? 0),
    gradEvals: Number(idata.attrs.grad_evals ?? 0),
    seconds: (performance.now() - t0) / 1000,
    warnings: Array.isArray(idata.attrs.warnings) ? (idata.attrs.warnings as unknown[]).map(String) : [],
    targetAccept,
    maxTreeDepth,
  };
}

/**
 * Fits ADVI (mean-field) for comparison with NUTS, and draws `n` values from the approximation.
 *
 * @param model - a compiled model
 * @param seed - seed of the fit and the draws
 * @param n - draws from the approximation
 */
export function fitAdvi(model: CompiledModel, seed: number, n: number): ModelFit {
  const t0 = performance.now();
  const approx = fit(model, { method: 'advi', seed });
  const idata = approx.sample(n, { seed });
  return {
    idata,
    method: 'advi',
    chains: 1,
    draws: n,
    tune: 0,
    divergences: 0,
    gradEvals: approx.iterations,
    seconds: (performance.now() - t0) / 1000,
    warnings: [...approx.warnings],
    approx,
    targetAccept: 0.8,
    maxTreeDepth: 10,
  };
}
