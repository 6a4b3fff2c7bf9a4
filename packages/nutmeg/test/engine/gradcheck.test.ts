// Gradient checks of compiled models against central finite differences: every op, distribution and transform.
//
// Each case builds a small model, compiles it and compares logDensityGrad with central
// differences of logDensity at a few random points (fixed seed) on the unconstrained space. The
// step and tolerance are derived in ./fd.ts: step 1e-6·max(1, |θ_i|), tolerance
// 1e-6·|fd| + 1e-8·(1 + Σ|terms|). Elementwise ops are tested through potentials
// Σ w_i·op(x_i, y_i) with random data weights w (so every element's adjoint differs) at points
// inside the op's domain; distributions with every parameter a free parameter (so the gradient
// flows into the parameters too), as priors and as likelihoods.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Model,
  Rng,
  Flat,
  HalfFlat,
  Normal,
  HalfNormal,
  HalfCauchy,
  Cauchy,
  StudentT,
  Uniform,
  Exponential,
  Gamma,
  InverseGamma,
  Beta,
  LogNormal,
  Laplace,
  Weibull,
  Bernoulli,
  Binomial,
  Poisson,
  NegativeBinomial,
  MvNormal,
  Dirichlet,
  type Tensor,
} from '../../src/index.js';
import {
  exp,
  log,
  log1p,
  expm1,
  sqrt,
  square,
  abs,
  logistic,
  softplus,
  tanh,
  lgamma,
  pow,
  add,
  sub,
  mul,
  div,
  sum,
  dot,
  matvec,
} from '../../src/graph/tensor.js';
import { checkGradient } from './fd.js';
import { randomModel } from './fuzz.js';

const rng = new Rng(20240611);
const POINTS = 3;

/** Random data in [lo, hi) (fixed seed). */
function data(n: number, lo = -1, hi = 1): number[] {
  return Array.from({ length: n }, () => lo + (hi - lo) * rng.uniform());
}

/** Compiles the model and checks its gradient at `POINTS` points drawn by `point`. */
function gradCase(name: string, build: (m: Model) => void, point: (dim: number) => Float64Array = (d) => Float64Array.from(data(d, -1.5, 1.5))): void {
  test(name, () => {
    const m = new Model();
    build(m);
    const cm = m.compile();
    assert.ok(cm.dim > 0, `${name}: no free parameters`);
    for (let k = 0; k < POINTS; k++) checkGradient(cm, point(cm.dim), `${name} (point ${k})`);
  });
}

// ---- elementwise ops -----------------------------------------------------------------------
// Two Flat vectors x, y of length N at points drawn from the op's domain, potential Σ w·op(x, y).
const N = 5;
type Dom = [number, number];
function opCase(name: string, f: (x: Tensor, y: Tensor) => Tensor, dx: Dom = [-1.5, 1.5], dy: Dom = [-1.5, 1.5], signed = false): void {
  const w = data(N, 0.5, 2);
  gradCase(
    `op ${name}`,
    (m) => {
      const x = m.rv('x', Flat(), { shape: [N] });
      const y = m.rv('y', Flat(), { shape: [N] });
      m.potential('p', f(x, y).mul(w));
    },
    () => {
      // Away from 0 when `signed`: |x| in the domain, random sign.
      const x = data(N, dx[0], dx[1]).map((v) => (signed && rng.uniform() < 0.5 ? -v : v));
      return Float64Array.from([...x, ...data(N, dy[0], dy[1])]);
    },
  );
}

