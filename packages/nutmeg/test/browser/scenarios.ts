// The runs the browser tests compare with Node: the same code runs in the test process (worker threads) and in Chromium (Web Workers), and reports hashes of its draws.
import {
  Bernoulli, HalfCauchy, Model, Normal, fit, loo, plotForest, renderSvg, sample, samplePosteriorPredictive, summary,
  type CompiledModel, type InferenceData, type SampleOptions,
} from 'nutmeg';
import { hierarchicalNonCentered } from '../../../cli/src/radon/models.js';

/** The radon data as plain arrays (what crosses into the page). */
export interface RadonArrays {
  readonly counties: string[];
  readonly county: number[];
  readonly floor: number[];
  readonly logRadon: number[];
}

/** Eight schools, non-centered (posteriordb's data). */
export function eightSchools(): Model {
  const m = new Model();
  const mu = m.rv('mu', Normal({ mu: 0, sigma: 5 }));
  const tau = m.rv('tau', HalfCauchy({ beta: 5 }));
  const thetaTilde = m.rv('theta_tilde', Normal({ mu: 0, sigma: 1 }), { shape: [8] });
  const theta = m.deterministic('theta', mu.add(tau.mul(thetaTilde)), { shape: [8] });
  m.rv('y', Normal({ mu: theta, sigma: [15, 10, 16, 11, 9, 11, 10, 18] }), { observed: [28, 8, -3, 7, -1, 1, 18, 12] });
  return m;
}

/**
 * A logistic regression on 200 rows made with integer arithmetic only (a linear congruential
 * generator and a threshold), so that Node and the page get the same data without any `Math` call.
 */
export function logisticRegression(): Model {
  const n = 200;
  const x1: number[] = [];
  const x2: number[] = [];
  const y: number[] = [];
  let s = 12345;
  const next = (): number => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  for (let i = 0; i < n; i++) {
    const a = next() * 4 - 2;
    const b = next() * 4 - 2;
    x1.push(a);
    x2.push(b);
    y.push(0.5 + 1.2 * a - 0.8 * b + (next() * 3 - 1.5) > 0 ? 1 : 0);
  }
  const m = new Model();
  const alpha = m.rv('alpha', Normal({ mu: 0, sigma: 2.5 }));
  const beta1 = m.rv('beta1', Normal({ mu: 0, sigma: 2.5 }));
  const beta2 = m.rv('beta2', Normal({ mu: 0, sigma: 2.5 }));
  const eta = alpha.add(beta1.mul(m.data('x1', x1))).add(beta2.mul(m.data('x2', x2)));
  m.rv('y', Bernoulli({ logit_p: eta }), { observed: y });
  return m;
}

/** The radon hierarchical non-centered model of the tutorial (packages/cli/src/radon/models.ts). */
export function radon(d: RadonArrays): Model {
  return hierarchicalNonCentered({
    counties: d.counties,
    county: Int32Array.from(d.county),
    floor: Float64Array.from(d.floor),
    logRadon: Float64Array.from(d.logRadon),
  });
}

/** FNV-1a over the bits of every number, as 8 hex digits. */
export function hashFloats(arrays: readonly Float64Array[]): string {
  let h = 0x811c9dc5;
  for (const a of arrays) {
    const words = new Uint32Array(a.buffer, a.byteOffset, a.length * 2);
    for (let i = 0; i < words.length; i++) {
      h ^= words[i];
      h = Math.imul(h, 0x01000193) >>> 0;
    }
  }
  return h.toString(16).padStart(8, '0');
}

/** A hash of a group's variables (sorted by name). */
export function hashGroup(idata: InferenceData, group: 'posterior' | 'sample_stats' | 'posterior_predictive'): string {
  const vars = idata.groups[group]?.vars ?? {};
  return hashFloats(Object.keys(vars).sort().map((k) => vars[k].values));
}

/** What a sampling run reports for comparison. */
export interface SampleReport {
  readonly posterior: string;
  readonly sampleStats: string;
  readonly gradEvals: number;
  readonly nDraws: number;
  readonly incomplete: boolean;
  readonly progressEvents: number;
  readonly wallSeconds: number;
}

/** The compiled models by name. */
export function buildModel(name: 'eight_schools' | 'logistic' | 'radon', radonData?: RadonArrays): Model {
  if (name === 'eight_schools') return eightSchools();
  if (name === 'logistic') return logisticRegression();
  if (!radonData) throw new Error('radon needs its data');
  return radon(radonData);
}

/** Samples `model` and reports hashes of the draws, the gradient evaluations and the progress events seen. */
export async function sampleReport(model: CompiledModel, options: SampleOptions): Promise<SampleReport> {
  let progressEvents = 0;
  const idata = await sample(model, {
    ...options,
    progress: { update: () => void progressEvents++, finish: () => undefined },
  });
  return {
    posterior: hashGroup(idata, 'posterior'),
    sampleStats: hashGroup(idata, 'sample_stats'),
    gradEvals: idata.attrs.grad_evals as number,
    nDraws: idata.nDraws,
    incomplete: idata.attrs.incomplete === true,
    progressEvents,
    wallSeconds: idata.attrs.sampling_time as number,
  };
}

/** ADVI, summary, LOO, posterior predictive and a rendered plot of eight schools: numbers to compare with Node's. */
export async function workflowReport(): Promise<Record<string, unknown>> {
  const m = eightSchools();
  const model = m.compile();
  const approx = fit(model, { seed: 3, n: 3000 });
  const idata = await sample(model, { chains: 2, tune: 200, draws: 200, seed: 5, logLikelihood: true, progress: false });
  const table = summary(idata);
  const l = loo(idata);
  const ppc = samplePosteriorPredictive(m, idata, { seed: 9 });
  const rows = table.filter((r) => r.variable === 'theta');
  const svg = await renderSvg(plotForest(rows.map((r) => ({ label: r.label, mean: r.stats.mean, lo: r.stats['hdi_3%'], hi: r.stats['hdi_97%'] }))));
  return {
    adviMeans: hashFloats(Object.keys(approx.means).sort().map((k) => Float64Array.from(approx.means[k]))),
    adviMu: approx.means.mu[0],
    summary: table.map((r) => [r.label, r.stats.mean, r.stats.sd, r.stats.ess_bulk, r.stats.r_hat]),
    elpdLoo: l.elpdLoo,
    pLoo: l.pLoo,
    ppc: hashGroup(ppc, 'posterior_predictive'),
    svgHash: hashFloats([Float64Array.from(svg, (c) => c.charCodeAt(0))]),
    svgStart: svg.slice(0, 5),
    svg,
  };
}
