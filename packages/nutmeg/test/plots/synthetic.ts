// Synthetic data resembling the radon case study (85 counties, floor, log_radon, fake posterior draws) for plot tests.
import { Rng } from '../../src/core/rng.js';

/** A radon-like data set with the true county intercepts and slopes. */
export interface SyntheticRadon {
  counties: string[];
  county: Int32Array;
  floor: Float64Array;
  logRadon: Float64Array;
  a: Float64Array;
  b: Float64Array;
  n: Int32Array;
}

/** 85 county names: the three the case study plots, then made-up ones (one long). */
export function countyNames(): string[] {
  const names = ['CASS', 'CROW WING', 'FREEBORN', 'YELLOW MEDICINE', 'LAC QUI PARLE'];
  for (let i = names.length; i < 85; i++) names.push(`COUNTY ${String(i).padStart(2, '0')}`);
  return names;
}

/** Simulates 919 homes in 85 counties from a varying-intercept, varying-slope model. */
export function syntheticRadon(seed = 1): SyntheticRadon {
  const rng = new Rng(seed);
  const counties = countyNames();
  const J = counties.length;
  const a = new Float64Array(J);
  const b = new Float64Array(J);
  const n = new Int32Array(J);
  let total = 0;
  for (let j = 0; j < J; j++) {
    a[j] = 1.45 + 0.33 * rng.normal();
    b[j] = -0.65 + 0.25 * rng.normal();
    n[j] = 1 + Math.floor(Math.exp(1.5 + rng.normal()));
    total += n[j];
  }
  // scale counts to 919 homes in all
  const county: number[] = [];
  for (let j = 0; j < J; j++) {
    const k = Math.max(1, Math.round((n[j] * 919) / total));
    n[j] = k;
    for (let i = 0; i < k; i++) county.push(j);
  }
  const N = county.length;
  const floor = new Float64Array(N);
  const logRadon = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    const j = county[i];
    floor[i] = rng.uniform() < 0.17 ? 1 : 0;
    logRadon[i] = a[j] + b[j] * floor[i] + 0.72 * rng.normal();
  }
  return { counties, county: Int32Array.from(county), floor, logRadon, a, b, n };
}

/** Fake MCMC draws: `chains` AR(1) chains (autocorrelation `rho`) around `mean` with sd `sd`. */
export function fakeDraws(rng: Rng, mean: number, sd: number, chains = 4, draws = 500, rho = 0.5): Float64Array[] {
  const out: Float64Array[] = [];
  for (let c = 0; c < chains; c++) {
    const x = new Float64Array(draws);
    let z = rng.normal();
    for (let d = 0; d < draws; d++) {
      z = rho * z + Math.sqrt(1 - rho * rho) * rng.normal();
      x[d] = mean + sd * z;
    }
    out.push(x);
  }
  return out;
}

/** Pools chains into one array. */
export function pool(chains: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(chains.reduce((s, c) => s + c.length, 0));
  let k = 0;
  for (const c of chains) {
    out.set(c, k);
    k += c.length;
  }
  return out;
}
