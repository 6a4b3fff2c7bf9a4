// The plain-text digest a radon run prints at the end: one line per model, its warnings, the LOO comparison, and where the time went.
import { formatLooCompare } from 'nutmeg';
import type { RadonData } from './data.js';
import { elementMeans } from './analysis.js';
import type { FittedModel } from './run.js';
import type { WorkflowResults } from './workflow.js';

function fmt(x: number | null | undefined, digits = 2): string {
  return x === null || x === undefined || !Number.isFinite(x) ? 'NaN' : x.toFixed(digits);
}

/**
 * The LOO comparison as R's `print(loo_compare(...))` shows it (best first), then each model's
 * elpd_loo with its SE and p_loo, and how many homes have Pareto k > 0.7.
 */
function looLines(d: RadonData, w: WorkflowResults): string[] {
  const keys = w.compare ? w.compare.map((r) => r.name) : Object.keys(w.loo);
  if (keys.length === 0) return [];
  const lines = ['', `PSIS-LOO of the ${d.logRadon.length} homes (loo_compare: best first; elpd_diff with se_diff, the SE of the paired difference):`];
  if (w.compare) lines.push(...formatLooCompare(w.compare).split('\n'));
  for (const k of keys) {
    const l = w.loo[k];
    let bad = 0;
    for (const x of l.diagnostics.paretoK) if (x > 0.7) bad++;
    lines.push(`  ${k}: elpd_loo ${fmt(l.elpdLoo.estimate, 1)} (SE ${fmt(l.elpdLoo.se, 1)}), p_loo ${fmt(l.pLoo.estimate, 1)}, Pareto k > 0.7: ${bad} home${bad === 1 ? '' : 's'}`);
  }
  return lines;
}

/**
 * The plain-text digest printed at the end of a run.
 *
 * @param d - the radon data
 * @param models - the fitted models, with their RMSDs
 * @param reportPath - where report.html was written
 * @param timings - seconds per stage, and `total`
 * @param workflow - LOO per model and the comparison
 * @returns the digest, one line per model, then warnings, the LOO table, times and the report's path
 */
export function buildDigest(d: RadonData, models: readonly FittedModel[], reportPath: string, timings: Record<string, number>, workflow: WorkflowResults): string {
  const lines: string[] = [];
  lines.push(`Radon: ${d.logRadon.length} homes in ${d.counties.length} Minnesota counties.`);
  lines.push('');
  lines.push('model                            method     time(s)  diverg.  RMSD  RMSD(LOO)  key estimates');
  for (const m of models) {
    const p = m.idata.groups.posterior!.vars;
    const mean = (n: string): number => elementMeans(m.idata, n)[0];
    let est = '';
    if (p.mu_beta) est = `mu_alpha ${fmt(mean('mu_alpha'))}, mu_beta ${fmt(mean('mu_beta'))}, sigma_beta ${fmt(mean('sigma_beta'))}, eps ${fmt(mean('eps'))}`;
    else if (p.alpha.shape.length === 0) est = `alpha ${fmt(mean('alpha'))}, beta ${fmt(mean('beta'))}, eps ${fmt(mean('eps'))}`;
    else {
      const k = d.counties.indexOf('CASS');
      if (k >= 0) est = `beta[CASS] ${fmt(elementMeans(m.idata, 'beta')[k])}`;
    }
    lines.push(
      `${m.key.padEnd(32)} ${m.sampler.method.padEnd(9)} ${fmt(m.sampler.sampling_s, 1).padStart(8)}  ${String(m.sampler.divergences).padStart(7)}  ${fmt(m.rmsd?.inSample)}  ${fmt(m.rmsd?.loo).padStart(9)}  ${est}`,
    );
  }
  const warned = models.filter((m) => m.warnings.length > 0);
  if (warned.length > 0) {
    lines.push('');
    lines.push('Warnings:');
    for (const m of warned) for (const w of m.warnings) lines.push(`  ${m.key}: ${w}`);
  }
  lines.push(...looLines(d, workflow));
  lines.push('');
  const stages = Object.entries(timings)
    .filter(([k]) => k !== 'total')
    .map(([k, v]) => `${k} ${fmt(v, 1)}`)
    .join(', ');
  lines.push(`Done in ${fmt(timings.total, 1)} s (${stages}).`);
  lines.push(`Report: ${reportPath}`);
  return lines.join('\n');
}
