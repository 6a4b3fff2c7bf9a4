// Warnings after sampling, in the spirit of Stan's warnings guide: deduplicated, ranked, and each saying what to try.
import { arrayArgument, objectArgument } from '../core/argumentChecks.js';
import { checkInferenceData } from './inferenceDataArgument.js';
import { betainc, normalQuantile } from '../math/stdlib.js';
import { OptionError } from '../core/errors.js';
import { elementDraws, elementLabel, type InferenceData, shapeSize, type VariableArray } from './inferenceData.js';
import { countDivergences, countTreeDepthSaturation } from '../diagnostics/divergences.js';
import { firstAbove, firstAtLeast } from '../diagnostics/sortedSearch.js';
import { hasNonFinite } from '../diagnostics/draws.js';
import { ebfmi } from '../diagnostics/ebfmi.js';
import { convergenceDiagnostics } from '../diagnostics/convergence.js';
import { drawsHash, rememberConvergence } from './convergenceMemo.js';

/** One problem found in a run, with what to try. */
export interface SamplingWarning {
  /** Stable identifier: `failed_chains`, `checkpoint_write` (set by `sample`), `divergences`, `r_hat`, `ess_bulk`, `ess_tail`, `ebfmi`, `acceptance_rate`, `tree_depth`, `nonfinite_draws`. */
  code: WarningCode;
  /** `error`: the draws may be biased; `warning`: estimates may be unreliable; `info`: efficiency only. */
  severity: 'error' | 'warning' | 'info';
  /** What was found, with the numbers. */
  message: string;
  /** What to try. */
  advice: string;
}

/** The kinds of problems `samplingWarnings` reports, as stable codes (ranked in this order within a severity). */
export type WarningCode = 'failed_chains' | 'checkpoint_write' | 'nonfinite_draws' | 'divergences' | 'log_density_errors' | 'r_hat' | 'ess_bulk' | 'ess_tail' | 'ebfmi' | 'acceptance_rate' | 'tree_depth';

/** Options of `samplingWarnings`: the settings the run used. */
export interface SamplingWarningOptions {
  /** The target acceptance statistic of step-size adaptation (e.g. 0.8). */
  targetAccept: number;
  /** The maximum tree depth of NUTS (e.g. 10). */
  maxTreeDepth: number;
  /**
   * `false` skips the checks that scan every posterior element (R̂, bulk and tail ESS, non-finite
   * draws, where divergences concentrate), as PyMC's `compute_convergence_checks=False` does for many
   * small fits whose draws are checked together; the run-level checks (divergence counts, E-BFMI,
   * acceptance, tree depth, log-density errors) stay. Default `true`.
   */
  convergence?: boolean;
  /** Distinct messages of recoverable errors the log density raised inside trajectories (each became a divergence). */
  logDensityErrors?: readonly string[];
}

/**
 * Thresholds of the checks, with provenance.
 * - rHat 1.01: Vehtari et al. (2021), §4.1 ("use the sample only if R̂ < 1.01").
 * - essPerChain 100: Vehtari et al. (2021), §4.3 (ESS > 100 per chain, so that R̂ and MCSE are reliable).
 * - ebfmi 0.3: Betancourt (2016) and Stan's diagnostics (CmdStan `diagnose`).
 * - acceptance: PyMC's check — a Beta(n·ā + 1, n·(1 − ā) + 1) 95% interval around a chain's mean
 *   acceptance ā, with n = min(100, draws), must contain the target. Empirical (PyMC's comment says so).
 * - divergenceZ 4, divergenceFamilyAlpha 0.001: the standardised shift of the mean rank of divergent
 *   draws above which a parameter is said to concentrate divergences is the larger of 4 and the
 *   Bonferroni-corrected normal quantile for a 0.1% false alarm rate over all parameters (arbitrary
 *   choices, made so that an unrelated parameter is named only by rare chance; a funnel gives
 *   shifts of 10 or more).
 */
