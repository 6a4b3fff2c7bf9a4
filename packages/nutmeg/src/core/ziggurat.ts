// The ziggurat of the standard normal density: the 256 layers Rng.fillNormalZiggurat draws from, computed once with nutmeg's own exp and log.
import { exp, log } from './libm/index.js';

/** Layers of the ziggurat (one byte of a random word picks one). */
export const ZIGGURAT_LAYERS = 256;

/**
 * Right edge of the base layer, where the tail starts: the r of Marsaglia & Tsang's 256-layer
 * normal ziggurat (2000, §3), the value for which the 256 layers of equal area close at x = 0.
 */
export const ZIGGURAT_R = 3.6541528853610088;

/** Area of every layer, v = r·f(r) + ∫_r^∞ f (Marsaglia & Tsang 2000, §3), for f(x) = exp(−x²/2). */
const ZIGGURAT_V = 0.00492867323399;

/** The unnormalised density f(x) = exp(−x²/2) the ziggurat covers. */
export function zigguratDensity(x: number): number {
  return exp(-0.5 * x * x);
}

/**
 * The layers, widest first: layer i spans [0, X[i]) horizontally and [F[i], F[i+1]) vertically, with
 * X[0] = v/f(r) (the base layer, a rectangle of width r plus the tail, as one of area v), X[1] = r,
 * X[i+1] = f⁻¹(v/X[i] + f(X[i])) and X[256] = 0; F[i] = f(X[i]). RATIO[i] = X[i+1]/X[i]: a
 * point u·X[i] with |u| below it lies under f at every height of the layer.
 *
 * Computed with nutmeg's fdlibm exp and log (and IEEE sqrt), so every engine gets the same tables
 * and a seed the same draws.
 */
export const ZIGGURAT = ((): { X: Float64Array; F: Float64Array; RATIO: Float64Array } => {
  const n = ZIGGURAT_LAYERS;
  const X = new Float64Array(n + 1);
  const F = new Float64Array(n + 1);
  X[0] = ZIGGURAT_V / zigguratDensity(ZIGGURAT_R);
  X[1] = ZIGGURAT_R;
  for (let i = 2; i < n; i++) X[i] = Math.sqrt(-2 * log(ZIGGURAT_V / X[i - 1] + zigguratDensity(X[i - 1])));
  X[n] = 0;
  for (let i = 0; i <= n; i++) F[i] = zigguratDensity(X[i]);
  const RATIO = new Float64Array(n);
  for (let i = 0; i < n; i++) RATIO[i] = X[i + 1] / X[i];
  return { X, F, RATIO };
})();
