// Every case of the shared reference vectors (R posterior 1.4.0; HDI per ArviZ) to 1e-6 relative.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  essBasic,
  essBulk,
  essMean,
  essSd,
  essTail,
  hdi,
  mcseMean,
  mcseQuantile,
  mcseSd,
  medianSorted,
  quantileSorted,
  rhat,
  rhatBasic,
} from '../../src/diagnostics/index.js';
import { mean, variance } from '../../src/diagnostics/draws.js';

interface Case {
  name: string;
  draws: number[][];
  expected: Record<string, number>;
}

const file = new URL('../fixtures/testvectors/diagnostics.json', import.meta.url);
const cases = (JSON.parse(readFileSync(file, 'utf8')) as { cases: Case[] }).cases;

const flat = (x: number[][]): number[] => x.flat();
const sorted = (x: number[][]): Float64Array => Float64Array.from(flat(x)).sort();

/** Each statistic the vectors hold, computed by nutmeg. */
const compute: Record<string, (x: number[][]) => number> = {
  mean: (x) => mean(flat(x)),
  sd: (x) => Math.sqrt(variance(flat(x))),
  median: (x) => medianSorted(sorted(x)),
  q5: (x) => quantileSorted(sorted(x), 0.05),
  q95: (x) => quantileSorted(sorted(x), 0.95),
  rhat,
  rhat_basic: (x) => rhatBasic(x),
  ess_bulk: essBulk,
  ess_tail: essTail,
  ess_basic: (x) => essBasic(x),
  ess_mean: essMean,
  ess_sd: essSd,
  mcse_mean: mcseMean,
  mcse_sd: mcseSd,
  mcse_q5: (x) => mcseQuantile(x, 0.05),
  mcse_q95: (x) => mcseQuantile(x, 0.95),
  'hdi_3%': (x) => hdi(x, 0.94)[0],
  'hdi_97%': (x) => hdi(x, 0.94)[1],
};

const RTOL = 1e-6;

test('the reference vectors cover every statistic nutmeg reports', () => {
  assert.ok(cases.length >= 10);
  for (const c of cases) {
    for (const k of Object.keys(c.expected)) assert.ok(k in compute, `no implementation for '${k}' (case ${c.name})`);
  }
});

for (const c of cases) {
  test(`reference case ${c.name}`, () => {
    for (const [stat, want] of Object.entries(c.expected)) {
      const got = compute[stat](c.draws);
      // A reference 0 (e.g. an MCSE of a tied quantile) must come out exactly 0.
      const err = want === 0 ? Math.abs(got) : Math.abs(got - want) / Math.abs(want);
      assert.ok(err <= RTOL, `${c.name} ${stat}: got ${got}, expected ${want} (relative error ${err.toExponential(2)})`);
    }
  });
}