export const WARNING_THRESHOLDS = {
  rHat: 1.01,
  rHatSevere: 1.1,
  essPerChain: 100,
  ebfmi: 0.3,
  acceptanceInterval: 0.95,
  divergenceZ: 4,
  divergenceFamilyAlpha: 0.001,
  minDivergencesToLocate: 5,
} as const;

const SEVERITY_RANK = { error: 0, warning: 1, info: 2 } as const;
const CODE_RANK: Record<WarningCode, number> = {
  failed_chains: -2,
  checkpoint_write: -1,
  nonfinite_draws: 0,
  divergences: 1,
  log_density_errors: 2,
  r_hat: 3,
  ess_bulk: 4,
  ess_tail: 5,
  ebfmi: 6,
  acceptance_rate: 7,
  tree_depth: 8,
};

/** `n` with its noun, pluralised. */
function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** A short list: the first `max` items, then "and N more". */
function listSome(items: readonly string[], max = 5): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

/** The per-chain draws of a scalar sample statistic, or undefined when absent or not scalar. */
function statDraws(idata: InferenceData, name: string): Float64Array[] | undefined {
  const v = idata.groups.sample_stats?.vars[name];
  if (!v || shapeSize(v.shape) !== 1) return undefined;
  return elementDraws(v, idata.nChains, idata.nDraws, 0);
}

/** Every scalar element of the posterior with its label. */
function posteriorElements(idata: InferenceData): { label: string; v: VariableArray; e: number }[] {
  const out: { label: string; v: VariableArray; e: number }[] = [];
  for (const [name, v] of Object.entries(idata.groups.posterior?.vars ?? {})) {
    const k = shapeSize(v.shape);
    for (let e = 0; e < k; e++) out.push({ label: elementLabel(name, v, e), v, e });
  }
  return out;
}

/**
 * The parameters whose draws at divergent transitions sit unusually low or high among all draws:
 * the mean of the divergent draws' normalised ranks is compared with 1/2, its value when
 * divergences are unrelated to the parameter (standard error from sampling without replacement).
 * A funnel shows up as divergences at small values of the scale parameter.
 *
 * @internal exported for its test against the sort-based rank sum
 */
export function divergenceLocations(idata: InferenceData, div: Float64Array[]): { label: string; side: 'small' | 'large'; z: number }[] {
  const nTotal = idata.nChains * idata.nDraws;
  const isDiv = new Uint8Array(nTotal);
  let nDiv = 0;
  for (let c = 0; c < div.length; c++) {
    for (let d = 0; d < div[c].length; d++) {
      if (div[c][d] !== 0 && !Number.isNaN(div[c][d])) {
        isDiv[c * idata.nDraws + d] = 1;
        nDiv++;
      }
    }
  }
  if (nDiv < WARNING_THRESHOLDS.minDivergencesToLocate || nDiv === nTotal) return [];
  const se = Math.sqrt(((nTotal * nTotal - 1) / 12 / (nTotal * nTotal)) * ((nTotal - nDiv) / (nTotal - 1)) / nDiv);
  const found: { label: string; side: 'small' | 'large'; z: number }[] = [];
  const elements = posteriorElements(idata);
  const zCrit = Math.max(
    WARNING_THRESHOLDS.divergenceZ,
    normalQuantile(1 - WARNING_THRESHOLDS.divergenceFamilyAlpha / (2 * Math.max(1, elements.length)), 0, 1),
  );
  // The divergent draws' values of one element, sorted: each draw's place among them gives its
  // share of the divergent draws' ranks, O(nTotal · log nDiv) per element where sorting every draw
  // cost O(nTotal · log nTotal) and a copy (~60 ms of a radon run's 175 elements).
  const divValues = new Float64Array(nDiv);
  for (const { label, v, e } of elements) {
    const k = shapeSize(v.shape);
    const values = v.values;
    let finite = true;
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0, n = 0; i < nTotal; i++) {
      const xi = values[i * k + e];
      if (!Number.isFinite(xi)) finite = false;
      if (xi < min) min = xi;
      if (xi > max) max = xi;
      if (isDiv[i]) divValues[n++] = xi;
    }
    if (!finite || min === max) continue;
    divValues.sort();
    // Σ over divergent draws i of (rank_i − 0.5), ranks 1-based with ties averaged:
    // rank_i − 0.5 = #(draws below x_i) + #(draws equal to x_i) / 2, and summed over i that is
    // Σ_j #(divergent values above x_j) + Σ_j #(divergent values equal to x_j) / 2 over all draws j.
    let above = 0;
    let equal = 0;
    for (let j = 0; j < nTotal; j++) {
      const xj = values[j * k + e];
      const lower = firstAtLeast(divValues, xj);
      const upper = firstAbove(divValues, xj, lower);
      above += nDiv - upper;
      equal += upper - lower;
    }
    const sumRank = (above + equal / 2) / nTotal;
    const z = (sumRank / nDiv - 0.5) / se;
    if (Math.abs(z) > zCrit) found.push({ label, side: z < 0 ? 'small' : 'large', z });
  }
  return found.sort((a, b) => Math.abs(b.z) - Math.abs(a.z));
}

