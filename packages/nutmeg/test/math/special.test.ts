// Tests for src/math/special.ts: mpmath reference values, identities, and SciPy log densities built from them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as S from '../../src/math/special.js';

const EPS = 2.220446049250313e-16;
const here = fileURLToPath(new URL('.', import.meta.url));
type Row = (number | string)[];
const F = JSON.parse(readFileSync(`${here}fixtures/special.json`, 'utf8')) as Record<string, Row[]>;
const LOGPDF = JSON.parse(readFileSync(`${here}../fixtures/testvectors/logpdf.json`, 'utf8')) as {
  cases: { dist: string; params: Record<string, number>; x: number; logp: number | string }[];
};

const num = (v: number | string): number => (v === 'inf' ? Infinity : v === '-inf' ? -Infinity : Number(v));

/** Asserts |got − want| ≤ tol·|want| (tol in units of EPS), exact match for infinities and zero. */
function close(got: number, want: number, epsUnits: number, what: string): void {
  if (got === want) return;
  const err = Math.abs(got - want);
  const bound = epsUnits * EPS * Math.abs(want);
  assert.ok(err <= bound, `${what}: got ${got}, want ${want}, rel err ${(err / Math.abs(want) / EPS).toFixed(1)} eps > ${epsUnits}`);
}

// Tolerances, in EPS units of relative error, measured then doubled-ish (worst seen: lgamma 1.8,
// digamma 2.4, trigamma 3.0, lchoose 2.1, the rest ≤ 1).
const TOL: Record<string, number> = {
  lgamma: 4, digamma: 6, trigamma: 8, lbeta: 4, erf: 2, erfc: 2, log1pexp: 2, log1mexp: 2, logExpit: 2, expit: 2,
  logit: 2, logNormalCdf: 3, normalCdf: 3, dLogNormalCdf: 3, lchoose: 6, lfactorial: 2,
};
const FNS = S as unknown as Record<string, (...a: number[]) => number>;

for (const [name, tol] of Object.entries(TOL)) {
  test(`${name} matches mpmath within ${tol} eps`, () => {
    const rows = F[name];
    assert.ok(rows.length > 0);
    for (const row of rows) {
      const args = row.slice(0, -1).map(num);
      close(FNS[name](...args), num(row[row.length - 1]), tol, `${name}(${args.join(', ')})`);
    }
  });
}

test('logsumexp matches mpmath and handles edge cases', () => {
  for (const [vals, want] of F.logsumexp as unknown as [number[], number][]) {
    close(S.logsumexp(vals), want, 2, `logsumexp(${vals})`);
    close(S.logsumexp(Float64Array.from(vals)), want, 2, 'logsumexp(Float64Array)');
  }
  assert.equal(S.logsumexp([]), -Infinity);
  assert.equal(S.logsumexp([-Infinity, -Infinity]), -Infinity);
  assert.equal(S.logsumexp([0, Infinity]), Infinity);
  assert.ok(Number.isNaN(S.logsumexp([0, NaN, 1])));
  assert.ok(Number.isNaN(S.logsumexp([NaN])));
  // Sub-range.
  close(S.logsumexp([100, 0, 0, 100], 1, 3), Math.LN2, 1, 'range');
  close(S.logAddExp(1000, 1000), 1000 + Math.LN2, 1, 'logAddExp');
  close(S.logAddExp(-3, 2), S.logsumexp([-3, 2]), 1, 'logAddExp vs logsumexp');
  assert.equal(S.logAddExp(-Infinity, -Infinity), -Infinity);
  assert.equal(S.logAddExp(-Infinity, 2), 2);
  assert.equal(S.logAddExp(Infinity, 2), Infinity);
  close(S.logDiffExp(0, -1), Math.log(1 - Math.exp(-1)), 1, 'logDiffExp');
  assert.equal(S.logDiffExp(3, -Infinity), 3);
  assert.equal(S.logDiffExp(3, 3), -Infinity);
  const p = S.softmax([0, Math.log(3)], new Float64Array(2));
  close(p[0], 0.25, 1, 'softmax0');
  close(p[1], 0.75, 1, 'softmax1');
});

