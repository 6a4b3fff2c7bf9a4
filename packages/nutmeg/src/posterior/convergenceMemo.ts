// The convergence diagnostics (R̂, bulk and tail ESS) sampling's warnings computed for each posterior element, kept so that summary() of the same draws reuses them instead of computing them again.
import type { ConvergenceDiagnostics } from '../diagnostics/convergence.js';

/*
 * sample() checks every posterior element's R̂ and ESS for its warnings; summary() of the result
 * (the radon report, `nutmeg fit`'s summary table) needs the same three numbers again, and they
 * are most of a summary's cost (the rank normalisation and three ESS). The warnings' values are
 * kept here, beside the variable's values array (a WeakMap: nothing is kept once the draws are
 * gone, nothing is added to the InferenceData the user sees). Each is stored with a 32-bit hash
 * of the element's draws, bit for bit, so that draws changed in place after sampling are never
 * given the diagnostics of the old ones: summary() recomputes when the hash differs.
 */

interface Memo {
  readonly hashes: Int32Array;
  readonly values: (ConvergenceDiagnostics | undefined)[];
}

const memos = new WeakMap<Float64Array, Memo>();

/**
 * A hash of draws, bit for bit (FNV-1a over the 32-bit halves of every double, chain by chain):
 * any change of a value or of the draws' order changes it (but for a 2^-32 chance).
 *
 * @param draws - one Float64Array per chain
 * @returns the hash
 */
export function drawsHash(draws: readonly Float64Array[]): number {
  let h = 0x811c9dc5 | 0;
  for (const chain of draws) {
    const words = new Int32Array(chain.buffer, chain.byteOffset, 2 * chain.length);
    for (let i = 0; i < words.length; i++) h = Math.imul(h ^ words[i], 0x01000193);
  }
  return h;
}

/**
 * Keeps the convergence diagnostics of element `element` of a variable (of `size` elements).
 *
 * @param values - the variable's values array (the key)
 * @param size - its number of elements
 * @param element - the element
 * @param hash - {@link drawsHash} of the element's draws
 * @param d - the diagnostics (copied)
 */
export function rememberConvergence(values: Float64Array, size: number, element: number, hash: number, d: ConvergenceDiagnostics): void {
  let m = memos.get(values);
  if (!m || m.values.length !== size) {
    m = { hashes: new Int32Array(size), values: new Array<ConvergenceDiagnostics | undefined>(size) };
    memos.set(values, m);
  }
  m.hashes[element] = hash;
  m.values[element] = { r_hat: d.r_hat, ess_bulk: d.ess_bulk, ess_tail: d.ess_tail };
}

/**
 * The diagnostics kept for an element, if its draws still hash to what they did.
 *
 * @param values - the variable's values array
 * @param element - the element
 * @param hash - {@link drawsHash} of the element's draws now
 * @returns the diagnostics, or undefined when none are kept or the draws changed
 */
export function recalledConvergence(values: Float64Array, element: number, hash: number): ConvergenceDiagnostics | undefined {
  const m = memos.get(values);
  if (!m || element >= m.values.length || m.hashes[element] !== hash) return undefined;
  return m.values[element];
}
