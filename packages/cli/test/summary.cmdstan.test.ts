// `nutmeg summary` on real CmdStan runs (a good run, saved warm-up, thinning) matches R posterior 1.4.0's summarise_draws.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { run } from '../src/summary.js';

const DIR = join(import.meta.dirname, '..', '..', 'nutmeg', 'test', 'fixtures', 'cmdstan');
interface RRow { variable: string; mean: number; sd: number; rhat: number; ess_bulk: number; ess_tail: number; mcse_mean: number; mcse_sd: number }
const reference = JSON.parse(readFileSync(join(DIR, 'posterior-summaries.json'), 'utf8')) as Record<string, { files: string[]; draws: number; summary: RRow[] }>;

/** nutmeg's column for each of R posterior's. */
/** R writes 15 significant digits: 1e-14 relative is that rounding plus summation order. */
const TOL = 1e-14;
const COLUMNS: [keyof RRow, string][] = [['mean', 'mean'], ['sd', 'sd'], ['rhat', 'r_hat'], ['ess_bulk', 'ess_bulk'], ['ess_tail', 'ess_tail'], ['mcse_mean', 'mcse_mean'], ['mcse_sd', 'mcse_sd']];

for (const name of ['bern', 'model1_warmup', 'bern_thin']) {
  test(`${name}: nutmeg summary matches R posterior to 1e-14 (relative)`, async () => {
    const ref = reference[name];
    let out = '';
    let err = '';
    const code = await run([...ref.files.map((f) => join(DIR, f)), '--json', '--no-warnings'], { out: (s) => (out += s), err: (s) => (err += s) });
    assert.equal(code, 0, err);
    const got = JSON.parse(out) as Record<string, Record<string, number>>;
    assert.deepEqual(Object.keys(got), ref.summary.map((r) => r.variable));
    for (const row of ref.summary) {
      for (const [r, n] of COLUMNS) {
        const want = row[r] as number;
        const have = got[row.variable][n];
        assert.ok(Math.abs(have - want) <= TOL * Math.abs(want), `${name} ${row.variable} ${n}: ${have} vs R ${want}`);
      }
    }
  });
}
