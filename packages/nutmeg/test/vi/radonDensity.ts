// A hand-written log density of the hierarchical radon model (tutorial priors), for ADVI tests before the engine lands.
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import type { LogDensity } from '../../src/core/types.js';

/** The radon data: county index and floor per house, log radon. */
export interface RadonData {
  county: Int32Array;
  floor: Float64Array;
  y: Float64Array;
  nCounties: number;
}

/** The radon CSV the command line ships (packages/cli/data/radon.csv). */
const RADON_CSV = fileURLToPath(new URL('../../../cli/data/radon.csv', import.meta.url));

/** Reads the radon CSV (columns county_code, floor, log_radon). */
export function loadRadon(path = RADON_CSV): RadonData {
  const lines = readFileSync(path, 'utf8').trim().split('\n');
  const head = lines[0].split(',');
  const ic = head.indexOf('county_code');
  const ifl = head.indexOf('floor');
  const iy = head.indexOf('log_radon');
  const n = lines.length - 1;
  const county = new Int32Array(n);
  const floor = new Float64Array(n);
  const y = new Float64Array(n);
  let nc = 0;
  for (let i = 0; i < n; i++) {
    const f = lines[i + 1].split(',');
    county[i] = Number(f[ic]);
    floor[i] = Number(f[ifl]);
    y[i] = Number(f[iy]);
    nc = Math.max(nc, county[i] + 1);
  }
  return { county, floor, y, nCounties: nc };
}

/**
 * Centred hierarchical radon model: mu_alpha, mu_beta ~ N(0, 100); sigma_alpha, sigma_beta, eps ~
 * HalfCauchy(5); alpha[c] ~ N(mu_alpha, sigma_alpha), beta[c] ~ N(mu_beta, sigma_beta);
 * y ~ N(alpha[county] + beta[county]·floor, eps). Unconstrained layout:
 * [mu_alpha, log sigma_alpha, mu_beta, log sigma_beta, alpha (C), beta (C), log eps].
 */
export function radonDensity(data: RadonData): LogDensity {
  const C = data.nCounties;
  const n = data.y.length;
  const dim = 5 + 2 * C;
  const gA = new Float64Array(C);
  const gB = new Float64Array(C);
  const halfCauchy = (logS: number, out: { lp: number; g: number }) => {
    // log HalfCauchy(s | 5) + log|ds/dlogs|, as a function of log s.
    const s = Math.exp(logS);
    const r = s / 5;
    out.lp = -Math.log1p(r * r) + logS;
    out.g = (-2 * r * r) / (1 + r * r) + 1;
  };
  const hc = { lp: 0, g: 0 };
  return {
    dim,
    logDensityGrad(x, g) {
      const muA = x[0], lsA = x[1], muB = x[2], lsB = x[3], lEps = x[4 + 2 * C];
      const sA = Math.exp(lsA), sB = Math.exp(lsB), eps = Math.exp(lEps);
      let lp = 0;
      g.fill(0);
      // Priors on the means.
      lp += -0.5 * (muA / 100) ** 2 - 0.5 * (muB / 100) ** 2;
      g[0] = -muA / 1e4;
      g[2] = -muB / 1e4;
      halfCauchy(lsA, hc); lp += hc.lp; g[1] += hc.g;
      halfCauchy(lsB, hc); lp += hc.lp; g[3] += hc.g;
      halfCauchy(lEps, hc); lp += hc.lp; g[4 + 2 * C] += hc.g;
      // County effects.
      let ssA = 0, ssB = 0;
      for (let c = 0; c < C; c++) {
        const ra = (x[4 + c] - muA) / sA;
        const rb = (x[4 + C + c] - muB) / sB;
        ssA += ra * ra;
        ssB += rb * rb;
        g[4 + c] = -ra / sA;
        g[4 + C + c] = -rb / sB;
        g[0] += ra / sA;
        g[2] += rb / sB;
      }
      lp += -0.5 * ssA - C * lsA - 0.5 * ssB - C * lsB;
      g[1] += ssA - C;
      g[3] += ssB - C;
      // Likelihood.
      gA.fill(0);
      gB.fill(0);
      let ss = 0;
      const inv = 1 / eps;
      for (let i = 0; i < n; i++) {
        const c = data.county[i];
        const r = (data.y[i] - x[4 + c] - x[4 + C + c] * data.floor[i]) * inv;
        ss += r * r;
        gA[c] += r * inv;
        gB[c] += r * inv * data.floor[i];
      }
      lp += -0.5 * ss - n * lEps;
      g[4 + 2 * C] += ss - n;
      for (let c = 0; c < C; c++) {
        g[4 + c] += gA[c];
        g[4 + C + c] += gB[c];
      }
      return lp;
    },
  };
}