opCase('add', (x, y) => x.add(y));
opCase('sub', (x, y) => x.sub(y));
opCase('mul', (x, y) => x.mul(y));
opCase('div', (x, y) => x.div(y), [-1.5, 1.5], [0.5, 2]);
opCase('div by a negative', (x, y) => x.div(y.neg()), [-1.5, 1.5], [0.5, 2]);
opCase('pow with a parameter exponent', (x, y) => x.pow(y), [0.3, 2.5], [-1.5, 2]);
opCase('pow with a constant exponent', (x) => x.pow(2.5), [0.3, 2.5]);
opCase('pow with a constant base', (_x, y) => pow(2, y));
opCase('pow with a data exponent', (x) => pow(x, [1.5, 2, 3, -0.5, 0.7]), [0.3, 2.5]);
opCase('neg', (x) => x.neg());
opCase('exp', (x) => exp(x));
opCase('log', (x) => log(x), [0.2, 3]);
opCase('log1p', (x) => log1p(x), [-0.8, 3]);
opCase('expm1', (x) => expm1(x));
opCase('sqrt', (x) => sqrt(x), [0.2, 3]);
opCase('square', (x) => square(x));
opCase('abs away from 0', (x) => abs(x), [0.3, 2], [-1, 1], true);
opCase('logistic', (x) => logistic(x), [-4, 4]);
opCase('softplus', (x) => softplus(x), [-4, 4]);
opCase('tanh', (x) => tanh(x));
opCase('lgamma', (x) => lgamma(x), [0.2, 6]);
opCase('functional forms add/sub/mul/div', (x, y) => div(mul(add(x, 1), sub(2, y)), add(exp(y), 1)));
opCase('constant on the left: 2 − x, 3 / x', (x, y) => sub(2, x).add(div(3, y)), [-1, 1], [0.5, 2]);
opCase('data operands', (x) => x.mul([1, -2, 3, 0.5, 4]).add([0.1, 0.2, 0.3, 0.4, 0.5]));
opCase('a chain of ops reusing intermediates', (x, y) => {
  const e = exp(x.mul(0.5));
  return e.mul(y).add(log(e.add(square(y)))).sub(tanh(e));
});
opCase('lgamma of softplus of a product', (x, y) => lgamma(softplus(x.mul(y)).add(0.1)));

