// Test helper: an InferenceData whose posterior draws are exact draws of given distributions (no sampler involved).
import { Rng, type InferenceData, type VariableArray } from '../../src/index.js';

/** A posterior of independent variables, each element drawn by `draw(rng, element)`. */
export function exactPosterior(
  nChains: number,
  nDraws: number,
  vars: Record<string, { shape: number[]; dims?: string[]; draw: (rng: Rng, element: number) => number }>,
  seed = 7,
  coords: InferenceData['coords'] = {},
): InferenceData {
  const rng = new Rng(seed);
  const out: Record<string, VariableArray> = {};
  for (const [name, v] of Object.entries(vars)) {
    const size = v.shape.reduce((a, b) => a * b, 1);
    const values = new Float64Array(nChains * nDraws * size);
    for (let r = 0; r < nChains * nDraws; r++) for (let e = 0; e < size; e++) values[r * size + e] = v.draw(rng, e);
    out[name] = { dims: v.dims ?? v.shape.map((_, k) => `${name}_dim_${k}`), shape: v.shape, values };
  }
  return { nChains, nDraws, groups: { posterior: { vars: out, attrs: {} } }, coords, attrs: {} };
}

/** Mean, variance and the MCSE of each (independent draws) of a column of a row-major [rows × size] array. */
export function momentsOf(values: Float64Array, size: number, element: number): { mean: number; variance: number; mcseMean: number; mcseVariance: number } {
  const n = values.length / size;
  let s = 0;
  for (let r = 0; r < n; r++) s += values[r * size + element];
  const mean = s / n;
  let m2 = 0;
  let m4 = 0;
  for (let r = 0; r < n; r++) {
    const d = values[r * size + element] - mean;
    m2 += d * d;
    m4 += d * d * d * d;
  }
  const variance = m2 / (n - 1);
  return { mean, variance, mcseMean: Math.sqrt(variance / n), mcseVariance: Math.sqrt((m4 / n - (m2 / n) ** 2) / n) };
}
