// Many-parameters benchmark: a radon-shaped hierarchical model at 100, 1,000 and 10,000 groups (≈200 to 20,000 parameters), every stage timed per parameter.
//
// `npm run bench -- many` prints one JSON line per size, then one line of ratios between the two
// largest sizes (10,000 vs 1,000 groups): a stage whose time per parameter grows with the size
// (a ratio well above 1) is superlinear. The model is `nutmeg fit`'s `y ~ 1 + x + (1 + x || g)`
// (brms's non-centred varying intercept and slope per group, 5 to 15 rows a group, 10 on average),
// so the stages are the ones `nutmeg fit` runs: formula → model, compile, the gradient, a short NUTS
// run (2 chains × (200 + 200)), log-likelihood, posterior predictive, summary, the sampling
// warnings, LOO, InferenceData as ArviZ JSON, CmdStan CSVs, summary.json, the figures (trace,
// forest, PPC, Pareto k, rendered to SVG) and report.html. Each size runs in its own process.
// Env: NUTMEG_MANY_GROUPS (comma-separated group counts, default 100,1000,10000),
// NUTMEG_MANY_DRAWS (draws and warm-up per chain, default 200).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  computeLogLikelihood,
  formulaModel,
  loo,
  samplePosteriorPredictive,
  sample,
  samplingWarnings,
  summary,
  summaryToCsv,
  summaryToJson,
  toArvizJson,
  toStanCsv,
  type InferenceData,
} from 'nutmeg';
import { nsPerGradient } from './gradientTiming.js';
import { uniforms } from './uniforms.js';
import { renderFigures } from '../packages/cli/src/fit/figures.js';
import { NUTS_SETTINGS, type FitOptions } from '../packages/cli/src/fit/options.js';
import { fitReport } from '../packages/cli/src/fit/report.js';
import type { FitResults } from '../packages/cli/src/fit/results.js';

const FORMULA = 'y ~ 1 + x + (1 + x || g)';

/** The data of `groups` groups, 5 to 15 rows each: group labels, a 0/1 predictor, and y from group intercepts and slopes. */
function makeData(groups: number): { y: Float64Array; x: Float64Array; g: string[] } {
  const u = uniforms(4242);
  const g: string[] = [];
  const x: number[] = [];
  const y: number[] = [];
  for (let k = 0; k < groups; k++) {
    const a = 1.4 + 0.35 * (u() + u() + u() - 1.5);
    const b = -0.7 + 0.2 * (u() + u() + u() - 1.5);
    const rows = 5 + Math.floor(u() * 11);
    for (let i = 0; i < rows; i++) {
      const xi = u() < 0.3 ? 1 : 0;
      g.push(`g${k}`);
      x.push(xi);
      y.push(a + b * xi + 0.7 * (u() + u() + u() + u() - 2));
    }
  }
  return { y: Float64Array.from(y), x: Float64Array.from(x), g };
}

/** Wall time of `f` in s (3 decimals) and its result. */
async function timed<T>(f: () => T | Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const r = await f();
  return [+((performance.now() - t0) / 1000).toFixed(3), r];
}

/** The chains' own compute (warm-up + sampling, summed over chains) from sample()'s attrs, in s. */
function chainSeconds(idata: InferenceData): number {
  const timings = (idata.attrs.timings ?? []) as { warmup_s: number; sampling_s: number }[];
  return timings.reduce((s, t) => s + t.warmup_s + t.sampling_s, 0);
}

