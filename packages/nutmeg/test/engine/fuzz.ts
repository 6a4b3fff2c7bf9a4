// Random model graphs for the gradient fuzz test: expression DAGs over mixed shapes, gathers, kernels and terms.
import { Model, Rng, Flat, Normal, HalfNormal, Gamma, StudentT, Uniform, Beta, type Tensor } from '../../src/index.js';
import { exp, log1p, tanh, softplus, logistic, square, sqrt, sum, dot, matvec, lgamma, abs, expm1 } from '../../src/graph/tensor.js';

/**
 * Builds a random model from `seed`: a few free parameters of shapes [], [4], [3, 4], then random
 * ops over a growing pool of tensors (domain-safe forms: softplus before log/sqrt/lgamma, tanh
 * before exp), then potentials and a Normal likelihood on some of them.
 */
export function randomModel(seed: number): Model {
  const rng = new Rng(seed, 7);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng.uniform() * xs.length)];
  const m = new Model();
  const pool: Tensor[] = [];
  pool.push(m.rv('s0', Normal({ mu: 0, sigma: 1 })));
  pool.push(m.rv('v0', Flat(), { shape: [4] }));
  if (rng.uniform() < 0.7) pool.push(m.rv('M0', Normal({ mu: 0, sigma: 1 }), { shape: [3, 4] }));
  if (rng.uniform() < 0.5) pool.push(m.rv('h0', HalfNormal({ sigma: 1 }), { shape: [4] }));
  if (rng.uniform() < 0.4) pool.push(m.rv('c0', Normal({ mu: 0, sigma: 1 }), { shape: [3, 1] }));
  if (rng.uniform() < 0.4) pool.push(m.rv('b0', Beta({ alpha: 2, beta: 3 })));
  if (rng.uniform() < 0.4) pool.push(m.data('x0', [0.5, -1, 2, 0.1]));
  const nOps = 4 + Math.floor(rng.uniform() * 10);
  const shapeKey = (t: Tensor): string => t.shape.join(',');
  for (let k = 0; k < nOps; k++) {
    const a = pick(pool);
    const kind = Math.floor(rng.uniform() * 12);
    let r: Tensor | undefined;
    const partner = (): Tensor | undefined => {
      const ok = pool.filter((b) => {
        const x = a.shape;
        const y = b.shape;
        const n = Math.max(x.length, y.length);
        for (let i = 0; i < n; i++) {
          const p = x[x.length - n + i] ?? 1;
          const q = y[y.length - n + i] ?? 1;
          if (p !== q && p !== 1 && q !== 1) return false;
        }
        return true;
      });
      return ok.length > 0 ? pick(ok) : undefined;
    };
    switch (kind) {
      case 0: { const b = partner(); r = b && a.add(b); break; }
      case 1: { const b = partner(); r = b && a.sub(b.mul(0.5)); break; }
      case 2: { const b = partner(); r = b && a.mul(tanh(b)); break; }
      case 3: { const b = partner(); r = b && a.div(softplus(b).add(0.5)); break; }
      case 4: r = pick([exp(tanh(a)), log1p(softplus(a)), sqrt(softplus(a).add(0.1)), lgamma(softplus(a).add(0.5)), logistic(a), square(a), expm1(tanh(a))]); break;
      case 5: r = sum(a); break;
      case 6: if (a.shape.length === 1) r = a.at(Array.from({ length: 6 }, () => Math.floor(rng.uniform() * a.shape[0]))); break;
      case 7: if (a.shape.length === 1 && a.shape[0] === 4) { const b = pool.find((t) => shapeKey(t) === '4' && t !== a) ?? a; r = dot(a, b); } break;
      case 8: if (a.shape.length === 2 && a.shape[1] === 4) { const v = pool.find((t) => shapeKey(t) === '4'); r = v && matvec(a, v); } else if (shapeKey(a) === '4') r = matvec([[1, 2, 0, -1], [0.5, 0, 1, 1], [1, 1, 1, 1]], a); break;
      case 9: { const b = partner(); r = b && softplus(a).pow(tanh(b)); break; }
      case 10: r = abs(a.add(3)).mul(0.3); break;
      case 11: r = a.neg().add(pick(pool.filter((t) => t.shape.length === 0))); break;
    }
    if (r) pool.push(r);
  }
  // Terms: a deterministic, potentials on a few pool members, a likelihood on one vector.
  const last = pool[pool.length - 1];
  m.deterministic('d', last);
  const nPot = 1 + Math.floor(rng.uniform() * 3);
  for (let k = 0; k < nPot; k++) m.potential(`p${k}`, tanh(pick(pool)).mul(0.7));
  // Priors whose parameters are expressions of the pool (gradients flow into them).
  const scalars = pool.filter((t) => t.shape.length === 0);
  const posScalar = (): Tensor => softplus(pick(scalars)).add(0.2);
  const prior = Math.floor(rng.uniform() * 4);
  if (prior === 0) m.rv('z', Gamma({ alpha: posScalar(), beta: posScalar() }), { shape: [2] });
  if (prior === 1) m.rv('z', StudentT({ nu: posScalar(), mu: pick(scalars), sigma: posScalar() }), { shape: [3] });
  if (prior === 2) {
    const lo = pick(scalars);
    m.rv('z', Uniform({ lower: lo, upper: lo.add(posScalar()) }), { shape: [2] });
  }
  const vecs = pool.filter((t) => t.shape.length === 1);
  const v = pick(vecs);
  m.rv('y', Normal({ mu: v, sigma: softplus(pick(pool.filter((t) => t.shape.length === 0))).add(0.3) }), { observed: Array.from({ length: v.shape[0] }, () => rng.normal()) });
  return m;
}