// ---- gather, broadcasting, kernels ----------------------------------------------------------
const obs8 = data(8, -2, 2);
gradCase('gather (at) with repeated indices into a Normal likelihood', (m) => {
  const a = m.rv('a', Normal({ mu: 0, sigma: 1 }), { shape: [4] });
  const s = m.rv('s', HalfNormal({ sigma: 1 }));
  m.rv('y', Normal({ mu: a.at([0, 2, 2, 1, 3, 0, 2, 2]), sigma: s }), { observed: obs8 });
});
gradCase('gather of an expression, and a gather of a gather', (m) => {
  const a = m.rv('a', Flat(), { shape: [4] });
  const b = m.rv('b', Flat(), { shape: [3] });
  const ea = exp(a.mul(0.3));
  const mu = ea.at([3, 3, 0, 1, 1, 1, 2, 0]).add(b.at([0, 1, 2, 2, 1]).at([4, 4, 0, 1, 2, 3, 3, 0]));
  m.rv('y', Normal({ mu, sigma: 0.7 }), { observed: obs8 });
});
gradCase('gathered slope times data (the radon pattern a[idx] + b[idx]·x)', (m) => {
  const idx = [0, 1, 1, 2, 0, 2, 2, 1];
  const a = m.rv('a', Normal({ mu: 0, sigma: 1 }), { shape: [3] });
  const b = m.rv('b', Normal({ mu: 0, sigma: 1 }), { shape: [3] });
  const eps = m.rv('eps', HalfCauchy({ beta: 1 }));
  const x = m.data('x', data(8));
  m.rv('y', Normal({ mu: a.at(idx).add(b.at(idx).mul(x)), sigma: eps }), { observed: obs8 });
});
gradCase('broadcast: scalar parameter with a vector parameter', (m) => {
  const s = m.rv('s', Flat());
  const v = m.rv('v', Flat(), { shape: [N] });
  m.potential('p', s.mul(v).add(s).sub(square(v.sub(s))).mul(data(N)));
});
gradCase('broadcast: [n, k] parameter with a [k] parameter', (m) => {
  const M = m.rv('M', Flat(), { shape: [3, 4] });
  const v = m.rv('v', Flat(), { shape: [4] });
  const w = m.data('w', [data(4), data(4), data(4)]);
  m.potential('p', tanh(M.mul(v).add(v)).mul(w));
});
gradCase('broadcast: [n, 1] with [k] to [n, k], and [k] data with an [n, k] parameter', (m) => {
  const c = m.rv('c', Flat(), { shape: [3, 1] });
  const v = m.rv('v', Flat(), { shape: [4] });
  const M = m.rv('M', Flat(), { shape: [3, 4] });
  m.potential('p', exp(c.sub(v).mul(0.5)).add(M.mul(data(4))).mul([data(4), data(4), data(4)]));
});
gradCase('broadcast in distribution parameters: mu [k] over observed [n, k]', (m) => {
  const mu = m.rv('mu', Normal({ mu: 0, sigma: 2 }), { shape: [4] });
  const s = m.rv('s', HalfNormal({ sigma: 1 }), { shape: [3, 1] });
  m.rv('y', Normal({ mu, sigma: s }), { observed: [data(4), data(4), data(4)] });
});
gradCase('sum of a vector as a distribution parameter', (m) => {
  const v = m.rv('v', Normal({ mu: 0, sigma: 1 }), { shape: [N] });
  m.rv('y', Normal({ mu: sum(exp(v.mul(0.3))), sigma: 1 }), { observed: data(3, 4, 6) });
  m.potential('q', v.sum().mul(0.5));
});
gradCase('dot with data and dot of two parameters', (m) => {
  const a = m.rv('a', Normal({ mu: 0, sigma: 1 }), { shape: [N] });
  const b = m.rv('b', Normal({ mu: 0, sigma: 1 }), { shape: [N] });
  m.rv('y', Normal({ mu: dot(a, data(N)).add(dot(a, square(b))), sigma: 0.5 }), { observed: [0.3] });
});
gradCase('matvec: data matrix times a parameter vector', (m) => {
  const X = [data(3), data(3), data(3), data(3), data(3), data(3)];
  const beta = m.rv('beta', Normal({ mu: 0, sigma: 1 }), { shape: [3] });
  const s = m.rv('s', HalfNormal({ sigma: 1 }));
  m.rv('y', Normal({ mu: matvec(X, beta), sigma: s }), { observed: data(6) });
});
gradCase('matvec: parameter matrix times a parameter vector, result used twice', (m) => {
  const M = m.rv('M', Normal({ mu: 0, sigma: 1 }), { shape: [4, 3] });
  const v = m.rv('v', Normal({ mu: 0, sigma: 1 }), { shape: [3] });
  const r = matvec(M, v);
  m.rv('y', Normal({ mu: r, sigma: 1 }), { observed: data(4) });
  m.potential('p', tanh(r).mul(data(4)));
});
gradCase('matvec of an expression matrix', (m) => {
  const M = m.rv('M', Flat(), { shape: [2, 3] });
  const v = m.rv('v', Flat(), { shape: [3] });
  m.potential('p', matvec(exp(M.mul(0.5)), v.add(1)).mul([0.7, -1.3]));
});

