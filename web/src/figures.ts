// Which charts a run gets: trace, forest, county forest, shrinkage (hierarchical radon), posterior predictive check, Pareto k — as the library's Vega-Lite specs.
import { forestRows, plotForest, plotParetoK, plotPpc, plotShrinkage, plotTrace, traceVariables, type InferenceData, type ShrinkageRow, type VegaLiteSpec } from 'nutmeg';
import type { RadonData } from '@nutmeg/cli/browser';
import type { FitOutcome } from './fitRun.js';

/** A chart to draw. */
export interface ChartPlan {
  readonly name: string;
  readonly caption: string;
  readonly spec: () => VegaLiteSpec;
}

/** Replicated data sets drawn in the posterior predictive check. */
const PPC_REPLICATES = 60;

/** `count` replicates of the observed variable, evenly spaced over the pooled posterior predictive draws. */
function replicates(idata: InferenceData, name: string, count: number): Float64Array[] {
  const v = idata.groups.posterior_predictive?.vars[name];
  if (!v) return [];
  const total = idata.nChains * idata.nDraws;
  const n = v.values.length / total;
  const step = Math.max(1, Math.floor(total / count));
  const out: Float64Array[] = [];
  for (let s = 0; s < total && out.length < count; s += step) out.push(v.values.slice(s * n, (s + 1) * n));
  return out;
}

/** Posterior mean of each element of a variable. */
function means(idata: InferenceData, name: string): Float64Array {
  const v = idata.groups.posterior?.vars[name];
  const total = idata.nChains * idata.nDraws;
  if (!v) return new Float64Array();
  const k = v.values.length / total;
  const out = new Float64Array(k);
  for (let s = 0; s < total; s++) for (let j = 0; j < k; j++) out[j] += v.values[s * k + j] / total;
  return out;
}

/**
 * The shrinkage arrows of a hierarchical radon fit: from each county's no-pooling estimate (the
 * mean log radon of its basement homes, and the difference of its first-floor and basement means:
 * least squares of the county alone) to the hierarchical posterior means of alpha and beta.
 * Counties without homes on both levels have no no-pooling slope and are left out.
 *
 * @param idata - the hierarchical fit
 * @param d - the radon data
 * @returns one arrow per county with both floors measured
 */
export function shrinkageRows(idata: InferenceData, d: RadonData): ShrinkageRow[] {
  const alpha = means(idata, 'alpha');
  const beta = means(idata, 'beta');
  const sums = d.counties.map(() => ({ n0: 0, s0: 0, n1: 0, s1: 0 }));
  d.county.forEach((c, i) => {
    const s = sums[c];
    if (d.floor[i] === 0) {
      s.n0++;
      s.s0 += d.logRadon[i];
    } else {
      s.n1++;
      s.s1 += d.logRadon[i];
    }
  });
  const rows: ShrinkageRow[] = [];
  sums.forEach((s, c) => {
    if (s.n0 === 0 || s.n1 === 0) return;
    const a = s.s0 / s.n0;
    rows.push({ label: d.counties[c], from: { x: a, y: s.s1 / s.n1 - a }, to: { x: alpha[c], y: beta[c] } });
  });
  return rows;
}

/**
 * The charts of a run, in page order.
 *
 * @param o - the outcome
 * @returns the plans (nothing when the run has no draws)
 */
export function chartPlans(o: FitOutcome): ChartPlan[] {
  const { idata, prepared: p } = o;
  if (idata.nDraws === 0) return [];
  const plans: ChartPlan[] = [];
  const main = p.mainParameters.filter((n) => idata.groups.posterior?.vars[n] !== undefined);
  if (main.length > 0) {
    plans.push({ name: 'trace', caption: 'Trace and density of the population-level parameters, per chain.', spec: () => plotTrace(traceVariables(idata, main)) });
    plans.push({
      name: 'forest',
      caption: 'Posterior means and 94% HDIs of the population-level parameters.',
      spec: () => plotForest(main.flatMap((n) => forestRows(idata, n)), { title: 'Population-level parameters' }),
    });
  }
  const group = p.groupParameter;
  if (group !== undefined && idata.groups.posterior?.vars[group] !== undefined) {
    plans.push({ name: 'forest_groups', caption: `Posterior means and 94% HDIs of ${group}, per group.`, spec: () => plotForest(forestRows(idata, group), { title: group }) });
  }
  const radon = p.radon;
  if (radon) {
    plans.push({
      name: 'shrinkage',
      caption: 'Shrinkage: each county from its own least-squares estimate (no pooling) to the hierarchical posterior mean (partial pooling).',
      spec: () => plotShrinkage(shrinkageRows(idata, radon), { fromName: 'no pooling', toName: 'hierarchical' }),
    });
  }
  const observed = idata.groups.observed_data?.vars[p.response]?.values;
  if (observed && idata.groups.posterior_predictive) {
    plans.push({
      name: 'ppc',
      caption: `Posterior predictive check: densities of replicated ${p.response} (thin) against the observed (thick).`,
      spec: () => plotPpc(observed, replicates(idata, p.response, PPC_REPLICATES), { xTitle: p.response, maxReplicates: PPC_REPLICATES }),
    });
  }
  const l = o.loo;
  if ('diagnostics' in l) plans.push({ name: 'pareto_k', caption: 'Pareto k of each observation (PSIS-LOO reliability; above 0.7 is unreliable).', spec: () => plotParetoK(l.diagnostics.paretoK) });
  return plans;
}
