// formulaModel: brms's names, priors and parameterisation on small tables; prediction for new levels; errors naming the culprit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formulaModel, formatPriorSummary, Normal, HalfNormal, LKJCholeskyCorr, InputError, OptionError, FormulaSyntaxError, predict } from '../../src/index.js';
import { exactPosterior } from '../predictive/exactPosterior.js';
import { mad, median, roundOneDecimal } from '../../src/formula/defaultPriors.js';

const TABLE = {
  y: [1.2, 0.8, 2.1, 1.7, 0.3, 0.9, 1.4, 1.1],
  x: [0, 1, 0, 1, 0, 1, 0, 1],
  g: ['b', 'b', 'a', 'a', 'c', 'c', 'a', 'b'],
};

test('names as brms: b_, sd_<g>__<coef>, cor_<g>__<a>__<b>, sigma, r_<g> with levels and coefficients as coords', () => {
  const fm = formulaModel('y ~ x + (1 + x | g)', TABLE);
  assert.deepEqual(fm.parameters, ['b_Intercept', 'b_x', 'sd_g__Intercept', 'sd_g__x', 'cor_g__Intercept__x', 'sigma', 'r_g']);
  assert.equal(fm.response, 'y');
  assert.deepEqual(fm.model.coords.g, ['a', 'b', 'c']);
  assert.deepEqual(fm.model.coords.g_coef, ['Intercept', 'x']);
  const compiled = fm.model.compile();
  const r = compiled.variables.find((v) => v.name === 'r_g');
  assert.deepEqual(r?.shape, [3, 2]);
  assert.deepEqual(r?.dims, ['g', 'g_coef']);
  // Intercept (centred), b_x, two sds, z_1_1 and z_1_2 [3 each], the Cholesky factor (1 coordinate), sigma.
  assert.equal(compiled.dim, 1 + 1 + 2 + 6 + 1 + 1);
  const uncorrelated = formulaModel('y ~ x + (1 + x || g)', TABLE);
  assert.ok(!uncorrelated.parameters.some((p) => p.startsWith('cor_')));
});

test('b_Intercept = Intercept − Σ means·b, and the linear predictor uses centred columns (brms)', () => {
  const fm = formulaModel('y ~ x', TABLE);
  const compiled = fm.model.compile();
  const theta = compiled.unconstrain({ Intercept: 1.5, b_x: 0.4, sigma: 0.7 });
  const out = compiled.constrain(theta);
  const meanX = TABLE.x.reduce((a, b) => a + b, 0) / TABLE.x.length;
  assert.ok(Math.abs(out.b_Intercept[0] - (1.5 - 0.4 * meanX)) < 1e-12);
  // The likelihood at these values is Normal(y | b_Intercept + b_x·x, sigma).
  let want = 0;
  TABLE.y.forEach((y, i) => {
    const mu = out.b_Intercept[0] + 0.4 * TABLE.x[i];
    want += -0.5 * ((y - mu) / 0.7) ** 2 - Math.log(0.7) - 0.5 * Math.log(2 * Math.PI);
  });
  assert.ok(Math.abs(compiled.logDensityByVariable(theta).y - want) < 1e-10);
});

test("brms's default priors: student_t(3, round(median(y), 1), max(2.5, round(mad(y), 1))) and the half-t scales", () => {
  const y = Array.from({ length: 40 }, (_, i) => 250 + 7.3 * i);
  const fm = formulaModel('y ~ x + (1 | g)', { y, x: y.map((_, i) => i % 2), g: y.map((_, i) => `s${i % 4}`) });
  const scale = Math.max(2.5, roundOneDecimal(mad(y)));
  const rows = Object.fromEntries(fm.priors.map((r) => [`${r.class}:${r.coef}`, r.prior]));
  assert.equal(rows['Intercept:'], `student_t(3, ${roundOneDecimal(median(y))}, ${scale})`);
  assert.equal(rows['b:x'], '(flat)');
  assert.equal(rows['sd:Intercept'], `student_t(3, 0, ${scale})`);
  assert.equal(rows['sigma:'], `student_t(3, 0, ${scale})`);
  assert.match(formatPriorSummary(fm.priors), /prior\s+class\s+coef\s+group\s+source/);
  // R: median(c(1, 3, 2, 10)) = 2.5; mad(c(1, 3, 2, 10)) = 1.4826·median(|x − 2.5|) = 1.4826; round(0.25, 1) = 0.2.
  assert.equal(median([1, 3, 2, 10]), 2.5);
  assert.ok(Math.abs(mad([1, 3, 2, 10]) - 1.4826) < 1e-12);
  assert.equal(roundOneDecimal(0.25), 0.2);
  assert.equal(roundOneDecimal(-0.04), 0);
  const logit = formulaModel('s ~ x + (1 | g)', { s: [0, 1, 1, 0, 1, 0, 1, 1], x: TABLE.x, g: TABLE.g }, { family: 'bernoulli' });
  assert.equal(logit.priors.find((r) => r.class === 'Intercept')?.prior, 'student_t(3, 0, 2.5)');
});