test('edge values: poles, infinities, domain errors', () => {
  assert.equal(S.lgamma(0), Infinity);
  assert.equal(S.lgamma(-3), Infinity);
  assert.equal(S.lgamma(Infinity), Infinity);
  assert.equal(S.lgamma(1), 0);
  assert.equal(S.lgamma(2), 0);
  assert.ok(Number.isNaN(S.lgamma(NaN)));
  assert.equal(S.trigamma(0), Infinity);
  assert.equal(S.trigamma(-2), Infinity);
  assert.ok(Number.isNaN(S.trigamma(NaN)));
  assert.equal(S.log1pexp(-Infinity), 0);
  assert.equal(S.log1pexp(Infinity), Infinity);
  assert.equal(S.log1mexp(0), -Infinity);
  assert.ok(S.log1mexp(-Infinity) === 0); // ±0
  assert.ok(Number.isNaN(S.log1mexp(1)));
  assert.equal(S.expit(-Infinity), 0);
  assert.equal(S.expit(Infinity), 1);
  assert.equal(S.expit(-800), 0);
  assert.equal(S.logExpit(-800), -800);
  assert.equal(S.logit(0), -Infinity);
  assert.equal(S.logit(1), Infinity);
  assert.ok(Number.isNaN(S.logit(1.5)));
  assert.equal(S.lchoose(5, 6), -Infinity);
  assert.equal(S.lchoose(5, -1), -Infinity);
  assert.equal(S.lchoose(7, 0), 0);
  assert.equal(S.lchoose(7, 7), 0);
  assert.ok(Number.isNaN(S.lfactorial(-1)));
  assert.equal(S.normalCdf(-Infinity), 0);
  assert.equal(S.normalCdf(Infinity), 1);
  assert.equal(S.logNormalCdf(-Infinity), -Infinity);
  assert.ok(S.logNormalCdf(Infinity) === 0); // ±0
});

test('identities: recurrences of lgamma, digamma, trigamma; reflection', () => {
  for (let i = 0; i < 400; i++) {
    // Dyadic points, so that x + 1 is exact and the identity is tested, not the rounding of x + 1.
    const x = (3 + 9 * i) / 64;
    // lgamma(x + 1) = lgamma(x) + log x: both sides are sums of rounded terms, so the bound is
    // a few eps of the largest term.
    const l = S.lgamma(x), lx = Math.log(x);
    const scale = Math.abs(l) + Math.abs(lx) + Math.abs(S.lgamma(x + 1));
    assert.ok(Math.abs(S.lgamma(x + 1) - (l + lx)) <= 8 * EPS * scale, `lgamma recurrence at ${x}`);
    const d = S.digamma(x);
    const dScale = Math.abs(d) + 1 / x + Math.abs(S.digamma(x + 1));
    assert.ok(Math.abs(S.digamma(x + 1) - (d + 1 / x)) <= 8 * EPS * dScale, `digamma recurrence at ${x}`);
    const t = S.trigamma(x);
    const tScale = t + 1 / (x * x);
    assert.ok(Math.abs(S.trigamma(x + 1) - (t - 1 / (x * x))) <= 16 * EPS * tScale, `trigamma recurrence at ${x}`);
  }
  // Reflection: ψ(1 − x) − ψ(x) = π·cot(πx); lgamma(x) + lgamma(1 − x) = log(π / |sin πx|).
  for (const x of [-3.3, -1.5, -0.25, 0.1, 0.3, 0.7]) {
    const lhs = S.digamma(1 - x) - S.digamma(x);
    const rhs = Math.PI / Math.tan(Math.PI * x);
    assert.ok(Math.abs(lhs - rhs) <= 16 * EPS * (Math.abs(S.digamma(1 - x)) + Math.abs(S.digamma(x))), `digamma reflection ${x}`);
    const l2 = S.lgamma(x) + S.lgamma(1 - x);
    const r2 = Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x)));
    assert.ok(Math.abs(l2 - r2) <= 16 * EPS * (Math.abs(S.lgamma(x)) + Math.abs(S.lgamma(1 - x)) + 1), `lgamma reflection ${x}`);
  }
});