/** A posterior element whose diagnostic crossed its threshold. */
interface Flagged {
  readonly label: string;
  readonly value: number;
}

/** The posterior elements `convergenceScan` flagged, by check. */
interface ConvergenceScan {
  badRhat: Flagged[];
  lowBulk: Flagged[];
  lowTail: Flagged[];
  nonFinite: string[];
}

/**
 * R̂ and bulk/tail ESS of every posterior element, flagged against the thresholds. Kept out of
 * `samplingWarnings` so that the hot per-element loop is a small function of its own: when V8
 * optimises and re-optimises it (a fit per county calls it dozens of times), it compiles this
 * loop, not the whole warnings report.
 */
function convergenceScan(idata: InferenceData, minEss: number): ConvergenceScan {
  const { nChains, nDraws } = idata;
  const elements = posteriorElements(idata);
  // The loop only fills numbers (NaN marks non-finite draws): a branch taken for the first time
  // after V8 optimised the loop would throw the optimised code away.
  const rHat = new Float64Array(elements.length);
  const essBulk = new Float64Array(elements.length);
  const essTail = new Float64Array(elements.length);
  const finite = new Uint8Array(elements.length);
  // One set of chain buffers serves every element (the diagnostics keep nothing of them).
  const draws = Array.from({ length: nChains }, () => new Float64Array(nDraws));
  for (let j = 0; j < elements.length; j++) {
    const { v, e } = elements[j];
    const k = shapeSize(v.shape);
    for (let c = 0; c < nChains; c++) {
      const ch = draws[c];
      const base = c * nDraws * k + e;
      for (let d = 0; d < nDraws; d++) ch[d] = v.values[base + d * k];
    }
    if (hasNonFinite(draws)) continue;
    finite[j] = 1;
    const s = convergenceDiagnostics(draws);
    rememberConvergence(v.values, k, e, drawsHash(draws), s); // for summary() of the same draws
    rHat[j] = s.r_hat;
    essBulk[j] = s.ess_bulk;
    essTail[j] = s.ess_tail;
  }
  const flagged = (values: Float64Array, bad: (x: number) => boolean): Flagged[] =>
    elements.flatMap(({ label }, j) => (finite[j] === 1 && bad(values[j]) ? [{ label, value: values[j] }] : []));
  return {
    badRhat: flagged(rHat, (x) => x > WARNING_THRESHOLDS.rHat),
    lowBulk: flagged(essBulk, (x) => x < minEss),
    lowTail: flagged(essTail, (x) => x < minEss),
    nonFinite: elements.filter((_, j) => finite[j] === 0).map(({ label }) => label),
  };
}

