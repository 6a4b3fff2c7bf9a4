// The kernel's fast loops (vectorArena.ts JS, vectorKernels.wat WebAssembly) against the reference leapfrog and U-turn criterion.
//
// References: integrators.ts (kickDrift, halfKick) with metric.ts (velocity) for the leapfrog,
// termination.ts (noUTurnAcross) for the criterion. The JS loops must agree bit for bit; the
// WebAssembly loops do the same per-element operations (so every element must agree bit for bit)
// but sum in two lanes, so sums may differ by rounding: a sum of n terms differs from the
// sequential one by at most about n·ε·Σ|terms| (ε = 2⁻⁵²), and a U-turn decision may differ only
// when one of its inner products is within that distance of 0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.js';
import type { LogDensity } from '../../src/core/types.js';
import { halfKick, kickDrift, type PhasePoint } from '../../src/inference/hmc/integrators.js';
import { denseMetric, diagMetric, sampleMomentum, velocity, type Metric } from '../../src/inference/hmc/metric.js';
import { noUTurn, noUTurnAcross, type TrajectoryEnds } from '../../src/inference/hmc/termination.js';
import { createVectorArena, type VectorArena } from '../../src/inference/hmc/vectorArena.js';
import { buildNuts } from '../../src/inference/hmc/nuts.js';
import { scaledNormal } from './fixtures/gaussians.js';

const EPS = Number.EPSILON;
const DIMS = [1, 2, 3, 5, 17, 31, 32, 33, 40, 64];
const SEEDS = Array.from({ length: 40 }, (_, k) => 1000 + k);
const ARENAS: [string, boolean][] = [['js', false], ['wasm', true]];

function normals(rng: Rng, n: number, scale = 1): Float64Array {
  const v = new Float64Array(n);
  rng.fillNormal(v);
  for (let i = 0; i < n; i++) v[i] *= scale;
  return v;
}

/** A random diagonal metric, or a random dense one (Σ = A Aᵀ + I/2). */
function randomMetric(rng: Rng, d: number, kind: 'diag' | 'dense'): Metric {
  if (kind === 'diag') return diagMetric(Float64Array.from(normals(rng, d), (x) => Math.exp(x)));
  const A = normals(rng, d * d, 1 / Math.sqrt(d));
  const S = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      let s = i === j ? 0.5 : 0;
      for (let k = 0; k < d; k++) s += A[i * d + k] * A[j * d + k];
      S[i * d + j] = s;
    }
  }
  for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) S[i * d + j] = S[j * d + i];
  return denseMetric(S, d);
}

/** A random subtrajectory's ends under `metric`: momenta, their velocities Σp, and a ρ. */
function randomEnds(rng: Rng, metric: Metric, d: number): TrajectoryEnds {
  const pBeg = normals(rng, d);
  const pEnd = normals(rng, d);
  const sBeg = new Float64Array(d);
  const sEnd = new Float64Array(d);
  velocity(metric, pBeg, sBeg);
  velocity(metric, pEnd, sEnd);
  // ρ is a sum over the states, the two ends among them: biased along them, so that decisions mix.
  const rho = normals(rng, d, 0.7 * Math.sqrt(d) / 3);
  for (let i = 0; i < d; i++) rho[i] += pBeg[i] + pEnd[i];
  return { rho, pBeg, sBeg, pEnd, sEnd };
}

const add = (a: Float64Array, b: Float64Array): Float64Array => a.map((x, i) => x + b[i]);

/**
 * The six inner products of the criterion, each as |value| / (n·ε·Σ|terms|): below 2 the sign of
 * a two-lane sum may differ from the sequential one's.
 */
function smallestMargin(left: TrajectoryEnds, right: TrajectoryEnds): number {
  const rho = add(left.rho, right.rho);
  const u = add(left.rho, right.pBeg);
  const w = add(right.rho, left.pEnd);
  const pairs: [Float64Array, Float64Array][] = [[left.sBeg, rho], [right.sEnd, rho], [left.sBeg, u], [right.sBeg, u], [left.sEnd, w], [right.sEnd, w]];
  let m = Infinity;
  for (const [a, b] of pairs) {
    let s = 0;
    let abs = 0;
    for (let i = 0; i < a.length; i++) {
      s += a[i] * b[i];
      abs += Math.abs(a[i] * b[i]);
    }
    m = Math.min(m, Math.abs(s) / ((a.length + 2) * EPS * abs));
  }
  return m;
}

/** Copies `v` into a fresh vector of `arena`. */
function into(arena: VectorArena, v: Float64Array): Float64Array {
  const out = arena.alloc(v.length);
  out.set(v);
  return out;
}

