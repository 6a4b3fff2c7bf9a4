// Simulation-based calibration (Talts et al. 2018) of NUTS on two small hierarchical models: ranks uniform by chi-square.
//
// Quick by default (50 replications, 5 rank bins); `npm run test:sbc` (NUTMEG_SBC_FULL=1) runs 200
// replications with 11 bins. Each replication draws parameters from the prior, data from the
// likelihood, samples the posterior with NUTS and records the rank of the true value among L
// thinned posterior draws; if the sampler is calibrated the ranks are uniform on {0, …, L}.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.js';
import { Model } from '../../src/model/index.js';
import { HalfNormal, LKJCholeskyCorr, Normal } from '../../src/distributions/index.js';
import { formulaModel } from '../../src/formula/index.js';
import { samplePriorPredictive } from '../../src/predictive/index.js';
import { sample } from '../../src/workflow/sample.js';
import { elementDraws } from '../../src/posterior/inferenceData.js';

const FULL = process.env.NUTMEG_SBC_FULL === '1';
const REPS = FULL ? 200 : 50;
const BINS = FULL ? 11 : 5;
/** Posterior draws kept per replication (L), after thinning by THIN; L + 1 is a multiple of BINS. */
const L = FULL ? 109 : 49;
const THIN = 4;

/** P(χ²_df > x) for even df (closed form). */
function chiSquareSurvivalEvenDf(x: number, df: number): number {
  let term = 1;
  let sum = 1;
  for (let i = 1; i < df / 2; i++) {
    term *= x / 2 / i;
    sum += term;
  }
  return Math.exp(-x / 2) * sum;
}

interface SbcModel {
  name: string;
  /** Draws parameters from the prior and data given them; returns truths by name[index] and a model. */
  simulate(rng: Rng): { truth: Record<string, number[]>; model: Model };
}

const J = 4;
const SIGMA_OBS = [1, 0.8, 1.2, 1.5];

/** Non-centred hierarchical normal (eight-schools-like): mu ~ N(0,1), tau ~ HN(1), theta = mu + tau·z, y_j ~ N(theta_j, σ_j). */
const schools: SbcModel = {
  name: 'hierarchical normal (non-centred)',
  simulate(rng) {
    const mu = rng.normal();
    const tau = Math.abs(rng.normal());
    const z = Array.from({ length: J }, () => rng.normal());
    const y = z.map((zj, j) => mu + tau * zj + SIGMA_OBS[j] * rng.normal());
    const m = new Model();
    const muV = m.rv('mu', Normal({ mu: 0, sigma: 1 }));
    const tauV = m.rv('tau', HalfNormal({ sigma: 1 }));
    const zV = m.rv('z', Normal({ mu: 0, sigma: 1 }), { shape: [J] });
    const theta = m.deterministic('theta', muV.add(tauV.mul(zV)), { shape: [J] });
    m.rv('y', Normal({ mu: theta, sigma: SIGMA_OBS }), { observed: y });
    return { truth: { mu: [mu], tau: [tau], theta: z.map((zj) => mu + tau * zj) }, model: m };
  },
};

/** Grouped data with unknown noise: mu ~ N(0,1), tau ~ HN(1), sigma ~ HN(1), alpha = mu + tau·z, y_ij ~ N(alpha_j, sigma), 3 groups × 4. */
const groups: SbcModel = {
  name: 'varying intercepts with unknown noise',
  simulate(rng) {
    const G = 3;
    const n = 4;
    const mu = rng.normal();
    const tau = Math.abs(rng.normal());
    const sigma = Math.abs(rng.normal());
    const z = Array.from({ length: G }, () => rng.normal());
    const group: number[] = [];
    const y: number[] = [];
    for (let g = 0; g < G; g++) {
      for (let i = 0; i < n; i++) {
        group.push(g);
        y.push(mu + tau * z[g] + sigma * rng.normal());
      }
    }
    const m = new Model();
    const muV = m.rv('mu', Normal({ mu: 0, sigma: 1 }));
    const tauV = m.rv('tau', HalfNormal({ sigma: 1 }));
    const sigmaV = m.rv('sigma', HalfNormal({ sigma: 1 }));
    const zV = m.rv('z', Normal({ mu: 0, sigma: 1 }), { shape: [G] });
    const alpha = m.deterministic('alpha', muV.add(tauV.mul(zV)), { shape: [G] });
    m.rv('y', Normal({ mu: alpha.at(group), sigma: sigmaV }), { observed: y });
    return { truth: { mu: [mu], tau: [tau], sigma: [sigma], alpha: z.map((zg) => mu + tau * zg) }, model: m };
  },
};