// ---- layouts the planner treats specially (broadcast gathers, leading 1s, kernels in terms)
gradCase('edge: gather broadcast against a matrix', (m) => {
  const a = m.rv('a', Flat(), { shape: [3] });
  const M = m.rv('M', Flat(), { shape: [2, 4] });
  m.potential('p', tanh(M.add(a.at([0, 2, 2, 1]))).mul([data(4), data(4)]));
});
gradCase('edge: gather broadcast into a likelihood over [2,4]', (m) => {
  const a = m.rv('a', Flat(), { shape: [3] });
  m.rv('y', Normal({ mu: a.at([0, 2, 2, 1]), sigma: 1 }), { observed: [data(4), data(4)] });
});
gradCase('edge: [1,4] with [4]', (m) => {
  const a = m.rv('a', Flat(), { shape: [1, 4] });
  const b = m.rv('b', Flat(), { shape: [4] });
  m.potential('p', exp(a.mul(b)).mul(data(4)));
});
gradCase('edge: [4,1] with [1,3]', (m) => {
  const a = m.rv('a', Flat(), { shape: [4, 1] });
  const b = m.rv('b', Flat(), { shape: [1, 3] });
  m.potential('p', exp(a.mul(b).mul(0.3)).mul([data(3), data(3), data(3), data(3)]));
});
gradCase('edge: [2,3,4] with [3,1]', (m) => {
  const a = m.rv('a', Flat(), { shape: [2, 3, 4] });
  const b = m.rv('b', Flat(), { shape: [3, 1] });
  const w = Array.from({ length: 2 }, () => Array.from({ length: 3 }, () => data(4)));
  const wt = m.data('w', w.flat().flat(), { shape: [2, 3, 4] });
  m.potential('p', tanh(a.sub(b)).mul(wt));
});
gradCase('edge: sum of a matrix and kernel potential', (m) => {
  const a = m.rv('a', Normal({ mu: 0, sigma: 1 }), { shape: [3, 4] });
  m.potential('p', sum(exp(a.mul(0.2))));
  m.potential('q', sum(a).mul(0.3));
});
gradCase('edge: scalar param used at level 0 and vector', (m) => {
  const s = m.rv('s', HalfNormal({ sigma: 1 }));
  const v = m.rv('v', Normal({ mu: s, sigma: s }), { shape: [4] });
  m.rv('y', Normal({ mu: v.mul(s), sigma: s.add(v.sum().mul(0).add(1)) }), { observed: data(4) });
});
gradCase('edge: matvec with 2D data node and vector data', (m) => {
  const X = m.data('X', [data(3), data(3), data(3), data(3)]);
  const b = m.rv('b', Normal({ mu: 0, sigma: 1 }), { shape: [3] });
  const r = matvec(X, b);
  m.rv('y', Normal({ mu: r.at([0, 0, 3]), sigma: 1 }), { observed: data(3) });
  m.potential('q', dot(r, r).mul(-0.1));
});
gradCase('edge: deterministic identity and from data', (m) => {
  const a = m.rv('a', Normal({ mu: 0, sigma: 1 }), { shape: [2] });
  m.deterministic('a2', a);
  m.deterministic('c', m.data('z', [1, 2]).mul(2));
});
gradCase('edge: Uniform(0, b) vector bounds and scalar value', (m) => {
  const b = m.rv('b', HalfNormal({ sigma: 1 }), { shape: [3] });
  const u = m.rv('u', Uniform({ lower: 0, upper: b }));
  m.potential('p', square(u).mul([1, 2, 3]));
});
gradCase('edge: sigma data [3,1] broadcast', (m) => {
  const mu = m.rv('mu', Normal({ mu: 0, sigma: 1 }), { shape: [4] });
  m.rv('y', Normal({ mu, sigma: [[1], [2], [0.5]] }), { observed: [data(4), data(4), data(4)] });
});
gradCase('edge: log of sum of exps of gathered', (m) => {
  const a = m.rv('a', Normal({ mu: 0, sigma: 1 }), { shape: [3] });
  const g = a.at([1, 1, 2]);
  m.potential('p', log(sum(exp(g))).add(g.mul(g)));
  m.potential('p2', g);
});

// ---- deterministics and potentials -----------------------------------------------------------
gradCase('deterministic used downstream (non-centered alpha = mu + sigma·offset)', (m) => {
  const mu = m.rv('mu', Normal({ mu: 0, sigma: 1 }));
  const sigma = m.rv('sigma', HalfCauchy({ beta: 1 }));
  const off = m.rv('off', Normal({ mu: 0, sigma: 1 }), { shape: [3] });
  const alpha = m.deterministic('alpha', mu.add(sigma.mul(off)));
  const eps = m.rv('eps', HalfNormal({ sigma: 1 }));
  m.rv('y', Normal({ mu: alpha.at([0, 1, 2, 2, 1, 0, 0, 1]), sigma: eps }), { observed: obs8 });
  m.deterministic('alpha_sq', square(alpha));
});
gradCase('potentials: scalar and vector, on parameters and deterministics', (m) => {
  const a = m.rv('a', Normal({ mu: 0, sigma: 1 }), { shape: [3] });
  const d = m.deterministic('d', exp(a).sum());
  m.potential('p1', log(d).neg());
  m.potential('p2', a.mul([1, 2, 3]));
});

