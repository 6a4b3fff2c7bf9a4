// Energy Bayesian fraction of missing information (E-BFMI) per chain.
import { checkDraws, type Draws, mean } from './draws.js';

/**
 * E-BFMI of each chain: the mean squared change of the Hamiltonian energy between successive
 * draws over the energy's variance, `mean((Eₙ − Eₙ₋₁)²) / var(E)` (population variance, as
 * ArviZ's `bfmi`). Values below 0.3 mean the momentum resampling explores the energy distribution
 * poorly, typically from heavy tails or a badly scaled metric.
 *
 * @param energy - the `energy` sample statistic, `energy[chain][draw]`
 * @returns one value per chain; NaN for a chain with fewer than 2 draws, non-finite or constant energy
 * @throws OptionError when chains have unequal lengths
 * @example
 * ebfmi([[1, 3, 2, 5, 4]]); // Float64Array [1.875]
 *
 * References: Betancourt (2016), Diagnosing suboptimal cotangent disintegrations in Hamiltonian
 * Monte Carlo, arXiv:1604.00695; ArviZ `arviz.bfmi`.
 */
export function ebfmi(energy: Draws): Float64Array {
  const { nChains } = checkDraws(energy, 'ebfmi');
  const out = new Float64Array(nChains);
  for (let c = 0; c < nChains; c++) {
    const e = energy[c];
    const n = e.length;
    let ok = n >= 2;
    for (let i = 0; i < n && ok; i++) if (!Number.isFinite(e[i])) ok = false;
    if (!ok) {
      out[c] = NaN;
      continue;
    }
    let num = 0;
    for (let i = 1; i < n; i++) {
      const d = e[i] - e[i - 1];
      num += d * d;
    }
    num /= n - 1;
    const m = mean(e);
    let den = 0;
    for (let i = 0; i < n; i++) den += (e[i] - m) * (e[i] - m);
    den /= n;
    out[c] = den > 0 ? num / den : NaN;
  }
  return out;
}
