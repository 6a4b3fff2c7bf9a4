// After sampling: pointwise log-likelihood and PSIS-LOO of each model, their comparison, and the hierarchical model's posterior predictive check and LOO-PIT.
import { computeLogLikelihood, loo, looCompare, looPit, samplePosteriorPredictive, type InferenceData, type LooCompareRow, type LooResult, type Model } from 'nutmeg';
import type { RadonData } from './data.js';
import { predictNewHouse, type NewHousePrediction } from './prediction.js';
import { lineDraws, looMu, type LooPredictions } from './analysis.js';

/** A fitted model as this stage needs it: its key, kind, the model it was fitted from, and its draws. */
export interface WorkflowInput {
  readonly key: string;
  readonly kind: string;
  readonly model?: Model;
  readonly idata: InferenceData;
}

/** The posterior predictive check of one model: replicated data sets and LOO-PIT values. */
export interface PredictiveCheck {
  /** Summary.json key of the model. */
  readonly key: string;
  /** One replicated data set (919 homes) per posterior draw, from `samplePosteriorPredictive`. */
  readonly yRep: Float64Array[];
  /** LOO-PIT value of each home (`looPit`). */
  readonly pit: Float64Array;
}

/** What the stage computed. */
export interface WorkflowResults {
  /** PSIS-LOO of each model with a joint likelihood (pooled, centered, non-centered), by key. */
  readonly loo: Readonly<Record<string, LooResult>>;
  /** The same models' leave-one-out means of each home's mu, from PSIS-LOO's own weights (for the LOO RMSD), by key. */
  readonly looMu?: Readonly<Record<string, LooPredictions>>;
  /** `looCompare` of those models, best first (when two or more were fitted). */
  readonly compare?: LooCompareRow[];
  /** The key of the model whose Pareto k, PPC, LOO-PIT and predictions are shown (non-centered if fitted, else centered, else pooled). */
  readonly focus?: string;
  readonly check?: PredictiveCheck;
  readonly prediction?: NewHousePrediction;
}

/** The kinds with one joint likelihood over the 919 homes, in the order LOO is computed. */
const LOO_KINDS = ['pooled', 'hierarchical', 'hierarchical_noncentered'];

/** Splits a posterior_predictive variable of shape [n] into one array per draw (views, no copy). */
function perDraw(values: Float64Array, draws: number, n: number): Float64Array[] {
  return Array.from({ length: draws }, (_, s) => values.subarray(s * n, (s + 1) * n));
}

/**
 * Log-likelihood, PSIS-LOO (with each home's leave-one-out mean of mu, from the same weights)
 * and the comparison of the pooled and hierarchical models; the posterior predictive check and
 * LOO-PIT of the focus model (non-centered if fitted, else centered, else pooled); and its
 * predictions for a new house in CASS and in a new county.
 *
 * @param d - the radon data
 * @param fitted - the fitted models (those without `model`, or of other kinds, are skipped)
 * @param seed - seed of the posterior predictive and the predictions
 * @param between - awaited between the steps (each well under a second): the command checks for Ctrl-C there
 * @returns LOO and LOO means of mu per model, the comparison, the check and the predictions
 */
export async function runWorkflow(d: RadonData, fitted: readonly WorkflowInput[], seed: number, between: () => Promise<void> = async () => undefined): Promise<WorkflowResults> {
  const joint = LOO_KINDS.map((k) => fitted.find((m) => m.kind === k && m.model !== undefined)).filter((m): m is WorkflowInput & { model: Model } => m !== undefined);
  const withLogLik = new Map<string, InferenceData>();
  const looByKey: Record<string, LooResult> = {};
  const looMuByKey: Record<string, LooPredictions> = {};
  const focusModel = joint.find((m) => m.kind === 'hierarchical_noncentered') ?? joint.find((m) => m.kind === 'hierarchical') ?? joint.find((m) => m.kind === 'pooled');
  let focusWeights: Float64Array[] | undefined;
  for (const m of joint) {
    await between();
    const idata = computeLogLikelihood(m.model, m.idata);
    withLogLik.set(m.key, idata);
    await between();
    // PSIS runs once per model: its weights give the leave-one-out means of mu (the LOO RMSD)
    // and, for the focus model, LOO-PIT.
    const { weights, ...result } = loo(idata, { saveWeights: true });
    looByKey[m.key] = result;
    looMuByKey[m.key] = looMu(d, lineDraws(m.idata), { weights: weights!, paretoK: result.diagnostics.paretoK });
    if (m === focusModel) focusWeights = weights;
  }
  const compare = joint.length >= 2 ? looCompare(looByKey) : undefined;
  if (!focusModel) return { loo: looByKey, looMu: looMuByKey, ...(compare ? { compare } : {}) };
  const idata = withLogLik.get(focusModel.key)!;
  await between();
  const pp = samplePosteriorPredictive(focusModel.model, idata, { seed });
  const S = idata.nChains * idata.nDraws;
  const yRep = perDraw(pp.groups.posterior_predictive!.vars.log_radon.values, S, d.logRadon.length);
  // loo's own PSIS weights: LOO-PIT's are those of PSIS-LOO (same log-likelihood, same r_eff).
  await between();
  const pit = looPit({ y: d.logRadon, yRep, weights: focusWeights! });
  await between();
  const prediction = focusModel.kind === 'pooled' ? undefined : predictNewHouse(d, focusModel.model, idata, seed);
  return {
    loo: looByKey,
    looMu: looMuByKey,
    ...(compare ? { compare } : {}),
    focus: focusModel.key,
    check: { key: focusModel.key, yRep, pit },
    ...(prediction ? { prediction } : {}),
  };
}