// ---- distributions as priors, with free parameters ---------------------------------------------
// Parameters: m ~ Normal(0, 1), s, t ~ HalfNormal(1) (log transform); the variable x is a vector.
function priorCase(name: string, dist: (p: { m: Tensor; s: Tensor; t: Tensor }) => Parameters<Model['rv']>[1], shape = [3]): void {
  gradCase(`prior ${name}, parameters free`, (model) => {
    const m = model.rv('m', Normal({ mu: 0, sigma: 1 }));
    const s = model.rv('s', HalfNormal({ sigma: 1 }));
    const t = model.rv('t', HalfNormal({ sigma: 1 }));
    model.rv('x', dist({ m, s, t }), { shape });
  });
}
priorCase('Normal(mu, sigma)', ({ m, s }) => Normal({ mu: m, sigma: s }));
priorCase('Normal(mu, tau)', ({ m, s }) => Normal({ mu: m, tau: s }));
priorCase('HalfNormal(sigma)', ({ s }) => HalfNormal({ sigma: s }));
priorCase('HalfNormal(tau)', ({ s }) => HalfNormal({ tau: s }));
priorCase('HalfCauchy(beta)', ({ s }) => HalfCauchy({ beta: s }));
priorCase('Cauchy(alpha, beta)', ({ m, s }) => Cauchy({ alpha: m, beta: s }));
priorCase('StudentT(nu, mu, sigma)', ({ m, s, t }) => StudentT({ nu: t.add(0.5), mu: m, sigma: s }));
priorCase('StudentT(nu, mu, lam)', ({ m, s, t }) => StudentT({ nu: t.mul(3), mu: m, lam: s }));
priorCase('Uniform(lower, upper) with both bounds parameters', ({ m, s }) => Uniform({ lower: m, upper: m.add(s) }));
priorCase('Exponential(lam)', ({ s }) => Exponential({ lam: s }));
priorCase('Exponential(scale)', ({ s }) => Exponential({ scale: s }));
priorCase('Gamma(alpha, beta)', ({ s, t }) => Gamma({ alpha: s.add(0.5), beta: t }));
priorCase('Gamma(mu, sigma)', ({ s, t }) => Gamma({ mu: s, sigma: t }));
priorCase('InverseGamma(alpha, beta)', ({ s, t }) => InverseGamma({ alpha: s, beta: t }));
priorCase('Beta(alpha, beta)', ({ s, t }) => Beta({ alpha: s.add(0.5), beta: t.add(0.5) }));
priorCase('LogNormal(mu, sigma)', ({ m, s }) => LogNormal({ mu: m, sigma: s }));
priorCase('LogNormal(mu, tau)', ({ m, s }) => LogNormal({ mu: m, tau: s }));
priorCase('Laplace(mu, b)', ({ m, s }) => Laplace({ mu: m, b: s }));
priorCase('Weibull(alpha, beta)', ({ s, t }) => Weibull({ alpha: s.add(0.5), beta: t }));
priorCase('Flat (with a potential)', () => Flat());
priorCase('HalfFlat', () => HalfFlat());
priorCase('Dirichlet(a), a free', ({ s, t, m }) => Dirichlet({ a: add(exp(m.mul([0.2, -0.3, 0.5, 0.1])), s.add(t)) }), [4]);
priorCase('MvNormal(mu, cov), value and mu free', ({ m }) => MvNormal({ mu: m.mul([1, -0.5, 2]), cov: [[2, 0.3, -0.4], [0.3, 1, 0.2], [-0.4, 0.2, 0.5]] }));
priorCase('MvNormal(mu, chol), value and mu free', ({ m, s }) => MvNormal({ mu: m.add(s.mul([0.5, 1, -1])), chol: [[1.2, 0, 0], [0.3, 0.8, 0], [-0.5, 0.2, 0.6]] }));
priorCase('MvNormal(mu, cov) over rows [2, 3]', ({ m }) => MvNormal({ mu: m.mul([1, -0.5, 2]), cov: [[2, 0.3, -0.4], [0.3, 1, 0.2], [-0.4, 0.2, 0.5]] }), [2, 3]);