test('merge: the JS and WebAssembly loops give the reference ρ exactly and its U-turn decisions (random states, both directions, diag and dense)', () => {
  for (const [name, useWasm] of ARENAS) {
    let decisions = 0;
    let kept = 0;
    let nearZero = 0;
    for (const d of DIMS) {
      for (const kind of ['diag', 'dense'] as const) {
        for (const seed of SEEDS) {
          const rng = new Rng(seed, d);
          const metric = randomMetric(rng, d, kind);
          const left = randomEnds(rng, metric, d);
          const right = randomEnds(rng, metric, d);
          const want = noUTurnAcross(left, right);
          const wantRho = add(left.rho, right.rho);
          const margin = smallestMargin(left, right);
          // The kernel writes ρ to a vector of its own; the loops also allow it in place of either input.
          for (const inPlace of ['fresh', 'r1', 'r2'] as const) {
            const arena = createVectorArena(12 * d, useWasm);
            const r1 = into(arena, left.rho);
            const r2 = into(arena, right.rho);
            const rho = inPlace === 'r1' ? r1 : inPlace === 'r2' ? r2 : arena.alloc(d);
            const got = arena.merge(r1, r2, rho, into(arena, left.sBeg), into(arena, right.sEnd), into(arena, right.pBeg), into(arena, right.sBeg), into(arena, left.pEnd), into(arena, left.sEnd));
            const where = `${name} d=${d} ${kind} seed ${seed} ρ in ${inPlace}`;
            assert.deepEqual(Array.from(rho), Array.from(wantRho), where);
            decisions++;
            if (got) kept++;
            if (!useWasm || margin >= 2) assert.equal(got, want, where);
            else nearZero++;
            arena.release();
          }
        }
      }
    }
    // Random states give both decisions often, and an inner product within rounding of 0 (where
    // the WebAssembly sum may legitimately disagree) essentially never.
    assert.ok(kept > 0.2 * decisions && kept < 0.8 * decisions, `${name}: ${kept} of ${decisions} kept going`);
    assert.equal(nearZero, 0, `${name}: decisions within rounding of 0`);
  }
});

test('merge: the reference criterion is three generalised U-turn checks, and the seam checks catch turns the whole misses', () => {
  const one = (p: number[]): TrajectoryEnds => {
    const v = Float64Array.from(p);
    return { rho: v, pBeg: v, sBeg: v, pEnd: v, sEnd: v };
  };
  assert.equal(noUTurnAcross(one([1, 0]), one([1, 0.1])), true);
  assert.equal(noUTurnAcross(one([1, 0]), one([-2, 0])), false);
  // Two-state halves whose whole keeps going (ρ = (1, 0)) but whose seam turns back.
  const left: TrajectoryEnds = { rho: Float64Array.from([2, 0]), pBeg: Float64Array.from([1, 1]), sBeg: Float64Array.from([1, 1]), pEnd: Float64Array.from([1, -1]), sEnd: Float64Array.from([1, -1]) };
  const right: TrajectoryEnds = { rho: Float64Array.from([-1, 0]), pBeg: Float64Array.from([-3, 1]), sBeg: Float64Array.from([-3, 1]), pEnd: Float64Array.from([2, -1]), sEnd: Float64Array.from([2, -1]) };
  const rho = add(left.rho, right.rho);
  assert.equal(noUTurn(left.sBeg, right.sEnd, rho), true, 'the whole alone keeps going');
  assert.equal(noUTurnAcross(left, right), false, 'the seam check stops it');
});

