// A small InferenceData for I/O and summary tests: scalar, vector with coords, matrix, sample stats, observed data.
import { Rng } from '../../src/core/rng.js';
import type { InferenceData, VariableArray } from '../../src/posterior/inferenceData.js';

function sampled(rng: Rng, nChains: number, nDraws: number, shape: number[], dims: string[], f: (z: number, e: number) => number): VariableArray {
  const k = shape.reduce((a, b) => a * b, 1);
  const values = new Float64Array(nChains * nDraws * k);
  for (let i = 0; i < values.length; i++) values[i] = f(rng.normal(), i % k);
  return { dims, shape, values };
}

/** Results with posterior mu, alpha[3] (dim county with coords), L[2,2]; sample_stats; observed_data y. */
export function makeIdata(nChains = 3, nDraws = 50, seed = 5): InferenceData {
  const rng = new Rng(seed);
  const n = nChains * nDraws;
  const stat = (f: (i: number) => number): VariableArray => ({ dims: [], shape: [], values: Float64Array.from({ length: n }, (_, i) => f(i)) });
  return {
    nChains,
    nDraws,
    groups: {
      posterior: {
        vars: {
          mu: sampled(rng, nChains, nDraws, [], [], (z) => 1 + z),
          alpha: sampled(rng, nChains, nDraws, [3], ['county'], (z, e) => e * 10 + z),
          L: sampled(rng, nChains, nDraws, [2, 2], ['L_dim_0', 'L_dim_1'], (z, e) => e + 0.1 * z),
        },
        attrs: { created_at: '2024-01-01' },
      },
      sample_stats: {
        vars: {
          lp: stat((i) => -10 - (i % 7)),
          acceptance_rate: stat((i) => 0.5 + ((i * 37) % 50) / 100),
          step_size: stat(() => 0.25),
          tree_depth: stat((i) => 1 + (i % 4)),
          n_steps: stat((i) => 2 ** (1 + (i % 4)) - 1),
          diverging: stat((i) => (i % 17 === 3 ? 1 : 0)),
          energy: stat((i) => 12 + Math.sin(i)),
        },
        attrs: {},
      },
      observed_data: {
        vars: { y: { dims: ['obs'], shape: [4], values: Float64Array.of(1.5, -2, 0, 3.25) } },
        attrs: {},
      },
    },
    coords: { county: ['AITKIN', 'ANOKA', 'BECKER'], obs: [0, 1, 2, 3] },
    attrs: { seed: 42, tune: 100, nutmeg_version: '0.1.0' },
  };
}