/**
 * Checks a run and returns its problems, most serious first, one warning per kind of problem:
 * non-finite draws; divergent transitions after warm-up (per chain, and which parameters they
 * concentrate on when that can be told); R̂ above 1.01; bulk or tail ESS below 100 per chain;
 * E-BFMI below 0.3; mean acceptance far from the target; tree-depth saturation. Each warning says
 * what to try, after Stan's warnings guide (https://mc-stan.org/misc/warnings.html).
 *
 * Reads `posterior` and the ArviZ-named `sample_stats` (`diverging`, `acceptance_rate`,
 * `tree_depth`, `energy`); checks whose statistics are missing are skipped.
 *
 * @param idata - results of sampling (post-warm-up draws)
 * @param opts - the run's `targetAccept` and `maxTreeDepth`
 * @returns the warnings, ranked by severity then kind; empty when nothing was found
 * @throws OptionError for a targetAccept outside (0, 1) or a bad maxTreeDepth
 * @example
 * declare const idata: InferenceData; // e.g. from sample()
 * const ws = samplingWarnings(idata, { targetAccept: 0.8, maxTreeDepth: 10 });
 * if (ws.length > 0) console.error(formatWarnings(ws));
 *
 * References: Vehtari et al. (2021), Bayesian Analysis 16(2); Betancourt (2016), arXiv:1604.00695;
 * Betancourt (2017), A conceptual introduction to Hamiltonian Monte Carlo, arXiv:1701.02434.
 */
export function samplingWarnings(idata: InferenceData, opts: SamplingWarningOptions): SamplingWarning[] {
  checkInferenceData(idata, 'samplingWarnings');
  objectArgument(opts, 'opts', 'samplingWarnings', '{ targetAccept: 0.8, maxTreeDepth: 10 }');
  const { targetAccept, maxTreeDepth } = opts;
  validateWarningOptions(targetAccept, maxTreeDepth);
  const { nChains, nDraws } = idata;
  if (nChains === 0 || nDraws === 0) return [];
  const scanElements = opts.convergence !== false;
  const minEss = WARNING_THRESHOLDS.essPerChain * nChains;
  const scan: ConvergenceScan = scanElements ? convergenceScan(idata, minEss) : { badRhat: [], lowBulk: [], lowTail: [], nonFinite: [] };
  const ws: SamplingWarning[] = [
    ...nonFiniteDrawsWarnings(scan.nonFinite),
    ...divergenceWarnings(idata, targetAccept, scanElements),
    ...logDensityErrorWarnings(opts.logDensityErrors ?? []),
    ...rHatWarnings(scan.badRhat),
    ...essBulkWarnings(scan.lowBulk, nChains, minEss),
    ...essTailWarnings(scan.lowTail, nChains, minEss),
    ...ebfmiWarnings(idata),
    ...acceptanceWarnings(idata, targetAccept),
    ...treeDepthWarnings(idata, maxTreeDepth),
  ];
  return rankWarnings(ws);
}

/** Throws OptionError unless targetAccept is in (0, 1) and maxTreeDepth is a positive integer. */
function validateWarningOptions(targetAccept: number, maxTreeDepth: number): void {
  if (typeof targetAccept !== 'number' || !(targetAccept > 0 && targetAccept < 1)) {
    throw new OptionError('targetAccept', `must be in (0, 1), got ${String(targetAccept)}`);
  }
  if (!Number.isInteger(maxTreeDepth) || maxTreeDepth < 1) {
    throw new OptionError('maxTreeDepth', `must be a positive integer, got ${String(maxTreeDepth)}`);
  }
}

/** The warning for posterior elements with NaN or infinite draws (labels from `convergenceScan`). */
function nonFiniteDrawsWarnings(nonFinite: readonly string[]): SamplingWarning[] {
  if (nonFinite.length === 0) return [];
  return [{
    code: 'nonfinite_draws',
    severity: 'error',
    message: `${plural(nonFinite.length, 'parameter')} ha${nonFinite.length === 1 ? 's' : 've'} NaN or infinite draws: ${listSome(nonFinite)}.`,
    advice: 'Check the model for values that overflow or leave their support (a deterministic dividing by a parameter near 0, an exp of a large value); give such parameters tighter priors or constraints.',
  }];
}