test('leapfrog loops: kickDrift + finishLeaf of the JS and WebAssembly arenas equal the reference leapfrog (random states, both directions)', () => {
  for (const [name, useWasm] of ARENAS) {
    let worstKinetic = 0;
    for (const d of DIMS) {
      for (const seed of SEEDS) {
        const rng = new Rng(seed, 7 * d);
        const metric = randomMetric(rng, d, 'diag');
        const m = metric.inverseMetric;
        const q0 = normals(rng, d, 3);
        const p0 = normals(rng, d);
        const g0 = normals(rng, d, 2);
        const g1 = normals(rng, d, 2);
        // The log density hands the reference the same new gradient the arena is given.
        const ld: LogDensity = { dim: d, logDensityGrad: (_x, g) => (g.set(g1), -1.5) };
        for (const eps of [0.37, -0.37, 1e-3, -2.1]) {
          const z: PhasePoint = { q: Float64Array.from(q0), p: Float64Array.from(p0), grad: Float64Array.from(g0), logDensity: 0 };
          kickDrift(ld, metric, z, eps, new Float64Array(d));
          halfKick(z, eps);
          const v = new Float64Array(d);
          const kinetic = velocity(metric, z.p, v);

          const arena = createVectorArena(12 * d, useWasm);
          const [q, p, g, mm] = [into(arena, q0), into(arena, p0), into(arena, g0), into(arena, m)];
          const [pHalf, qOut, pOut, vOut] = [0, 1, 2, 3].map(() => arena.alloc(d));
          arena.kickDrift(p, g, q, mm, pHalf, qOut, 0.5 * eps, eps);
          g.set(g1);
          const k = arena.finishLeaf(pHalf, g, mm, pOut, vOut, 0.5 * eps);
          const where = `${name} d=${d} seed ${seed} ε=${eps}`;
          assert.deepEqual(Array.from(qOut), Array.from(z.q), `${where}: q`);
          assert.deepEqual(Array.from(pOut), Array.from(z.p), `${where}: p`);
          assert.deepEqual(Array.from(vOut), Array.from(v), `${where}: ♯`);
          // Out of place: the step's inputs are left as they were.
          assert.deepEqual([Array.from(q), Array.from(p)], [Array.from(q0), Array.from(p0)], `${where}: inputs untouched`);
          // ½Σ m p² has positive terms: the two-lane sum is within (d + 1)·ε relative of the sequential one.
          const rel = Math.abs(k - kinetic) / kinetic;
          if (useWasm) assert.ok(rel <= (d + 1) * EPS, `${where}: kinetic energy ${k} vs ${kinetic}`);
          else assert.equal(k, kinetic, `${where}: kinetic energy`);
          worstKinetic = Math.max(worstKinetic, rel);
          arena.release();
        }
      }
    }
    if (useWasm) assert.ok(worstKinetic < 1e-15, `wasm: worst relative kinetic-energy difference ${worstKinetic}`);
  }
});

test('nuts: every U-turn decision the kernel takes on real trajectories equals the reference criterion (JS and WebAssembly, diag and dense)', () => {
  // Record each merge the kernel asks its arena for, with copies of its inputs, and recompute it
  // with termination.ts. The arena classes are not exported: patch the prototypes of both.
  const protos = [false, true].map((w) => {
    const a = createVectorArena(8, w);
    const proto = Object.getPrototypeOf(a) as VectorArena;
    a.release();
    return proto;
  });
  const originals = protos.map((p) => p.merge);
  const originalLeaves = protos.map((p) => p.mergeLeaves);
  const calls: { left: TrajectoryEnds; right: TrajectoryEnds; got: boolean; wasm: boolean; leaves: boolean }[] = [];
  protos.forEach((proto, k) => {
    const original = originals[k];
    const originalLeaf = originalLeaves[k];
    // Two one-leaf spans: each is its momentum and velocity at both ends.
    proto.mergeLeaves = function (this: VectorArena, p1, p2, rho, s1, s2) {
      const leaf = (p: Float64Array, s: Float64Array): TrajectoryEnds => {
        const pc = Float64Array.from(p);
        const sc = Float64Array.from(s);
        return { rho: pc, pBeg: pc, sBeg: sc, pEnd: pc, sEnd: sc };
      };
      const left = leaf(p1, s1);
      const right = leaf(p2, s2);
      const got = originalLeaf.call(this, p1, p2, rho, s1, s2);
      calls.push({ left, right, got, wasm: k === 1, leaves: true });
      return got;
    };
    proto.merge = function (this: VectorArena, r1, r2, rho, sBeg, sEnd, p2Beg, s2Beg, p1End, s1End) {
      const c = (v: Float64Array): Float64Array => Float64Array.from(v);
      const unused = new Float64Array(r1.length).fill(NaN); // the criterion must not read these
      const left: TrajectoryEnds = { rho: c(r1), pBeg: unused, sBeg: c(sBeg), pEnd: c(p1End), sEnd: c(s1End) };
      const right: TrajectoryEnds = { rho: c(r2), pBeg: c(p2Beg), sBeg: c(s2Beg), pEnd: unused, sEnd: c(sEnd) };
      const got = original.call(this, r1, r2, rho, sBeg, sEnd, p2Beg, s2Beg, p1End, s1End);
      calls.push({ left, right, got, wasm: k === 1, leaves: false });
      return got;
    };
  });
  try {
    for (const d of [3, 40]) {
      const sds = Array.from({ length: d }, (_, i) => 0.5 + (2 * i) / d);
      const ld = scaledNormal({ sds });
      for (const kind of ['diag', 'dense'] as const) {
        const metric = randomMetric(new Rng(5, d), d, kind);
        for (const stepSize of [0.1, 0.5, 1.3]) {
          const kernel = buildNuts(ld, { maxTreeDepth: 8 });
          const rng = new Rng(17, d);
          let state = kernel.init(Float64Array.from(sds, (s) => 0.5 * s));
          for (let t = 0; t < 25; t++) [state] = kernel.step(rng, state, { stepSize, metric });
          kernel.release();
        }
      }
    }
  } finally {
    protos.forEach((proto, k) => {
      proto.merge = originals[k];
      proto.mergeLeaves = originalLeaves[k];
    });
  }
  for (const wasm of [false, true]) {
    const mine = calls.filter((c) => c.wasm === wasm);
    let turned = 0;
    let nearZero = 0;
    for (const [k, { left, right, got }] of mine.entries()) {
      const want = noUTurnAcross(left, right);
      if (!want) turned++;
      if (wasm && smallestMargin(left, right) < 2) nearZero++;
      else assert.equal(got, want, `${wasm ? 'wasm' : 'js'} merge ${k}`);
    }
    assert.ok(mine.length > 1000, `${wasm ? 'wasm' : 'js'}: ${mine.length} merges`);
    const leafMerges = mine.filter((c) => c.leaves).length;
    assert.ok(leafMerges > 300 && mine.length - leafMerges > 300, `${wasm ? 'wasm' : 'js'}: ${leafMerges} of ${mine.length} merges of two leaves`);
    assert.ok(turned > 100, `${wasm ? 'wasm' : 'js'}: ${turned} U-turns`);
    assert.equal(nearZero, 0);
  }
});

