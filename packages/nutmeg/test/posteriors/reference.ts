// Compares a NUTS run with a reference posterior summary: means within 4 combined MCSE, sds within 10%.
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import type { InferenceData } from '../../src/posterior/inferenceData.js';
import { elementDraws } from '../../src/posterior/inferenceData.js';
import { mcseMean, mcseSd } from '../../src/diagnostics/index.js';
import { REFERENCE_DIR } from './models.js';

interface RefParam {
  mean: number;
  sd: number;
  pdb_mcse_mean?: number;
  mcse_mean?: number;
}

/** Reads a posterior's summary.json parameters. */
export function loadSummary(posterior: string): Record<string, RefParam> {
  return (JSON.parse(readFileSync(`${REFERENCE_DIR}/${posterior}/summary.json`, 'utf8')) as { parameters: Record<string, RefParam> }).parameters;
}

/** `beta[3]` (Stan, 1-based) → ['beta', 2]; `sigma` → ['sigma', 0]. */
export function parseName(name: string): [string, number] {
  const m = /^(.*)\[(\d+)\]$/.exec(name);
  return m ? [m[1], Number(m[2]) - 1] : [name, 0];
}

/** One element's comparison. */
export interface Comparison {
  name: string;
  mean: number;
  refMean: number;
  meanTol: number;
  sd: number;
  refSd: number;
  sdTol: number;
  ok: boolean;
}

/**
 * Checks every reference parameter present in `idata`'s posterior: |mean − ref| ≤ 4·sqrt(MCSE² +
 * ref MCSE²) and |sd − ref sd| ≤ 10% of ref sd — or, when our run is too short to resolve 10%
 * (4·MCSE(sd) > 10%), ≤ 4·MCSE(sd), so that the test stays honest rather than lucky.
 *
 * @returns the comparisons (throws an assertion error listing the failures)
 */
export function compareWithReference(posterior: string, idata: InferenceData): Comparison[] {
  const ref = loadSummary(posterior);
  const post = idata.groups.posterior!.vars;
  const out: Comparison[] = [];
  for (const [name, r] of Object.entries(ref)) {
    const [v, k] = parseName(name);
    if (!post[v]) continue;
    const draws = elementDraws(post[v], idata.nChains, idata.nDraws, k);
    let n = 0, s = 0, s2 = 0;
    for (const c of draws) for (const x of c) { n++; s += x; s2 += x * x; }
    const mean = s / n;
    const sd = Math.sqrt(Math.max(0, s2 / n - mean * mean) * (n / (n - 1)));
    const refMcse = r.pdb_mcse_mean ?? r.mcse_mean ?? r.sd / 100;
    const meanTol = 4 * Math.sqrt(mcseMean(draws) ** 2 + refMcse ** 2);
    const sdTol = Math.max(0.1 * r.sd, 4 * mcseSd(draws));
    out.push({ name, mean, refMean: r.mean, meanTol, sd, refSd: r.sd, sdTol, ok: Math.abs(mean - r.mean) <= meanTol && Math.abs(sd - r.sd) <= sdTol });
  }
  assert.ok(out.length > 0, `${posterior}: no reference parameter found in the posterior`);
  const bad = out.filter((c) => !c.ok);
  assert.equal(
    bad.length,
    0,
    `${posterior}: ${bad.map((c) => `${c.name} mean ${c.mean.toPrecision(4)} vs ${c.refMean.toPrecision(4)} (±${c.meanTol.toPrecision(2)}), sd ${c.sd.toPrecision(3)} vs ${c.refSd.toPrecision(3)} (±${c.sdTol.toPrecision(2)})`).join('; ')}`,
  );
  return out;
}
