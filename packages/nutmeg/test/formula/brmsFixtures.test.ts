// The stored brms reference fits (test/fixtures/brms) parse and carry every field the formula tests compare against.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const BRMS_DIR = fileURLToPath(new URL('../fixtures/brms', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** The models make_brms_fixtures.R fits; each must have its JSON. */
const EXPECTED = [
  'sleepstudy_slopes', 'radon_slopes', 'verbagg_bernoulli', 'grouseticks_interaction', 'sleepstudy_uncorrelated',
  'grouseticks_nested', 'cbpp_binomial', 'quine_negbinomial', 'sleepstudy_student', 'trees_gamma', 'trees_lognormal',
  'pdb_kidiq_interaction', 'pdb_radon_variable_intercept', 'pdb_radon_variable_intercept_slope',
];
const STAT_FIELDS = ['mean', 'sd', 'mcse_mean', 'mcse_sd', 'ess_bulk', 'ess_tail', 'rhat', 'q5', 'q95'];

interface PriorRow { prior: string; class: string; coef: string; group: string; source: string }
interface BrmsFixture {
  name: string; formula: string; family: string; link: string; brms_version: string; data_file: string;
  prior_summary: PriorRow[]; stancode: string; parameter_order: string[];
  parameters: Record<string, Record<string, number>>;
  group_levels: Record<string, string[]>; categorical_levels: Record<string, string[]>;
}

const load = (name: string): BrmsFixture =>
  JSON.parse(readFileSync(`${BRMS_DIR}/${name}.json`, 'utf8')) as BrmsFixture;

test('every expected brms fixture exists and no unexpected one', () => {
  const found = readdirSync(BRMS_DIR).filter((f) => f.endsWith('.json') && f !== 'posteriordb_formulas.json');
  assert.deepEqual(found.map((f) => f.replace(/\.json$/, '')).sort(), [...EXPECTED].sort());
});

for (const name of EXPECTED) {
  test(`brms fixture ${name}: complete and converged`, () => {
    const fx = load(name);
    assert.equal(fx.name, name);
    assert.match(fx.formula, /~/);
    assert.ok(fx.family.length > 0 && fx.link.length > 0);
    assert.equal(fx.brms_version, '2.18.0');
    assert.ok(existsSync(`${REPO_ROOT}/${fx.data_file}`), `data file ${fx.data_file}`);
    assert.match(fx.stancode, /model \{/);
    assert.ok(fx.prior_summary.length > 0);
    for (const row of fx.prior_summary) for (const k of ['prior', 'class', 'coef', 'group', 'source']) assert.equal(typeof row[k as keyof PriorRow], 'string');
    assert.deepEqual(Object.keys(fx.parameters), fx.parameter_order);
    assert.ok(fx.parameter_order.some((p) => p.startsWith('b_')));
    for (const [p, s] of Object.entries(fx.parameters)) {
      for (const f of STAT_FIELDS) assert.ok(Number.isFinite(s[f]), `${name} ${p}.${f}`);
      assert.ok(s.rhat < 1.01, `${name} ${p} rhat ${s.rhat}`);
      // 250: the weakest reference (grouseticks_nested's sd_LOCATION) has bulk ESS 285; its MCSE is stored beside it
      assert.ok(s.ess_bulk > 250, `${name} ${p} ess_bulk ${s.ess_bulk}`);
    }
    // every r_ element names a stored level of its grouping factor
    for (const p of fx.parameter_order.filter((q) => q.startsWith('r_'))) {
      const m = /^r_(.+)\[(.+),([^,]+)\]$/.exec(p);
      assert.ok(m, p);
      const levels = fx.group_levels[m[1]];
      assert.ok(levels, `levels of ${m[1]}`);
      assert.ok(levels.map((l) => l.replace(/[ \t\r\n]/g, '.')).includes(m[2]), p);
    }
  });
}

test('posteriordb_formulas.json names a fitted fixture for each formula', () => {
  const pf = JSON.parse(readFileSync(`${BRMS_DIR}/posteriordb_formulas.json`, 'utf8')) as {
    models: { name: string; posteriordb_name: string; formula: string; priors: { class: string; prior: string }[] }[];
  };
  assert.equal(pf.models.length, 3);
  for (const m of pf.models) {
    assert.ok(EXPECTED.includes(m.name), m.name);
    assert.equal(load(m.name).formula, m.formula);
    assert.ok(m.priors.length > 0);
  }
});