/**
 * The warning for divergent transitions after warm-up: counts per chain and, when `locate` is set,
 * the parameters the divergences concentrate on (a funnel changes the advice).
 */
function divergenceWarnings(idata: InferenceData, targetAccept: number, locate: boolean): SamplingWarning[] {
  const div = statDraws(idata, 'diverging');
  if (!div) return [];
  const counts = countDivergences(div);
  if (counts.total === 0) return [];
  const total = idata.nChains * idata.nDraws;
  const perChain = counts.perChain.map((n, c) => `chain ${c}: ${n}`).join(', ');
  const where = locate ? divergenceLocations(idata, div) : [];
  const whereText = where.length > 0
    ? ` They concentrate where ${listSome(where.map((w) => `${w.label} is ${w.side}`), 3)}.`
    : '';
  const funnel = where.some((w) => w.side === 'small');
  return [{
    code: 'divergences',
    severity: 'error',
    message: `${counts.total} of ${total} transitions after warm-up diverged (${(100 * counts.total / total).toFixed(1)}%; ${perChain}).${whereText} The sampler could not follow the posterior's curvature there, so the draws may be biased.`,
    advice:
      `Increase targetAccept (now ${targetAccept}; try ${targetAccept < 0.95 ? '0.95' : '0.99'}), which shortens the step size. ` +
      (funnel
        ? 'Divergences at small values of a scale parameter are the mark of a funnel: use a non-centred parameterisation (theta = mu + tau * z with z ~ Normal(0, 1)). '
        : 'If they persist, reparameterise: a hierarchical model usually needs a non-centred parameterisation of its group effects (theta = mu + tau * z with z ~ Normal(0, 1)), and weakly informative priors help. ') +
      'Do not trust the draws while divergences remain.',
  }];
}

/** The warning listing the recoverable errors the log density raised inside trajectories. */
function logDensityErrorWarnings(errors: readonly string[]): SamplingWarning[] {
  if (errors.length === 0) return [];
  return [{
    code: 'log_density_errors',
    severity: 'warning',
    message: `The log density raised errors inside trajectories, each treated as a divergence: ${errors.join('; ')}.`,
    advice: 'A recoverable error (DomainError) marks a region where the log density is undefined; if it is not meant to be reachable, constrain the parameter (a bounded prior or a transform) or check the log density there.',
  }];
}

/** The warning for R̂ above its threshold (an error above `rHatSevere`); sorts `badRhat` worst first. */
function rHatWarnings(badRhat: Flagged[]): SamplingWarning[] {
  if (badRhat.length === 0) return [];
  badRhat.sort((a, b) => b.value - a.value);
  const worst = badRhat[0].value;
  return [{
    code: 'r_hat',
    severity: worst > WARNING_THRESHOLDS.rHatSevere ? 'error' : 'warning',
    message: `R-hat is above ${WARNING_THRESHOLDS.rHat} for ${plural(badRhat.length, 'parameter')} (largest ${worst.toFixed(3)}: ${listSome(badRhat.map((r) => `${r.label} ${r.value.toFixed(3)}`))}): the chains have not mixed, so they do not yet agree on the posterior.`,
    advice: 'Run more draws (and warm-up); look at trace and rank plots of these parameters. If chains stick in different places the posterior may be multimodal or badly identified: reparameterise or use more informative priors.',
  }];
}

/** The warning for bulk ESS below `minEss`; sorts `lowBulk` lowest first. */
function essBulkWarnings(lowBulk: Flagged[], nChains: number, minEss: number): SamplingWarning[] {
  if (lowBulk.length === 0) return [];
  lowBulk.sort((a, b) => a.value - b.value);
  return [{
    code: 'ess_bulk',
    severity: 'warning',
    message: `Bulk ESS is below ${WARNING_THRESHOLDS.essPerChain} per chain (${minEss} for ${plural(nChains, 'chain')}) for ${plural(lowBulk.length, 'parameter')} (${listSome(lowBulk.map((r) => `${r.label} ${Math.round(r.value)}`))}): posterior means and medians may be unreliable.`,
    advice: 'Run more draws; if the ESS per draw stays low, reparameterise to reduce posterior correlations (or a non-centred parameterisation for hierarchical models).',
  }];
}

