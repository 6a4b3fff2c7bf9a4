// The automation hook (documented in the README): the run's status on <html data-nutmeg-status>, and the result on window.nutmeg.result in the CLI's --json layout.
import { summaryToJson, type LooResult } from 'nutmeg';
import type { FitOutcome } from './fitRun.js';

/** `idle` before any run, `running` while sampling and post-processing, then `done` or `error`. */
export type RunStatus = 'idle' | 'running' | 'done' | 'error';

/** What a script reads from `window.nutmeg.result` after `done`. */
export interface AutomationResult {
  /** `{"<name>": {"mean", "sd", "hdi_3%", "hdi_97%", "mcse_mean", "mcse_sd", "ess_bulk", "ess_tail", "r_hat"}}`, as `nutmeg fit --json` (NaN as null). */
  readonly summary: Record<string, Record<string, number | null>>;
  /** Post-warm-up divergences, all chains. */
  readonly divergences: number;
  /** Wall time of sampling, seconds. */
  readonly sampling_s: number;
  /** True when Stop ended the run early (the draws so far are kept). */
  readonly incomplete: boolean;
  readonly chains: number;
  /** Draws per chain kept. */
  readonly draws: number;
  readonly seed: number;
  /** PSIS-LOO estimates (null when they could not be computed). */
  readonly loo: { readonly elpd_loo: number; readonly se_elpd_loo: number; readonly p_loo: number; readonly looic: number; readonly pareto_k_above_0_7: number } | null;
}

declare global {
  interface Window {
    nutmeg?: { result: AutomationResult | null };
  }
}

/**
 * Sets the page's run status (and the error message, as an attribute: text, never markup).
 *
 * @param status - the new status
 * @param message - the error's message when status is `error`
 */
export function setStatus(status: RunStatus, message?: string): void {
  const root = document.documentElement;
  root.dataset.nutmegStatus = status;
  if (status === 'error') root.dataset.nutmegError = message ?? 'error';
  else delete root.dataset.nutmegError;
  if (status === 'running' || status === 'error') window.nutmeg = { result: null };
}

/** The LOO numbers of the hook. */
function looNumbers(l: LooResult | { error: string }): AutomationResult['loo'] {
  if ('error' in l) return null;
  let high = 0;
  for (const k of l.diagnostics.paretoK) if (k > 0.7) high++;
  return { elpd_loo: l.elpdLoo.estimate, se_elpd_loo: l.elpdLoo.se, p_loo: l.pLoo.estimate, looic: l.looic.estimate, pareto_k_above_0_7: high };
}

/**
 * Publishes a finished run on `window.nutmeg.result`, then sets the status to `done`.
 *
 * @param o - the run's outcome
 * @returns the published result
 */
export function publishResult(o: FitOutcome): AutomationResult {
  const result: AutomationResult = {
    summary: JSON.parse(summaryToJson(o.rows)) as AutomationResult['summary'],
    divergences: o.divergences,
    sampling_s: o.samplingSeconds,
    incomplete: o.incomplete,
    chains: o.idata.nChains,
    draws: o.idata.nDraws,
    seed: o.settings.seed,
    loo: looNumbers(o.loo),
  };
  window.nutmeg = { result };
  setStatus('done');
  return result;
}