// ---- distributions as likelihoods, with observed data ------------------------------------------
function likCase(name: string, observed: number[] | number[][], dist: (p: { m: Tensor; s: Tensor; t: Tensor }) => Parameters<Model['rv']>[1]): void {
  gradCase(`likelihood ${name}, parameters free`, (model) => {
    const m = model.rv('m', Normal({ mu: 0, sigma: 1 }));
    const s = model.rv('s', HalfNormal({ sigma: 1 }));
    const t = model.rv('t', HalfNormal({ sigma: 1 }));
    model.rv('y', dist({ m, s, t }), { observed });
  });
}
const real = data(6, -3, 3);
const pos = data(6, 0.1, 4);
const unit = data(6, 0.05, 0.95);
likCase('Normal(mu, sigma)', real, ({ m, s }) => Normal({ mu: m, sigma: s }));
likCase('Normal(mu, tau)', real, ({ m, s }) => Normal({ mu: m, tau: s }));
likCase('HalfNormal(sigma)', pos, ({ s }) => HalfNormal({ sigma: s }));
likCase('HalfNormal(tau)', pos, ({ s }) => HalfNormal({ tau: s }));
likCase('HalfCauchy(beta)', pos, ({ s }) => HalfCauchy({ beta: s }));
likCase('Cauchy(alpha, beta)', real, ({ m, s }) => Cauchy({ alpha: m, beta: s }));
likCase('StudentT(nu, mu, sigma)', real, ({ m, s, t }) => StudentT({ nu: t.add(0.5), mu: m, sigma: s }));
likCase('StudentT(nu, mu, lam)', real, ({ m, s, t }) => StudentT({ nu: t.mul(3), mu: m, lam: s }));
likCase('Uniform(lower, upper) with parameter bounds around the data', real, ({ s, t }) => Uniform({ lower: sub(-3, s), upper: add(3, t) }));
likCase('Exponential(lam)', pos, ({ s }) => Exponential({ lam: s }));
likCase('Exponential(scale)', pos, ({ s }) => Exponential({ scale: s }));
likCase('Gamma(alpha, beta)', pos, ({ s, t }) => Gamma({ alpha: s.add(0.5), beta: t }));
likCase('Gamma(mu, sigma)', pos, ({ s, t }) => Gamma({ mu: s, sigma: t }));
likCase('InverseGamma(alpha, beta)', pos, ({ s, t }) => InverseGamma({ alpha: s, beta: t }));
likCase('Beta(alpha, beta)', unit, ({ s, t }) => Beta({ alpha: s.add(0.5), beta: t.add(0.5) }));
likCase('LogNormal(mu, sigma)', pos, ({ m, s }) => LogNormal({ mu: m, sigma: s }));
likCase('LogNormal(mu, tau)', pos, ({ m, s }) => LogNormal({ mu: m, tau: s }));
likCase('Laplace(mu, b)', real, ({ m, s }) => Laplace({ mu: m, b: s }));
likCase('Weibull(alpha, beta)', pos, ({ s, t }) => Weibull({ alpha: s.add(0.5), beta: t }));
likCase('Bernoulli(p)', [0, 1, 1, 0, 1, 1], ({ m }) => Bernoulli({ p: logistic(m.mul([1, -1, 2, 0.5, 1, -2])) }));
likCase('Bernoulli(logit_p)', [0, 1, 1, 0, 1, 1], ({ m, s }) => Bernoulli({ logit_p: m.add(s.mul([1, -1, 2, 0.5, 1, -2])) }));
likCase('Binomial(n, p)', [0, 3, 7, 10, 2, 5], ({ m }) => Binomial({ n: 10, p: logistic(m.mul([1, -1, 2, 0.5, 1, -2])) }));
likCase('Binomial(n, logit_p) with n data', [0, 3, 7, 10, 2, 5], ({ m, s }) => Binomial({ n: [3, 5, 8, 10, 2, 6], logit_p: m.add(s) }));
likCase('Poisson(mu)', [0, 3, 7, 1, 2, 5], ({ s, t }) => Poisson({ mu: s.add(t.mul([1, 2, 3, 4, 5, 6])) }));
likCase('NegativeBinomial(mu, alpha)', [0, 3, 7, 1, 2, 5], ({ s, t }) => NegativeBinomial({ mu: s.mul(3), alpha: t }));
likCase('MvNormal(mu, cov) over rows', [data(3), data(3), data(3)], ({ m }) => MvNormal({ mu: m.mul([1, -0.5, 2]), cov: [[2, 0.3, -0.4], [0.3, 1, 0.2], [-0.4, 0.2, 0.5]] }));
likCase('MvNormal(mu, chol) over rows', [data(3), data(3)], ({ m, s }) => MvNormal({ mu: m.add(s.mul([0.5, 1, -1])), chol: [[1.2, 0, 0], [0.3, 0.8, 0], [-0.5, 0.2, 0.6]] }));
likCase('Dirichlet(a) observed', [0.2, 0.5, 0.3], ({ s, t }) => Dirichlet({ a: s.add(t.mul([0.5, 1, 2])) }));