/** The warning for tail ESS below `minEss`; sorts `lowTail` lowest first. */
function essTailWarnings(lowTail: Flagged[], nChains: number, minEss: number): SamplingWarning[] {
  if (lowTail.length === 0) return [];
  lowTail.sort((a, b) => a.value - b.value);
  return [{
    code: 'ess_tail',
    severity: 'warning',
    message: `Tail ESS is below ${WARNING_THRESHOLDS.essPerChain} per chain (${minEss} for ${plural(nChains, 'chain')}) for ${plural(lowTail.length, 'parameter')} (${listSome(lowTail.map((r) => `${r.label} ${Math.round(r.value)}`))}): posterior intervals and tail quantiles may be unreliable.`,
    advice: 'Run more draws; heavy-tailed posteriors may need more informative priors or a reparameterisation.',
  }];
}

/** The warning for chains whose E-BFMI is below its threshold (skipped without an `energy` statistic). */
function ebfmiWarnings(idata: InferenceData): SamplingWarning[] {
  const energy = statDraws(idata, 'energy');
  if (!energy) return [];
  const values = ebfmi(energy);
  const low = [...values].map((b, c) => ({ b, c })).filter(({ b }) => b < WARNING_THRESHOLDS.ebfmi);
  if (low.length === 0) return [];
  return [{
    code: 'ebfmi',
    severity: 'warning',
    message: `E-BFMI is below ${WARNING_THRESHOLDS.ebfmi} in ${plural(low.length, 'chain')} (${low.map(({ b, c }) => `chain ${c}: ${b.toFixed(2)}`).join(', ')}): the sampler explores the energy levels of the posterior poorly, typically because of heavy tails or a hierarchical funnel.`,
    advice: 'Reparameterise (a non-centred parameterisation for hierarchical models) or use more informative priors; running longer does not fix this.',
  }];
}

/**
 * The warnings for a mean acceptance statistic far from the target (PyMC's check): a warning for
 * chains below it, information for chains above it.
 */
function acceptanceWarnings(idata: InferenceData, targetAccept: number): SamplingWarning[] {
  const accept = statDraws(idata, 'acceptance_rate');
  if (!accept) return [];
  const low: string[] = [];
  const high: string[] = [];
  const tailP = (1 - WARNING_THRESHOLDS.acceptanceInterval) / 2;
  accept.forEach((ch, c) => {
    const finite = [...ch].filter(Number.isFinite);
    if (finite.length === 0) return;
    const m = finite.reduce((a, b) => a + b, 0) / finite.length;
    const n = Math.min(100, finite.length);
    // The target lies above the interval's upper end (the (1 − tailP)-quantile of
    // Beta(m·n + 1, (1 − m)·n + 1)) exactly when that distribution's CDF there exceeds 1 − tailP,
    // and below its lower end when the CDF is under tailP: one CDF instead of two inverted ones
    // (~80 µs a chain, warm; 340 chains in the radon run's county fits).
    const cdf = betainc(targetAccept, m * n + 1, (1 - m) * n + 1);
    if (cdf > 1 - tailP) low.push(`chain ${c}: ${m.toFixed(2)}`);
    else if (cdf < tailP) high.push(`chain ${c}: ${m.toFixed(2)}`);
  });
  // Below the target, adaptation failed to find a step size the trajectory can follow: a
  // warning. Above it, the step size is merely smaller than needed (common for small, nearly
  // Gaussian posteriors, whose acceptance overshoots): information, not a problem.
  const ws: SamplingWarning[] = [];
  if (low.length > 0) {
    ws.push({
      code: 'acceptance_rate',
      severity: 'warning',
      message: `The mean acceptance statistic is below the target ${targetAccept} in ${plural(low.length, 'chain')} (${low.join(', ')}): step-size adaptation did not settle.`,
      advice: 'Run more warm-up (tune) draws; if a chain is stuck with a tiny step size, look for a region of extreme curvature (often the same cause as divergences).',
    });
  }
  if (high.length > 0) {
    ws.push({
      code: 'acceptance_rate',
      severity: 'info',
      message: `The mean acceptance statistic is above the target ${targetAccept} in ${plural(high.length, 'chain')} (${high.join(', ')}): the adapted step size is smaller than it needs to be.`,
      advice: 'Nothing to fix for validity; more warm-up (tune) draws may give a larger step size and fewer gradient evaluations per draw.',
    });
  }
  return ws;
}

