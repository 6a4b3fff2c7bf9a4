// Runs a prepared model: NUTS with live progress and Stop, then log-likelihood, posterior predictive draws, summary, warnings and PSIS-LOO (no DOM).
import {
  loo,
  sample,
  samplePosteriorPredictive,
  samplingWarnings,
  summary,
  type InferenceData,
  type LooResult,
  type ProgressSink,
  type SamplingWarning,
  type SummaryRow,
} from 'nutmeg';
import type { PreparedModel } from './fitModel.js';

/** The sampler settings a link carries. */
export interface SamplerSettings {
  readonly chains: number;
  readonly draws: number;
  readonly tune: number;
  readonly seed: number;
}

/** A finished (or stopped) run and everything derived from it. */
export interface FitOutcome {
  readonly prepared: PreparedModel;
  readonly settings: SamplerSettings;
  /** posterior, sample_stats, observed_data, log_likelihood and posterior_predictive (when there are draws). */
  readonly idata: InferenceData;
  readonly rows: readonly SummaryRow[];
  readonly warnings: readonly SamplingWarning[];
  /** PSIS-LOO, or why it could not be computed. */
  readonly loo: LooResult | { readonly error: string };
  /** Post-warm-up divergences over all chains. */
  readonly divergences: number;
  /** Wall time of sample(), seconds. */
  readonly samplingSeconds: number;
  /** Stopped before every chain finished (the draws so far are kept). */
  readonly incomplete: boolean;
}

/** What the page passes while a run goes on. */
export interface RunHooks {
  readonly progress: ProgressSink;
  readonly signal: AbortSignal;
  /** Called between the stages after sampling (`log-likelihood`, `posterior predictive`, `LOO`). */
  readonly onStage?: (stage: string) => void;
}

/** NUTS settings of every run (sample()'s defaults), also what the warnings are judged against. */
const NUTS = { targetAccept: 0.8, maxTreeDepth: 10 } as const;

/** Lets the page paint between long stages. */
const nextTask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Counts the post-warm-up divergences.
 *
 * @param idata - sample()'s result
 * @returns the number of draws with `sample_stats.diverging` set, over all chains
 */
export function countDivergences(idata: InferenceData): number {
  const d = idata.groups.sample_stats?.vars.diverging?.values;
  if (!d) return 0;
  let n = 0;
  for (let i = 0; i < d.length; i++) if (d[i]) n++;
  return n;
}

/**
 * Samples the model and derives the results views' data.
 *
 * @param p - the prepared model
 * @param s - chains, draws, tune, seed
 * @param hooks - progress sink, abort signal, stage callback
 * @returns the outcome (marked incomplete when stopped)
 * @throws whatever sample() throws (OptionError, ModelError); an outcome with no draws when stopped in warm-up
 */
export async function runFit(p: PreparedModel, s: SamplerSettings, hooks: RunHooks): Promise<FitOutcome> {
  const started = performance.now();
  const sampled = await sample(p.model.compile(), {
    chains: s.chains,
    draws: s.draws,
    tune: s.tune,
    seed: s.seed,
    progress: hooks.progress,
    signal: hooks.signal,
    logLikelihood: true,
    ...NUTS,
  });
  const samplingSeconds = (performance.now() - started) / 1000;
  const incomplete = sampled.attrs.incomplete === true;
  const base = { prepared: p, settings: s, samplingSeconds, incomplete, divergences: countDivergences(sampled) };
  if (sampled.nDraws === 0 || sampled.nChains === 0) {
    return { ...base, idata: sampled, rows: [], warnings: [], loo: { error: 'no draws were made (stopped during warm-up)' } };
  }
  hooks.onStage?.('posterior predictive draws');
  await nextTask();
  const idata = samplePosteriorPredictive(p.model, sampled, { seed: s.seed });
  hooks.onStage?.('summary');
  await nextTask();
  const rows = summary(idata, { ...(p.summaryVars ? { varNames: p.summaryVars } : {}), useCoords: p.useCoords });
  const warnings = samplingWarnings(reportedOnly(idata, p.summaryVars), NUTS);
  hooks.onStage?.('PSIS-LOO');
  await nextTask();
  let looResult: FitOutcome['loo'];
  try {
    looResult = loo(idata, { varName: p.response });
  } catch (e) {
    looResult = { error: (e as Error).message };
  }
  return { ...base, idata, rows, warnings, loo: looResult };
}

/** The InferenceData with only the reported parameters in its posterior (convergence is judged on them, as `nutmeg fit` does). */
function reportedOnly(idata: InferenceData, names: readonly string[] | undefined): InferenceData {
  const posterior = idata.groups.posterior;
  if (!names || !posterior) return idata;
  const vars = Object.fromEntries(names.filter((n) => Object.hasOwn(posterior.vars, n)).map((n) => [n, posterior.vars[n]]));
  return { ...idata, groups: { ...idata.groups, posterior: { ...posterior, vars } } };
}
