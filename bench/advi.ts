// ADVI benchmark on the hierarchical radon model: iterations, wall time, ELBO, convergence; optionally a table against NUTS.
import { fit, type AdviMethod, sample, type InferenceData } from 'nutmeg';
import { loadRadon } from '../packages/cli/src/radon/data.js';
import { hierarchicalCentered, hierarchicalNonCentered } from '../packages/cli/src/radon/models.js';

function moments(idata: InferenceData, name: string): { mean: Float64Array; sd: Float64Array } {
  const v = idata.groups.posterior!.vars[name];
  const n = idata.nChains * idata.nDraws;
  const k = v.values.length / n;
  const mean = new Float64Array(k);
  const sd = new Float64Array(k);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) mean[j] += v.values[i * k + j] / n;
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) sd[j] += (v.values[i * k + j] - mean[j]) ** 2 / (n - 1);
  return { mean, sd: sd.map(Math.sqrt) };
}

/**
 * Fits the centred hierarchical radon model (the second tutorial's flat priors, and the first
 * tutorial's) by mean-field and full-rank ADVI with n = 100,000 (the tutorial's budget; the
 * convergence check stops far earlier) and prints one JSON line per fit:
 * {"model","method","iterations","wall_s","elbo","converged"}. `wall_s` includes compilation-free
 * fitting only: the step-size search, the optimisation, the constrained summaries and k-hat.
 * Env: BENCH_SEED (default 1), BENCH_METHODS (advi,fullrank_advi), BENCH_COMPARE=1 for a Markdown
 * table of ADVI against NUTS (4 × 1000 draws on the non-centred model).
 */
export async function run(): Promise<void> {
  const seed = Number(process.env.BENCH_SEED ?? 1);
  const methods = (process.env.BENCH_METHODS ?? 'advi,fullrank_advi').split(',') as AdviMethod[];
  const data = loadRadon();
  const models = { radon_hierarchical_centered_flat: 'flat', radon_hierarchical_centered_tutorial: 'tutorial' } as const;
  // Warm the JIT once, as a user's second fit would be (not reported).
  fit(hierarchicalCentered(data, 'flat').compile(), { seed: seed + 1000, n: 2000, psisDraws: 0 });
  const fits: Record<string, ReturnType<typeof fit>> = {};
  for (const [name, priors] of Object.entries(models)) {
    const compiled = hierarchicalCentered(data, priors).compile();
    for (const method of methods) {
      const t0 = performance.now();
      const approx = fit(compiled, { method, n: 100000, seed });
      const wall = (performance.now() - t0) / 1000;
      fits[`${name}/${method}`] = approx;
      console.log(
        JSON.stringify({
          model: name,
          method,
          iterations: approx.iterations,
          wall_s: Number(wall.toFixed(3)),
          elbo: Number(approx.elbo.toFixed(2)),
          converged: approx.converged,
        }),
      );
    }
  }
  if (process.env.BENCH_COMPARE !== '1') return;
  const nuts = await sample(hierarchicalNonCentered(data, 'flat').compile(), { chains: 4, draws: 1000, tune: 1000, seed, progress: false });
  const mf = fits['radon_hierarchical_centered_flat/advi'];
  const fr = fits['radon_hierarchical_centered_flat/fullrank_advi'];
  const cols = (a: ReturnType<typeof fit> | undefined, name: string, j: number) => (a ? `${a.means[name][j].toFixed(3)} | ${a.sds[name][j].toFixed(3)}` : '– | –');
  console.log('\n| quantity | NUTS mean | NUTS sd | ADVI mean | ADVI sd | full-rank mean | full-rank sd |');
  console.log('|---|---|---|---|---|---|---|');
  for (const [name, j] of [['mu_alpha', 0], ['mu_beta', 0], ['sigma_alpha', 0], ['sigma_beta', 0], ['eps', 0], ['alpha', 0], ['alpha', 18], ['beta', 0]] as const) {
    const r = moments(nuts, name);
    const label = name === 'alpha' || name === 'beta' ? `${name}[${j}]` : name;
    console.log(`| ${label} | ${r.mean[j].toFixed(3)} | ${r.sd[j].toFixed(3)} | ${cols(mf, name, j)} | ${cols(fr, name, j)} |`);
  }
  for (const [label, a] of [['advi', mf], ['fullrank_advi', fr]] as const) {
    if (!a) continue;
    const ra = moments(nuts, 'alpha');
    const rb = moments(nuts, 'beta');
    let err = 0, sa = 0, sb = 0;
    for (let c = 0; c < ra.mean.length; c++) {
      err += Math.abs(a.means.alpha[c] - ra.mean[c]) / ra.mean.length;
      sa += a.sds.alpha[c] / ra.sd[c] / ra.mean.length;
      sb += a.sds.beta[c] / rb.sd[c] / rb.mean.length;
    }
    console.log(`\n${label}: mean |alpha − NUTS| ${err.toFixed(3)}; mean sd ratio to NUTS: alpha ${sa.toFixed(2)}, beta ${sb.toFixed(2)}; k-hat ${a.paretoK.k.toFixed(2)}; ${a.message}`);
  }
}