/** The information note for transitions that reached the maximum tree depth. */
function treeDepthWarnings(idata: InferenceData, maxTreeDepth: number): SamplingWarning[] {
  const depth = statDraws(idata, 'tree_depth');
  if (!depth) return [];
  const sat = countTreeDepthSaturation(depth, maxTreeDepth);
  if (sat.total === 0) return [];
  const total = idata.nChains * idata.nDraws;
  return [{
    code: 'tree_depth',
    severity: 'info',
    message: `${sat.total} of ${total} transitions (${(100 * sat.total / total).toFixed(1)}%) reached the maximum tree depth ${maxTreeDepth} (${sat.perChain.map((n, c) => `chain ${c}: ${n}`).join(', ')}): trajectories were cut short. This is an efficiency concern, not a validity one.`,
    advice: `Reparameterise to reduce posterior correlations or rescale parameters to unit scale; or raise maxTreeDepth (now ${maxTreeDepth}) at the cost of longer trajectories.`,
  }];
}

/**
 * Deduplicates warnings (same code and message kept once) and ranks them: errors, then warnings,
 * then information; within a severity, by kind (divergences, R̂, ESS, E-BFMI, acceptance, tree depth).
 *
 * @param ws - warnings, possibly from several sources
 * @returns a new, ranked array
 */
export function rankWarnings(ws: readonly SamplingWarning[]): SamplingWarning[] {
  const seen = new Set<string>();
  const out: SamplingWarning[] = [];
  for (const w of ws) {
    const key = `${w.code}\u0000${w.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(w);
  }
  return out.sort(
    (a, b) =>
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || CODE_RANK[a.code] - CODE_RANK[b.code],
  );
}

/** Wraps text to `width` columns, indenting continuation lines by `indent`. */
function wrap(text: string, width: number, indent: string): string {
  const words = text.split(/\s+/).filter((w) => w.length > 0);
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line.length > 0 && indent.length + line.length + 1 + w.length > width) {
      lines.push(line);
      line = w;
    } else line = line.length > 0 ? `${line} ${w}` : w;
  }
  if (line.length > 0) lines.push(line);
  return lines.join(`\n${indent}`);
}

/**
 * Renders warnings for a terminal: a heading, then each warning with its severity, message and
 * advice, wrapped to 100 columns. Empty string when there are none.
 *
 * @param ws - warnings (ranked as given)
 * @returns text ending with a newline, or ''
 * @example
 * declare const idata: InferenceData; // e.g. from sample()
 * process.stderr.write(formatWarnings(samplingWarnings(idata, { targetAccept: 0.8, maxTreeDepth: 10 })));
 */
export function formatWarnings(ws: readonly SamplingWarning[]): string {
  arrayArgument(ws, 'warnings', 'formatWarnings', "warnings from samplingWarnings() or attrs.warning_details");
  if (ws.length === 0) return '';
  const head = `nutmeg found ${plural(ws.length, 'problem')} with this run (see https://mc-stan.org/misc/warnings.html):`;
  const parts = ws.map((w) => {
    const tag = `[${w.severity}]`.padEnd(10);
    const pad = ' '.repeat(10);
    return `${tag}${wrap(w.message, 100, pad)}\n${pad}Try: ${wrap(w.advice, 100, pad + '     ')}`;
  });
  return `${head}\n${parts.join('\n')}\n`;
}
