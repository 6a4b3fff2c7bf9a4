// Log densities against SciPy (test/fixtures/testvectors/logpdf.json): logp() and the compiled model's generated code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nm from '../../src/index.js';
import { Model, ModelError, logp } from '../../src/index.js';
import { CASES, FACTORY, MULTIVARIATE, label, wanted, type LogpdfCase as Case } from './logpdfCases.js';

/** |got − want| ≤ max(1e-12, 1e-10·|want|); infinities must match exactly. */
function close(got: number, want: number, what: string): void {
  if (!Number.isFinite(want)) {
    assert.equal(got, want, `${what}: got ${got}, want ${want}`);
    return;
  }
  const tol = Math.max(1e-12, 1e-10 * Math.abs(want));
  assert.ok(Math.abs(got - want) <= tol, `${what}: got ${got}, want ${want} (diff ${got - want}, tol ${tol})`);
}

test('the SciPy file covers every family the engine exports', () => {
  const families = new Set(CASES.map((c) => c.dist));
  for (const f of families) assert.equal(typeof FACTORY[f], 'function', `no factory for ${f}`);
  assert.ok(CASES.length >= 200, `only ${CASES.length} cases`);
  assert.ok(CASES.some((c) => c.logp === '-inf'), 'the file has out-of-support cases');
});

test('logp(Dist(params), x) agrees with SciPy for every case (1e-10 relative, 1e-12 absolute; -Infinity outside the support)', () => {
  for (const c of CASES) close(logp(FACTORY[c.dist](c.params), c.x), wanted(c), label(c));
});

test('a compiled model observing x has log density logp(Dist(params), x): the generated code matches', () => {
  let compiled = 0;
  for (const c of CASES) {
    const want = wanted(c);
    const dist = FACTORY[c.dist](c.params);
    const m = new Model();
    if (!Number.isFinite(want)) {
      // Outside the support: observed data there is a build-time error naming the variable.
      assert.throws(
        () => {
          m.rv('x', dist, { observed: c.x });
          m.compile();
        },
        (e: unknown) => e instanceof ModelError && e.variable === 'x' && /'x'/.test(e.message),
        label(c),
      );
      continue;
    }
    m.rv('x', dist, { observed: c.x });
    const cm = m.compile();
    assert.equal(cm.dim, 0);
    const empty = new Float64Array(0);
    close(cm.logDensity!(empty), want, `compiled ${label(c)}`);
    close(cm.logDensityGrad(empty, empty), want, `compiled (grad program) ${label(c)}`);
    compiled++;
  }
  assert.ok(compiled > 200);
});

test('elementwise families, all cases of one parameter set as one vector observation: the fused loop sums them', () => {
  // Group the in-support cases by family and parameters, observe the xs together (parameters as
  // scalars broadcast over the vector), and compare with the sum of SciPy's values.
  const groups = new Map<string, Case[]>();
  for (const c of CASES) {
    if (MULTIVARIATE.has(c.dist) || !Number.isFinite(wanted(c))) continue;
    const key = `${c.dist}|${JSON.stringify(c.params)}`;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  let multi = 0;
  for (const cases of groups.values()) {
    const m = new Model();
    const xs = cases.map((c) => c.x as number);
    m.rv('x', FACTORY[cases[0].dist](cases[0].params), { observed: xs });
    const want = cases.reduce((s, c) => s + wanted(c), 0);
    const got = m.compile().logDensity!(new Float64Array(0));
    const tol = Math.max(1e-12, 1e-10 * cases.reduce((s, c) => s + Math.abs(wanted(c)), 0));
    assert.ok(Math.abs(got - want) <= tol, `${cases[0].dist}(${JSON.stringify(cases[0].params)}) over ${xs}: got ${got}, want ${want}`);
    if (cases.length > 1) multi++;
  }
  assert.ok(multi > 20);
});

test('elementwise families with parameters given per element (data arrays) match case by case', () => {
  // One model per family: every in-support case of the family is one element, with each
  // parameter an array of the per-case values.
  const byFamily = new Map<string, Case[]>();
  for (const c of CASES) {
    if (MULTIVARIATE.has(c.dist) || !Number.isFinite(wanted(c))) continue;
    const key = `${c.dist}|${Object.keys(c.params).sort().join(',')}`;
    byFamily.set(key, [...(byFamily.get(key) ?? []), c]);
  }
  for (const cases of byFamily.values()) {
    const params: Record<string, number[]> = {};
    for (const k of Object.keys(cases[0].params)) params[k] = cases.map((c) => c.params[k] as number);
    const xs = cases.map((c) => c.x as number);
    const m = new Model();
    m.rv('x', FACTORY[cases[0].dist](params), { observed: xs });
    const want = cases.reduce((s, c) => s + wanted(c), 0);
    const got = m.compile().logDensity!(new Float64Array(0));
    const tol = Math.max(1e-12, 1e-10 * cases.reduce((s, c) => s + Math.abs(wanted(c)), 0));
    assert.ok(Math.abs(got - want) <= tol, `${cases[0].dist} with array parameters: got ${got}, want ${want}`);
    // logp() with array parameters broadcasts the same way.
    close(logp(FACTORY[cases[0].dist](params), xs), want, `logp(${cases[0].dist}) with array parameters`);
  }
});

test('elementwise families as priors: the free-parameter density plus its log-Jacobian matches logp', () => {
  // A free variable x with the family as prior, evaluated at the SciPy point through the
  // transform: logDensity(unconstrain(x)) = logp(x) + log|J|(y).
  for (const c of CASES) {
    const want = wanted(c);
    if (MULTIVARIATE.has(c.dist) || !Number.isFinite(want)) continue;
    const dist = FACTORY[c.dist](c.params);
    if (dist.family.discrete) continue;
    const x = c.x as number;
    const m = new Model();
    m.rv('x', dist);
    const cm = m.compile();
    const info = cm.variables[0];
    const th = cm.unconstrain({ x });
    if (!Number.isFinite(th[0])) continue; // on the boundary of the support (e.g. Beta at 0)
    const y = th[0];
    let logJac = 0;
    if (info.transform === 'log') logJac = y;
    else if (info.transform === 'logit') {
      const lo = (c.params.lower as number | undefined) ?? 0;
      const hi = (c.params.upper as number | undefined) ?? 1;
      logJac = Math.log(hi - lo) - nm.special.log1pexp(-y) - nm.special.log1pexp(y);
    } else assert.equal(info.transform, 'identity');
    const got = cm.logDensity!(th);
    const tol = Math.max(1e-12, 1e-9 * (Math.abs(want) + Math.abs(logJac)));
    assert.ok(Math.abs(got - (want + logJac)) <= tol, `prior ${label(c)}: got ${got}, want ${want} + ${logJac}`);
  }
});

test('logp of a Dirichlet off the simplex is -Infinity, as for the elementwise families', () => {
  assert.equal(logp(nm.Dirichlet({ a: [1, 2, 3] }), [0.5, 0.6, 0.1]), -Infinity);
});
