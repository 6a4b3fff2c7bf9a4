// Warm-up adaptation benchmark: Stan's windowed adaptation vs nutpie's gradient-based one, min bulk ESS per gradient evaluation (warm-up included).
import { sample, essBulk, elementDraws, shapeSize, type InferenceData, type Model } from 'nutmeg';
import { loadRadon } from '../packages/cli/src/radon/data.js';
import { hierarchicalCentered, hierarchicalNonCentered } from '../packages/cli/src/radon/models.js';
import { REFERENCE_MODELS, loadData } from '../packages/nutmeg/test/posteriors/models.js';

/** A warm-up configuration: the adaptation and its tuning draws. */
interface Config {
  readonly label: string;
  readonly adaptation: 'stan' | 'nutpie';
  readonly tune: number;
}

const CONFIGS: Record<string, Config> = {
  'stan-1000': { label: 'stan-1000', adaptation: 'stan', tune: 1000 },
  'stan-300': { label: 'stan-300', adaptation: 'stan', tune: 300 },
  'nutpie-300': { label: 'nutpie-300', adaptation: 'nutpie', tune: 300 },
  'nutpie-150': { label: 'nutpie-150', adaptation: 'nutpie', tune: 150 },
};

/** The smallest bulk ESS over every element of every posterior variable (NaN ones, constants, skipped). */
function minEssBulk(idata: InferenceData): number {
  let min = Infinity;
  for (const v of Object.values(idata.groups.posterior!.vars)) {
    for (let k = 0; k < shapeSize(v.shape); k++) {
      const e = essBulk(elementDraws(v, idata.nChains, idata.nDraws, k));
      if (Number.isFinite(e)) min = Math.min(min, e);
    }
  }
  return min;
}

/** Gradient evaluations of the kept draws (the rest of attrs.grad_evals is warm-up). */
function samplingGradEvals(idata: InferenceData): number {
  const steps = idata.groups.sample_stats!.vars.n_steps.values as Float64Array;
  return steps.reduce((a, b) => a + b, 0);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
}

/** The posteriors: the two radon models of the case study and the posteriordb reference set. */
function posteriors(): Record<string, () => Model> {
  const radon = loadRadon();
  const out: Record<string, () => Model> = {
    radon_hierarchical_centered: () => hierarchicalCentered(radon),
    radon_hierarchical_noncentered: () => hierarchicalNonCentered(radon),
  };
  for (const [name, build] of Object.entries(REFERENCE_MODELS)) out[name] = () => build(loadData(name));
  return out;
}

/**
 * Prints one JSON line per posterior and configuration: medians over seeds of min bulk ESS, total
 * and warm-up gradient evaluations, ESS per 1000 gradients, divergences. Env: BENCH_MODELS (comma
 * list; default all), BENCH_CONFIGS (default stan-1000,nutpie-300,nutpie-150,stan-300),
 * BENCH_SEEDS (default 1,2,3), BENCH_CHAINS (4), BENCH_DRAWS (1000).
 */
export async function run(): Promise<void> {
  const env = (k: string, d: string) => process.env[k] ?? d;
  const all = posteriors();
  const models = env('BENCH_MODELS', Object.keys(all).join(',')).split(',');
  const configs = env('BENCH_CONFIGS', 'stan-1000,nutpie-300,nutpie-150,stan-300').split(',').map((c) => CONFIGS[c]);
  const seeds = env('BENCH_SEEDS', '1,2,3').split(',').map(Number);
  const chains = Number(env('BENCH_CHAINS', '4'));
  const draws = Number(env('BENCH_DRAWS', '1000'));
  // The radon references were run by Stan with adapt_delta 0.95 (test/posteriors/reference.test.ts).
  const targetAcceptOf = (name: string) => (name.startsWith('radon_mn-') ? 0.95 : name.startsWith('eight_schools') ? 0.9 : 0.8);
  for (const name of models) {
    const compiled = all[name]().compile();
    for (const c of configs) {
      const runs: { ess: number; grads: number; warm: number; div: number }[] = [];
      for (const seed of seeds) {
        const idata = await sample(compiled, { chains, draws, tune: c.tune, adaptation: c.adaptation, seed, progress: false, targetAccept: targetAcceptOf(name), computeConvergenceChecks: false });
        const grads = Number(idata.attrs.grad_evals);
        const warm = grads - samplingGradEvals(idata);
        const ess = minEssBulk(idata);
        runs.push({ ess, grads, warm, div: Number(idata.attrs.divergences) });
      }
      const m = (f: (r: { ess: number; grads: number; warm: number; div: number }) => number) => median(runs.map(f));
      console.log(
        JSON.stringify({
          model: name,
          config: c.label,
          seeds: seeds.length,
          min_ess_bulk: Number(m((r) => r.ess).toFixed(1)),
          grad_evals: m((r) => r.grads),
          warmup_grad_evals: m((r) => r.warm),
          ess_per_1000_grads: Number(m((r) => (1000 * r.ess) / r.grads).toFixed(2)),
          ess_per_1000_grads_all: runs.map((r) => Number(((1000 * r.ess) / r.grads).toFixed(2))),
          divergences: runs.map((r) => r.div),
        }),
      );
    }
  }
}