/** One size, in this (child) process: prints the JSON line. */
async function child(groups: number, iterations: number): Promise<void> {
  const d = makeData(groups);
  const out: Record<string, number | string> = { bench: 'many', groups, rows: d.y.length };
  const [buildS, fm] = await timed(() => formulaModel(FORMULA, d));
  const [compileS, cm] = await timed(() => fm.model.compile());
  out.params = cm.dim;
  out.build_s = buildS;
  out.compile_s = compileS;
  const gradNs = nsPerGradient(cm, { warmUpEvals: Infinity, warmUpMs: 1000, blockMs: 50 });
  out.grad_ns_per_param = +(gradNs / cm.dim).toFixed(2);
  const cpu0 = process.cpuUsage();
  const [sampleS, sampled] = await timed(() => sample(cm, { chains: 2, draws: iterations, tune: iterations, seed: 1, progress: false }));
  const cpu = process.cpuUsage(cpu0);
  const gradEvals = Number(sampled.attrs.grad_evals);
  const leapfrogNs = (chainSeconds(sampled) * 1e9) / gradEvals;
  const afterChainsS = sampleS - Number(sampled.attrs.sampling_time);
  out.sample_s = sampleS;
  out.sample_after_chains_s = +afterChainsS.toFixed(3);
  out.grad_evals = gradEvals;
  out.leapfrog_ns_per_param = +(leapfrogNs / cm.dim).toFixed(2);
  // The same from CPU time (every thread of the process), less the main thread's work after the
  // chains (about its wall time): on a loaded machine the chains' wall clocks count time they
  // waited for a core, their CPU time does not.
  const chainsCpuS = (cpu.user + cpu.system) / 1e6 - afterChainsS;
  out.leapfrog_cpu_ns_per_param = +((chainsCpuS * 1e9) / gradEvals / cm.dim).toFixed(2);
  out.nuts_overhead_ns_per_param = +((leapfrogNs - gradNs) / cm.dim).toFixed(2);
  const seed = Number(sampled.attrs.seed);
  const [logLikS, withLogLik] = await timed(() => computeLogLikelihood(fm.model, sampled));
  const [ppcS, idata] = await timed(() => samplePosteriorPredictive(fm.model, withLogLik, { seed }));
  const [summaryS, rows] = await timed(() => summary(idata, { varNames: fm.parameters, useCoords: true }));
  const [warningsS, warnings] = await timed(() => samplingWarnings(sampled, NUTS_SETTINGS));
  const [looS, looResult] = await timed(() => loo(idata, { varName: fm.response }));
  Object.assign(out, { loglik_s: logLikS, ppc_s: ppcS, summary_s: summaryS, warnings_s: warningsS, loo_s: looS });
  // One string of JSON must stay below V8's limit (2^29 characters): the sampled groups only, as
  // `nutmeg fit` refuses runs whose idata.json would not fit (LIMITS.jsonNumbers).
  const [jsonS, jsonChars] = await timed(() => toArvizJson(sampled).length);
  const [csvS, csvChars] = await timed(() => Array.from({ length: sampled.nChains }, (_, c) => toStanCsv(sampled, c).length).reduce((a, b) => a + b, 0));
  const [summaryFilesS] = await timed(() => summaryToJson(rows).length + summaryToCsv(rows).length);
  Object.assign(out, { arviz_json_s: jsonS, arviz_json_mb: +(jsonChars / 2 ** 20).toFixed(1), stan_csv_s: csvS, stan_csv_mb: +(csvChars / 2 ** 20).toFixed(1), summary_files_s: summaryFilesS });
  const results: FitResults = { idata, rows, warnings, loo: looResult };
  const [figuresS, figures] = await timed(() => renderFigures(fm, results));
  const options: FitOptions = { prior: [], chains: 2, draws: iterations, tune: iterations, out: '', json: false, printPriors: false, categorical: [], dropMissing: false, resume: false };
  const [reportS, html] = await timed(() => fitReport({ fm, results, figures, options, dataFile: 'bench.csv', seed }));
  out.figures_s = figuresS;
  out.report_s = reportS;
  out.report_mb = +(html.length / 2 ** 20).toFixed(2);
  out.report_table_rows = (html.match(/<tr>/g) ?? []).length;
  out.peak_rss_mb = Math.round(process.resourceUsage().maxRSS / 1024);
  const perParam = (s: number): number => +((s * 1e6) / cm.dim).toFixed(2);
  for (const k of ['build_s', 'compile_s', 'sample_after_chains_s', 'summary_s', 'warnings_s', 'arviz_json_s', 'stan_csv_s', 'figures_s', 'report_s']) {
    out[k.replace(/_s$/, '_us_per_param')] = perParam(out[k] as number);
  }
  console.log(JSON.stringify(out));
}

export async function run(): Promise<void> {
  const sizes = (process.env.NUTMEG_MANY_GROUPS ?? '100,1000,10000').split(',').map(Number);
  const iterations = Number(process.env.NUTMEG_MANY_DRAWS ?? 200);
  const lines: Record<string, number>[] = [];
  for (const groups of sizes) {
    const r = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--many-child', String(groups), String(iterations)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 1 << 26,
    });
    const line = r.stdout.trim().split('\n').find((l) => l.startsWith('{'));
    if (!line) {
      console.error(`many bench: the run with ${groups} groups failed (exit ${r.status})`);
      continue;
    }
    console.log(line);
    lines.push(JSON.parse(line) as Record<string, number>);
  }
  if (lines.length < 2) return;
  // Per-parameter cost of the largest size over the next one: ~1 for a linear stage.
  const [a, b] = lines.slice(-2);
  const ratios: Record<string, number | string> = { bench: 'many_ratios', of: `${b.groups} vs ${a.groups} groups, per parameter` };
  for (const k of Object.keys(b)) {
    if (!/_per_param$|^loglik_s$|^ppc_s$|^loo_s$|^summary_files_s$/.test(k)) continue;
    const scale = /_per_param$/.test(k) ? 1 : b.params / a.params;
    ratios[k.replace(/_per_param$/, '')] = +(b[k] / a[k] / scale).toFixed(2);
  }
  console.log(JSON.stringify(ratios));
}

if (process.argv[2] === '--many-child') await child(Number(process.argv[3]), Number(process.argv[4]));