// ---- transforms -------------------------------------------------------------------------------
gradCase('transform log (HalfNormal, and an explicit { transform: "log" })', (m) => {
  const a = m.rv('a', HalfNormal({ sigma: 2 }), { shape: [3] });
  const b = m.rv('b', Gamma({ alpha: 2, beta: 1 }), { transform: 'log' });
  m.rv('y', Normal({ mu: a.sum(), sigma: b }), { observed: [1.5] });
});
gradCase('transform logit with constant bounds (Uniform(-2, 3), Beta)', (m) => {
  const u = m.rv('u', Uniform({ lower: -2, upper: 3 }), { shape: [3] });
  const p = m.rv('p', Beta({ alpha: 2, beta: 3 }));
  m.rv('y', Normal({ mu: u.mul(p), sigma: 1 }), { observed: [0.5, -0.3, 1] });
});
gradCase('transform logit with data bounds (per-element arrays)', (m) => {
  const u = m.rv('u', Uniform({ lower: [-2, 0, 1], upper: [0, 5, 1.5] }));
  m.potential('p', u.mul([1, -2, 3]));
});
gradCase('transform logit with a bound that is a parameter: Uniform(0, b)', (m) => {
  const b = m.rv('b', HalfNormal({ sigma: 3 }));
  const u = m.rv('u', Uniform({ lower: 0, upper: b }), { shape: [3] });
  m.rv('y', Normal({ mu: u, sigma: 0.5 }), { observed: [0.2, 0.4, 0.1] });
});
gradCase('transform logit with both bounds parameters, used downstream', (m) => {
  const lo = m.rv('lo', Normal({ mu: 0, sigma: 1 }));
  const w = m.rv('w', Exponential({ lam: 1 }));
  const u = m.rv('u', Uniform({ lower: lo, upper: lo.add(w) }));
  m.potential('p', square(u));
});
gradCase('transform simplex via Dirichlet (K = 2, 4), used downstream', (m) => {
  const p2 = m.rv('p2', Dirichlet({ a: [1.5, 2] }));
  const p4 = m.rv('p4', Dirichlet({ a: [1, 2, 0.5, 3] }));
  m.potential('q', log(p4).mul([1, 2, 3, 4]).add(dot(p4, [0.5, -1, 2, 0.1])));
  m.rv('y', Binomial({ n: 10, p: p2.at([0]) }), { observed: [4] });
});
gradCase('transform override: identity on a Normal, logit on a Beta', (m) => {
  const a = m.rv('a', Normal({ mu: 0, sigma: 1 }), { transform: 'identity', shape: [2] });
  const p = m.rv('p', Beta({ alpha: 2, beta: 2 }), { transform: 'logit' });
  m.potential('q', a.mul(p));
});