/**
 * Correlated varying intercepts and slopes as a brms formula (LKJ(2) on their correlation through
 * a Cholesky factor, non-centred effects): truths and data come from the library's own prior
 * predictive draw of the formula model, then the model is fitted to those data.
 */
const correlated: SbcModel = {
  name: 'correlated group effects (formula, LKJ Cholesky)',
  simulate(rng) {
    const x = Array.from({ length: 20 }, (_, i) => (i % 4) - 1.5);
    const g = Array.from({ length: 20 }, (_, i) => `g${Math.floor(i / 4)}`);
    const formula = 'y ~ x + (1 + x | g)';
    const prior = { Intercept: Normal({ mu: 0, sigma: 1 }), b: Normal({ mu: 0, sigma: 1 }), sd: HalfNormal({ sigma: 1 }), cor: LKJCholeskyCorr({ eta: 2, n: 2 }), sigma: HalfNormal({ sigma: 1 }) };
    const generator = formulaModel(formula, { y: new Array(20).fill(0), x, g }, { prior });
    const drawn = samplePriorPredictive(generator.model, { draws: 1, seed: Math.floor(rng.uniform() * 2 ** 32) });
    const y = Array.from(drawn.groups.prior_predictive!.vars.y.values);
    const truth: Record<string, number[]> = {};
    for (const name of ['b_Intercept', 'b_x', 'sd_g__Intercept', 'sd_g__x', 'cor_g__Intercept__x', 'sigma']) truth[name] = Array.from(drawn.groups.prior!.vars[name].values);
    return { truth, model: formulaModel(formula, { y, x, g }, { prior }).model };
  },
};

for (const sbc of [schools, groups, correlated]) {
  test(`SBC: ${sbc.name} — ${REPS} replications, ranks uniform (χ² p > 0.001)`, async () => {
    const rng = new Rng(20180421).split(sbc.name.length);
    const ranks: Record<string, number[]> = {};
    for (let r = 0; r < REPS; r++) {
      const { truth, model } = sbc.simulate(rng);
      const idata = await sample(model.compile(), {
        seed: 1000 + r,
        chains: 1,
        tune: 300,
        draws: L * THIN,
        targetAccept: 0.9,
        progress: false,
        cores: 1,
      });
      for (const [name, values] of Object.entries(truth)) {
        values.forEach((t, k) => {
          const draws = elementDraws(idata.groups.posterior!.vars[name], 1, idata.nDraws, k)[0];
          let rank = 0;
          for (let i = THIN - 1; i < draws.length; i += THIN) if (draws[i] < t) rank++;
          (ranks[`${name}[${k}]`] ??= []).push(rank);
        });
      }
    }
    const expected = REPS / BINS;
    const perBin = (L + 1) / BINS;
    const failures: string[] = [];
    for (const [name, rs] of Object.entries(ranks)) {
      const counts = new Array<number>(BINS).fill(0);
      for (const rk of rs) counts[Math.floor(rk / perBin)]++;
      const chi2 = counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
      const p = chiSquareSurvivalEvenDf(chi2, BINS - 1);
      if (!(p > 0.001)) failures.push(`${name}: χ² ${chi2.toFixed(1)}, p ${p.toExponential(2)}, bins ${counts.join(' ')}`);
    }
    assert.deepEqual(failures, []);
  });
}