test('user priors by brms class, most specific key first; unknown keys are errors naming them', () => {
  const fm = formulaModel('y ~ x + (1 + x | g)', TABLE, {
    prior: { b: Normal({ mu: 0, sigma: 1 }), sd_g__x: HalfNormal({ sigma: 0.5 }), sd: Normal({ mu: 0, sigma: 2 }), cor: LKJCholeskyCorr({ eta: 2, n: 2 }) },
  });
  const user = fm.priors.filter((r) => r.source === 'user').map((r) => `${r.class}:${r.coef}:${r.prior}`);
  assert.deepEqual(user, ['b:x:normal(0, 1)', 'sd:Intercept:normal(0, 2)', 'sd:x:normal(0, 0.5)', 'cor::lkj(2)']);
  assert.throws(() => formulaModel('y ~ x', TABLE, { prior: { b_z: Normal({ mu: 0, sigma: 1 }) } }), (e: unknown) => e instanceof OptionError && e.option === 'prior.b_z' && /b_x/.test(e.message));
  assert.throws(() => formulaModel('y ~ x + (1 + x | g)', TABLE, { prior: { cor: Normal({ mu: 0, sigma: 1 }) } }), (e: unknown) => e instanceof OptionError && /LKJCholeskyCorr/.test(e.message));
});

test('families check the response and name the row; binomial needs trials', () => {
  const counts = { n: [3, 0, 2, -1], x: [1, 2, 3, 4] };
  assert.throws(() => formulaModel('n ~ x', counts, { family: 'poisson' }), (e: unknown) => e instanceof InputError && /family poisson needs non-negative integer counts.*n is -1 at row 4/.test(e.message));
  assert.throws(() => formulaModel('y ~ x', TABLE, { family: 'bernoulli' }), (e: unknown) => e instanceof InputError && /0 or 1.*row 1/.test(e.message));
  assert.throws(() => formulaModel('n ~ x', { n: [1, 2], x: [0, 1] }, { family: 'binomial' }), (e: unknown) => e instanceof InputError && /trials\(n\)/.test(e.message));
  assert.throws(() => formulaModel('y ~ x', TABLE, { family: 'weibull' as never }), (e: unknown) => e instanceof InputError && /family 'weibull' is not supported/.test(e.message));
  assert.throws(() => formulaModel('y ~ x +', TABLE), (e: unknown) => e instanceof FormulaSyntaxError);
  assert.throws(() => formulaModel('y ~ z', TABLE), (e: unknown) => e instanceof InputError && /z/.test(e.message));
  const binom = formulaModel('k | trials(n) ~ x', { k: [1, 2, 0, 3], n: [3, 3, 2, 4], x: [0, 1, 0, 1] }, { family: 'binomial' });
  assert.deepEqual(binom.parameters, ['b_Intercept', 'b_x']);
});

test('hostile column names and labels stay data: the model builds and the names come through', () => {
  const weird = 'a"b{c}\\d</script>\u2028e';
  const table = { y: [1, 2, 3, 4, 5, 6], [weird]: [0, 1, 0, 1, 0, 1], g: ['</script>', "x'y", '{z}', '</script>', "x'y", '{z}'] };
  // In a backquoted name a backslash is escaped, as in R.
  const fm = formulaModel(`y ~ \`${weird.replace(/\\/g, '\\\\')}\` + (1 | g)`, table);
  assert.ok(fm.parameters.some((p) => p.startsWith('b_') && p.includes('script')), fm.parameters.join(' '));
  assert.deepEqual(fm.model.coords.g, ['</script>', "x'y", '{z}']); // code-point order, as R in the C locale
  assert.ok(Number.isFinite(fm.model.compile().logDensity!(new Float64Array(fm.model.compile().dim))));
});

test('newData + predict: a known level keeps its effect, a new level draws it from N(0, sd)', () => {
  const fm = formulaModel('y ~ x + (1 | g)', TABLE);
  const idata = exactPosterior(2, 2000, {
    Intercept: { shape: [], draw: () => 1 },
    b_x: { shape: [], draw: () => 0.5 },
    sd_g__Intercept: { shape: [], draw: () => 2 },
    z_1_1: { shape: [3], draw: (_rng, e) => [0.1, -0.2, 0.3][e] },
    sigma: { shape: [], draw: () => 1e-6 },
  }, 3, fm.model.coords);
  const data = fm.newData({ x: [1, 0], g: ['c', 'new'] });
  assert.deepEqual(data.J_1, ['c', 'new']);
  const pred = predict(fm.model, idata, { data, allowNewLevels: true, seed: 4 });
  const y = pred.groups.predictions!.vars.y.values;
  const meanX = TABLE.x.reduce((a, b) => a + b, 0) / TABLE.x.length;
  const b0 = 1 - 0.5 * meanX;
  // Known level c: y = b_Intercept + b_x + sd·z_c (sigma ≈ 0), identical in every draw.
  for (let r = 0; r < 4000; r++) assert.ok(Math.abs(y[2 * r] - (b0 + 0.5 + 2 * 0.3)) < 1e-4);
  // New level: b_Intercept + sd·N(0, 1): mean b0, sd 2 (4000 draws: MCSE of the sd ≈ 0.022).
  const vals = Array.from({ length: 4000 }, (_, r) => y[2 * r + 1]);
  const m = vals.reduce((a, b) => a + b, 0) / vals.length;
  const sd = Math.sqrt(vals.reduce((a, b) => a + (b - m) ** 2, 0) / (vals.length - 1));
  assert.ok(Math.abs(m - b0) < 4.5 * (2 / Math.sqrt(4000)), `mean ${m}`);
  assert.ok(Math.abs(sd - 2) < 4.5 * 0.0224, `sd ${sd}`);
});

test("brms's 0 + Intercept: an uncentred coefficient b_Intercept of class b", () => {
  const fm = formulaModel('y ~ 0 + Intercept + x', TABLE, { prior: { b: Normal({ mu: 0, sigma: 10 }) } });
  assert.deepEqual(fm.parameters, ['b_Intercept', 'b_x', 'sigma']);
  assert.ok(!fm.priors.some((r) => r.class === 'Intercept'));
  assert.equal(fm.priors.filter((r) => r.class === 'b' && r.source === 'user').length, 2);
});