// ---- kernel outputs feeding each other and terms (regression) ----------------------------------------
gradCase('kernels on a node that a term also uses: sum and dot of v·2 next to Normal(v·2, 1)', (m) => {
  // Kernel locals named a<k> once shadowed the adjoint buffer of node k: the gradient was dropped
  // silently (or the generated code threw "Cannot access 'a3' before initialization").
  const v = m.rv('v', Flat(), { shape: [2] });
  const w = v.mul(2);
  m.potential('p0', sum(w));
  m.rv('y', Normal({ mu: w, sigma: 1 }), { observed: [0.1, -0.5] });
  m.potential('p1', dot(w, v).mul(0.1));
});

// ---- random graphs ---------------------------------------------------------------------------------
test('random model graphs (100 fixed seeds): mixed shapes, gathers, kernels, priors with expression parameters', () => {
  // See ./fuzz.ts; 3000 seeds passed when this was written, 100 keep the suite fast.
  const r = new Rng(99);
  for (let seed = 0; seed < 100; seed++) {
    const cm = randomModel(seed).compile();
    for (let k = 0; k < 2; k++) checkGradient(cm, Float64Array.from({ length: cm.dim }, () => 2 * r.uniform() - 1), `random model ${seed}`);
  }
});

test('random model graphs (300 fixed seeds): the log density equals the sum of its per-variable terms', () => {
  // The per-variable program runs every forward stage in its own loop; the log density and
  // gradient programs fuse some into term loops (and share backward loops): same value either way.
  const r = new Rng(7);
  let compared = 0;
  for (let seed = 0; seed < 300; seed++) {
    const cm = randomModel(seed).compile();
    const x = Float64Array.from({ length: cm.dim }, () => 2 * r.uniform() - 1);
    const lp = cm.logDensity!(x);
    const lpGrad = cm.logDensityGrad(x, new Float64Array(cm.dim));
    const terms = Object.values(cm.logDensityByVariable(x));
    const sumTerms = terms.reduce((a, b) => a + b, 0);
    if (!Number.isFinite(lp)) {
      assert.equal(lpGrad, lp, `random model ${seed}`);
      continue;
    }
    const scale = 1 + terms.reduce((a, b) => a + Math.abs(b), 0);
    assert.ok(Math.abs(lp - sumTerms) <= 1e-12 * scale, `random model ${seed}: ${lp} vs Σ terms ${sumTerms}`);
    assert.ok(Math.abs(lpGrad - lp) <= 1e-12 * scale, `random model ${seed}: ${lpGrad} vs ${lp}`);
    compared++;
  }
  assert.ok(compared > 200, `only ${compared} finite cases`);
});

// ---- the checker itself -----------------------------------------------------------------------
test('the gradient check detects a gradient that is off by 1e-5 relative or misses a coordinate', () => {
  const m = new Model();
  const a = m.rv('a', Normal({ mu: 0, sigma: 1 }), { shape: [2] });
  m.potential('p', exp(a).mul([0.5, 2]));
  const cm = m.compile();
  const theta = Float64Array.of(0.3, -0.7);
  checkGradient(cm, theta, 'the correct gradient');
  const scaled = { ...cm, logDensityGrad: (x: Float64Array, g: Float64Array) => { const f = cm.logDensityGrad(x, g); g[1] *= 1 + 1e-5; return f; } };
  assert.throws(() => checkGradient(scaled, theta, 'scaled'), /theta\[1\]/);
  const missing = { ...cm, logDensityGrad: (x: Float64Array, g: Float64Array) => { const f = cm.logDensityGrad(x, g); g[0] = 0; return f; } };
  assert.throws(() => checkGradient(missing, theta, 'missing'), /theta\[0\]/);
});