test('mergeLeaves: two one-leaf spans give merge\'s ρ and decision bit for bit, at half its reads (JS and WebAssembly)', () => {
  for (const [name, useWasm] of ARENAS) {
    let kept = 0;
    let total = 0;
    for (const d of DIMS) {
      for (const seed of SEEDS) {
        const rng = new Rng(seed, 11 * d);
        const metric = randomMetric(rng, d, 'diag');
        const arena = createVectorArena(12 * d, useWasm);
        const p1 = into(arena, normals(rng, d));
        const p2 = into(arena, normals(rng, d));
        const s1 = arena.alloc(d);
        const s2 = arena.alloc(d);
        velocity(metric, p1, s1);
        velocity(metric, p2, s2);
        const viaMerge = arena.alloc(d);
        const viaLeaves = arena.alloc(d);
        const want = arena.merge(p1, p2, viaMerge, s1, s2, p2, s2, p1, s1);
        const got = arena.mergeLeaves(p1, p2, viaLeaves, s1, s2);
        const where = `${name} d=${d} seed ${seed}`;
        assert.equal(got, want, where);
        assert.deepEqual(Array.from(viaLeaves), Array.from(viaMerge), `${where}: ρ`);
        total++;
        if (got) kept++;
        arena.release();
      }
    }
    assert.ok(kept > 0 && kept < total, `${name}: ${kept} of ${total} kept going`);
  }
});

test('momentum: the arenas draw sampleMomentum\'s diagonal momenta bit for bit, leaving the generator where it leaves it (JS and WebAssembly)', () => {
  for (const [name, useWasm] of ARENAS) {
    let rarePath = 0;
    for (const d of [...DIMS, 175]) {
      for (const seed of SEEDS) {
        const metric = randomMetric(new Rng(seed, 13 * d), d, 'diag');
        const arena = createVectorArena(4 * d, useWasm);
        const m = into(arena, metric.inverseMetric);
        const got = arena.alloc(d);
        const want = new Float64Array(d);
        const a = new Rng(seed, d);
        const b = new Rng(seed, d);
        // Count the draws the WebAssembly loop hands back to the generator (outside a layer's core).
        const edge = a.zigguratEdgeDraw.bind(a);
        a.zigguratEdgeDraw = (layer, u) => (rarePath++, edge(layer, u));
        for (let t = 0; t < 3; t++) {
          arena.momentum(a, got, m);
          sampleMomentum(metric, b, want, new Float64Array(d));
          assert.deepEqual(Array.from(got), Array.from(want), `${name} d=${d} seed ${seed} draw ${t}`);
        }
        assert.deepEqual(a.getState(), b.getState(), `${name} d=${d} seed ${seed}: generator state`);
        assert.equal(a.uniform(), b.uniform());
        arena.release();
      }
    }
    // ~1.2% of some 40,000 draws take the rare path.
    if (useWasm) assert.ok(rarePath > 200, `${name}: ${rarePath} draws outside a layer's core`);
  }
});