test('derivatives: digamma and trigamma agree with finite differences', () => {
  // Five-point central difference: truncation error h⁴·|f⁽⁵⁾|/30, rounding ≈ 1.5·ε·|f|/h.
  const h = 1e-3;
  for (const x of [0.3, 0.8, 1.5, 2.7, 6.1, 15, 120, 3000]) {
    const fd = (f: (v: number) => number): number =>
      (f(x - 2 * h) - 8 * f(x - h) + 8 * f(x + h) - f(x + 2 * h)) / (12 * h);
    // |ψ⁽⁴⁾(x)| ≤ 24/x⁵ + 6/x⁴ bounds the truncation term for digamma (f = lgamma, f⁽⁵⁾ = ψ⁽⁴⁾), and
    // |ψ⁽⁵⁾(x)| ≤ 120/x⁶ + 24/x⁵ for trigamma; both are evaluated at the left end x − 2h.
    const y = x - 2 * h;
    const trunc1 = (h ** 4 / 30) * (24 / y ** 5 + 6 / y ** 4);
    const round1 = (4 * EPS * (Math.abs(S.lgamma(x)) + 1)) / h;
    assert.ok(Math.abs(fd(S.lgamma) - S.digamma(x)) <= 2 * (trunc1 + round1), `digamma vs FD at ${x}`);
    const trunc2 = (h ** 4 / 30) * (120 / y ** 6 + 24 / y ** 5);
    const round2 = (4 * EPS * (Math.abs(S.digamma(x)) + 1)) / h;
    assert.ok(Math.abs(fd(S.digamma) - S.trigamma(x)) <= 2 * (trunc2 + round2), `trigamma vs FD at ${x}`);
  }
  // dLogNormalCdf vs finite difference of logNormalCdf.
  for (const x of [-30, -5, -1, 0, 0.7, 3]) {
    const f = S.logNormalCdf;
    const fd = (f(x - 2 * h) - 8 * f(x - h) + 8 * f(x + h) - f(x + 2 * h)) / (12 * h);
    const want = S.dLogNormalCdf(x);
    assert.ok(Math.abs(fd - want) <= 1e-9 * (Math.abs(want) + 1e-3), `dLogNormalCdf vs FD at ${x}`);
  }
});

test('SciPy log densities rebuilt from lgamma / lbeta / lchoose / lfactorial agree', () => {
  const { lgamma, lbeta, lchoose, lfactorial } = S;
  const logp: Record<string, (p: Record<string, number>, x: number) => number> = {
    Gamma: ({ alpha, beta }, x) => alpha * Math.log(beta) - lgamma(alpha) + (alpha - 1) * Math.log(x) - beta * x,
    InverseGamma: ({ alpha, beta }, x) => alpha * Math.log(beta) - lgamma(alpha) - (alpha + 1) * Math.log(x) - beta / x,
    Beta: ({ alpha, beta }, x) => (alpha - 1) * Math.log(x) + (beta - 1) * Math.log1p(-x) - lbeta(alpha, beta),
    StudentT: ({ nu, mu, sigma }, x) => {
      const z = (x - mu) / sigma;
      return lgamma((nu + 1) / 2) - lgamma(nu / 2) - 0.5 * Math.log(nu * Math.PI) - Math.log(sigma) - ((nu + 1) / 2) * Math.log1p((z * z) / nu);
    },
    Poisson: ({ mu }, x) => x * Math.log(mu) - mu - lfactorial(x),
    Binomial: ({ n, p }, x) => lchoose(n, x) + x * Math.log(p) + (n - x) * Math.log1p(-p),
    // PyMC's (mu, alpha): variance mu + mu²/alpha; C(x + α − 1, x) = 1 / ((x + α)·B(α, x + 1)).
    NegativeBinomial: ({ mu, alpha }, x) =>
      -Math.log(x + alpha) - lbeta(alpha, x + 1) + alpha * Math.log(alpha / (alpha + mu)) + x * Math.log(mu / (alpha + mu)),
  };
  let n = 0;
  for (const c of LOGPDF.cases) {
    const f = logp[c.dist];
    if (!f) continue;
    const want = num(c.logp);
    if (!Number.isFinite(want)) continue;
    const got = f(c.params, c.x);
    // The reference is SciPy's own floating-point evaluation (~1e-15 relative per term), and both
    // sides sum terms up to |T| in size, so the bound is in units of the largest term, not of logp.
    const terms = Math.abs(want) + Math.abs(c.x) + 10 * Math.max(...Object.values(c.params).map((v) => Math.abs(v) + 1));
    assert.ok(Math.abs(got - want) <= 64 * EPS * terms, `${c.dist} ${JSON.stringify(c.params)} x=${c.x}: got ${got}, want ${want}`);
    n++;
  }
  assert.ok(n >= 80, `only ${n} cases exercised`);
});
