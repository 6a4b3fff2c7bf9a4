// The gradient's loops as generated WebAssembly (compiler/wasmLoops.ts) against the JS loops (`wasm: false`) and finite differences.
//
// The two paths compute every value by the same IEEE operations; only sums are added in another
// order (two lanes, then the odd row), so they agree to a few ulps of the sums' magnitude: the
// tolerance is 1e-12 relative to 1 + Σ|log density terms| (the sums' scale), far below any
// modelling difference and far above the ~n·ε of a reordered sum of n ≤ 10^3 terms.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import wabtInit from 'wabt';
import { Model, Normal, HalfNormal, Uniform, Rng, type CompiledModel, type Tensor } from '../../src/index.js';
import { abs, div, exp, matvec, sqrt, square, sum } from '../../src/graph/tensor.js';
import { checkGradient } from './fd.js';
import { randomModel } from './fuzz.js';
import { fuzzRuns } from '../helpers/fuzzRuns.js';

/** The number of loops of the gradient program that call WebAssembly. */
function wasmLoopCount(cm: CompiledModel): number {
  const sources = (cm as unknown as { __sources: string[] }).__sources;
  const grad = sources.find((s) => s.includes('function (thIn, gOut)') || s.includes('function (th, g)'))!;
  return (grad.match(/if \(wl\d+_\d+\(/g) ?? []).length;
}

/** Log density and gradient of both compilations at `theta`; asserts they agree (see the tolerance above). */
function assertPathsAgree(build: () => Model, theta: Float64Array, what: string): { wasm: CompiledModel; js: CompiledModel } {
  // The row loops are what this file tests: Gaussian likelihoods stay row loops here (their
  // per-group form, compile option sufficientStatistics, is tested in gaussianLinear.test.ts).
  const wasm = build().compile({ sufficientStatistics: false });
  const js = build().compile({ wasm: false, sufficientStatistics: false });
  const gw = new Float64Array(wasm.dim).fill(NaN);
  const gj = new Float64Array(js.dim).fill(NaN);
  const lw = wasm.logDensityGrad(theta, gw);
  const lj = js.logDensityGrad(theta, gj);
  const S = 1 + Object.values(js.logDensityByVariable(theta)).reduce((s, v) => s + Math.abs(v), 0);
  const tol = 1e-12 * S;
  const vw = wasm.logDensity!(theta);
  const vj = js.logDensity!(theta);
  if (lj === -Infinity) {
    assert.equal(lw, -Infinity, `${what}: wasm ${lw}, js -Infinity`);
    assert.equal(vw, -Infinity, `${what}: wasm logDensity ${vw}, js -Infinity`);
    assert.equal(vj, -Infinity);
  } else {
    assert.ok(Math.abs(lw - lj) <= tol, `${what}: log density wasm ${lw} js ${lj}`);
    // The value-only programs: the same loops without the reverse pass, and the same sums.
    assert.ok(Math.abs(vw - vj) <= tol, `${what}: logDensity wasm ${vw} js ${vj}`);
    assert.equal(vw, lw, `${what}: the WebAssembly logDensity and logDensityGrad sum in the same order`);
    for (let i = 0; i < gj.length; i++) assert.ok(Math.abs(gw[i] - gj[i]) <= tol * Math.max(1, Math.abs(gj[i])), `${what}: grad[${i}] wasm ${gw[i]} js ${gj[i]}`);
  }
  return { wasm, js };
}

/** Radon-shaped data: `groups` groups of the given sizes, rows shuffled (so the compiler sorts them into segments). */
function groupedData(sizes: readonly number[], seed: number): { county: number[]; x: number[]; y: number[]; labels: string[] } {
  const rng = new Rng(seed);
  const rows: [number, number, number][] = [];
  sizes.forEach((n, g) => {
    for (let k = 0; k < n; k++) {
      const x = rng.uniform() < 0.3 ? 1 : 0;
      rows.push([g, x, 1.3 + 0.2 * g - 0.6 * x + 0.5 * (rng.uniform() - 0.5)]);
    }
  });
  for (let i = rows.length - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    [rows[i], rows[j]] = [rows[j], rows[i]];
  }
  return { county: rows.map((r) => r[0]), x: rows.map((r) => r[1]), y: rows.map((r) => r[2]), labels: sizes.map((_n, g) => `c${g}`) };
}

/** The radon hierarchical model (varying intercept and slope), centered or not, over `d`. */
function hierarchical(d: ReturnType<typeof groupedData>, centered: boolean): Model {
  const m = new Model({ coords: { county: d.labels } });
  const muA = m.rv('mu_a', Normal({ mu: 0, sigma: 1 }));
  const sA = m.rv('s_a', HalfNormal({ sigma: 1 }));
  const muB = m.rv('mu_b', Normal({ mu: 0, sigma: 1 }));
  const sB = m.rv('s_b', HalfNormal({ sigma: 1 }));
  let alpha: Tensor;
  let beta: Tensor;
  if (centered) {
    alpha = m.rv('alpha', Normal({ mu: muA, sigma: sA }), { dims: 'county' });
    beta = m.rv('beta', Normal({ mu: muB, sigma: sB }), { dims: 'county' });
  } else {
    alpha = m.deterministic('alpha', muA.add(sA.mul(m.rv('za', Normal({ mu: 0, sigma: 1 }), { dims: 'county' }))), { dims: 'county' });
    beta = m.deterministic('beta', muB.add(sB.mul(m.rv('zb', Normal({ mu: 0, sigma: 1 }), { dims: 'county' }))), { dims: 'county' });
  }
  const eps = m.rv('eps', HalfNormal({ sigma: 1 }));
  const county = m.data('county', d.county, { dims: 'obs', indexInto: 'county' });
  const floor = m.data('floor', d.x, { dims: 'obs' });
  m.rv('y', Normal({ mu: alpha.at(county).add(beta.at(county).mul(floor)), sigma: eps }), { observed: d.y, dims: 'obs' });
  return m;
}

/** A point of dimension `dim` near 0 (fixed seed). */
function point(dim: number, seed: number, scale = 0.7): Float64Array {
  const rng = new Rng(seed);
  return Float64Array.from({ length: dim }, () => scale * (2 * rng.uniform() - 1));
}

// Segments of 1, 2, 3 and 7 rows: odd and even, so both the two-lane steps and the odd last row run.
const SIZES = [1, 2, 3, 7, 4, 1, 6, 5];

for (const centered of [true, false]) {
  const name = centered ? 'centered' : 'non-centered';
  test(`radon-shaped ${name} model: its loops run in WebAssembly, agree with the JS loops and with finite differences`, () => {
    const d = groupedData(SIZES, 11);
    const build = (): Model => hierarchical(d, centered);
    for (let k = 0; k < 3; k++) {
      const { wasm, js } = assertPathsAgree(build, point(build().compile({ wasm: false }).dim, 100 + k), `${name} point ${k}`);
      assert.ok(wasmLoopCount(wasm) >= 2, `${name}: ${wasmLoopCount(wasm)} loops in WebAssembly`);
      assert.equal(wasmLoopCount(js), 0);
      const valueProgram = (wasm as unknown as { __sources: string[] }).__sources.find((s) => s.includes('function (thIn) {'));
      assert.ok(valueProgram && /if \(wl\d+_\d+\(/.test(valueProgram), `${name}: logDensity has no loop in WebAssembly`);
      checkGradient(wasm, point(wasm.dim, 200 + k), `${name} (wasm) point ${k}`);
      checkGradient(js, point(js.dim, 200 + k), `${name} (js) point ${k}`);
    }
  });
}

test('a linear regression of three columns, with an odd, an even and a single row', () => {
  for (const n of [1, 8, 9]) {
    const rng = new Rng(n);
    const cols = [0, 1, 2].map(() => Array.from({ length: n }, () => rng.uniform() - 0.5));
    const y = Array.from({ length: n }, (_v, i) => cols[0][i] - 2 * cols[1][i] + 0.3 * rng.uniform());
    const build = (): Model => {
      const m = new Model();
      const b = [0, 1, 2].map((j) => m.rv(`b${j}`, Normal({ mu: 0, sigma: 2 })));
      const a = m.rv('a', Normal({ mu: 0, sigma: 2 }));
      const s = m.rv('s', HalfNormal({ sigma: 1 }));
      let mu: Tensor = a;
      b.forEach((bj, j) => (mu = mu.add(bj.mul(m.data(`x${j}`, cols[j])))));
      m.rv('y', Normal({ mu, sigma: s }), { observed: y });
      return m;
    };
    const { wasm } = assertPathsAgree(build, point(5, n), `regression n = ${n}`);
    if (n > 1) assert.ok(wasmLoopCount(wasm) >= 1, `regression n = ${n}: no loop in WebAssembly`);
    checkGradient(wasm, point(5, 50 + n), `regression n = ${n}`);
  }
});

test('a regression written with matvec (strided reads of a row-major matrix), alone and with rows sorted into segments', () => {
  for (const n of [2, 6, 7]) {
    const rng = new Rng(30 + n);
    const X = Array.from({ length: n }, () => [rng.uniform() - 0.5, rng.uniform() - 0.5, rng.uniform() - 0.5]);
    const y = X.map((r) => r[0] - r[2] + 0.2 * rng.uniform());
    const build = (): Model => {
      const m = new Model();
      const b = m.rv('b', Normal({ mu: 0, sigma: 2 }), { shape: [3] });
      m.rv('y', Normal({ mu: matvec(m.data('X', X), b), sigma: m.rv('s', HalfNormal({ sigma: 1 })) }), { observed: y });
      return m;
    };
    const { wasm } = assertPathsAgree(build, point(4, n), `matvec n = ${n}`);
    assert.ok(wasmLoopCount(wasm) >= 1, `matvec n = ${n}: no loop in WebAssembly`);
    checkGradient(wasm, point(4, 60 + n), `matvec n = ${n}`);
  }
  const d = groupedData(SIZES, 17);
  const X = d.x.map((v, i) => [v, Math.sin(i)]);
  const grouped = (): Model => {
    const m = new Model({ coords: { county: d.labels } });
    const alpha = m.rv('alpha', Normal({ mu: 0, sigma: 1 }), { dims: 'county' });
    const b = m.rv('b', Normal({ mu: 0, sigma: 1 }), { shape: [2] });
    const county = m.data('county', d.county, { indexInto: 'county' });
    m.rv('y', Normal({ mu: alpha.at(county).add(matvec(m.data('X', X), b)), sigma: 0.5 }), { observed: d.y });
    return m;
  };
  const { wasm } = assertPathsAgree(grouped, point(d.labels.length + 2, 5), 'matvec by segments');
  assert.ok(wasmLoopCount(wasm) >= 1);
  checkGradient(wasm, point(d.labels.length + 2, 6), 'matvec by segments');
});

test('a domain check per row fails the same way in both paths (log density -Infinity)', () => {
  const y = [0.2, 0.5, 0.9, 0.1, 0.7];
  const build = (): Model => {
    const m = new Model();
    const lo = m.rv('lo', Normal({ mu: 0, sigma: 1 }));
    m.rv('y', Uniform({ lower: lo, upper: 2 }), { observed: y });
    return m;
  };
  const inside = assertPathsAgree(build, Float64Array.of(-0.5), 'lo below every y');
  assert.ok(wasmLoopCount(inside.wasm) >= 1, 'the Uniform likelihood loop runs in WebAssembly');
  const g = new Float64Array(1);
  for (const lo of [0.15, 0.3, 0.95, NaN]) {
    assert.equal(inside.wasm.logDensityGrad(Float64Array.of(lo), g), -Infinity, `lo = ${lo}`);
    assert.equal(inside.js.logDensityGrad(Float64Array.of(lo), g), -Infinity, `lo = ${lo}`);
  }
  // A segment value checked per row: the group scales of a Normal likelihood, 0 after exp underflow.
  const d = groupedData([3, 2, 5], 3);
  const scaled = (): Model => {
    const m = new Model({ coords: { county: d.labels } });
    const sigma = m.rv('sigma', HalfNormal({ sigma: 1 }), { dims: 'county' });
    const county = m.data('county', d.county, { indexInto: 'county' });
    m.rv('y', Normal({ mu: 1, sigma: sigma.at(county) }), { observed: d.y });
    return m;
  };
  assertPathsAgree(scaled, Float64Array.of(0.1, -0.2, 0.3), 'group scales');
  assertPathsAgree(scaled, Float64Array.of(0.1, -800, 0.3), 'a group scale of 0');
});

test('loops with ops outside the WebAssembly subset stay in JS and give the same values', () => {
  const x = [0.1, -0.4, 0.8, 1.2, -1.5];
  const build = (): Model => {
    const m = new Model();
    const a = m.rv('a', Normal({ mu: 0, sigma: 1 }));
    m.rv('y', Normal({ mu: exp(a.mul(m.data('x', x))), sigma: 1 }), { observed: [1, 0.5, 2, 3, 0.2] });
    return m;
  };
  const { wasm } = assertPathsAgree(build, Float64Array.of(0.3), 'exp per row');
  assert.equal(wasmLoopCount(wasm), 0);
});

// Random expressions of the supported ops over data columns, scalar parameters and group values.
type Leaf = 'x1' | 'x2' | 'a' | 'b' | 'alpha';
type Expr = Leaf | { op: 'add' | 'sub' | 'mul' | 'safeDiv'; l: Expr; r: Expr } | { op: 'neg' | 'square' | 'safeSqrt' | 'abs'; x: Expr } | { op: 'const'; v: number };
const exprArb: fc.Arbitrary<Expr> = fc.letrec<{ e: Expr }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom<Expr>('x1', 'x2', 'a', 'b', 'alpha'),
    fc.record({ op: fc.constant('const' as const), v: fc.double({ min: -2, max: 2, noNaN: true }) }),
    fc.record({ op: fc.constantFrom('add' as const, 'sub' as const, 'mul' as const, 'safeDiv' as const), l: tie('e'), r: tie('e') }),
    fc.record({ op: fc.constantFrom('neg' as const, 'square' as const, 'safeSqrt' as const, 'abs' as const), x: tie('e') }),
  ),
})).e;

function toTensor(e: Expr, leaves: Record<Leaf, Tensor>): Tensor {
  if (typeof e === 'string') return leaves[e];
  switch (e.op) {
    case 'const':
      return leaves.x1.mul(0).add(e.v);
    case 'add':
      return toTensor(e.l, leaves).add(toTensor(e.r, leaves));
    case 'sub':
      return toTensor(e.l, leaves).sub(toTensor(e.r, leaves));
    case 'mul':
      return toTensor(e.l, leaves).mul(toTensor(e.r, leaves));
    case 'safeDiv':
      return div(toTensor(e.l, leaves), square(toTensor(e.r, leaves)).add(1));
    case 'neg':
      return toTensor(e.x, leaves).neg();
    case 'square':
      return square(toTensor(e.x, leaves));
    case 'safeSqrt':
      return sqrt(square(toTensor(e.x, leaves)).add(0.5));
    case 'abs':
      return abs(toTensor(e.x, leaves));
  }
}

test('property: random expressions of the supported ops agree between WebAssembly and JS, and with finite differences', () => {
  const d = groupedData([2, 5, 1, 4, 3], 5);
  const x2 = d.x.map((v, i) => v + 0.1 * Math.sin(i));
  let cases = 0;
  let inWasm = 0;
  fc.assert(
    fc.property(exprArb, fc.boolean(), fc.integer({ min: 1, max: 1e6 }), (e, asMean, seed) => {
      const build = (): Model => {
        const m = new Model({ coords: { county: d.labels } });
        const a = m.rv('a', Normal({ mu: 0, sigma: 1 }));
        const b = m.rv('b', Normal({ mu: 0, sigma: 1 }));
        const alpha = m.rv('alpha', Normal({ mu: 0, sigma: 1 }), { dims: 'county' });
        const county = m.data('county', d.county, { indexInto: 'county' });
        const leaves = { x1: m.data('x1', d.x), x2: m.data('x2', x2), a, b, alpha: alpha.at(county) };
        const t = toTensor(e, leaves);
        if (asMean) m.rv('y', Normal({ mu: t, sigma: 1.5 }), { observed: d.y });
        else m.potential('p', sum(t.mul(m.data('w', d.y))));
        return m;
      };
      const theta = point(2 + d.labels.length, seed, 0.9);
      const { wasm } = assertPathsAgree(build, theta, JSON.stringify(e));
      checkGradient(wasm, theta, JSON.stringify(e));
      cases++;
      if (wasmLoopCount(wasm) > 0) inWasm++;
    }),
    { numRuns: fuzzRuns(60), seed: 20261206 },
  );
  // Every likelihood or potential over the rows is a loop of supported ops (a potential of data only is folded).
  assert.ok(inWasm >= 0.8 * cases, `${inWasm} of ${cases} models ran a loop in WebAssembly`);
});

test('random model graphs of the gradient fuzz suite (mixed shapes, gathers, kernels): both paths agree', () => {
  let withWasm = 0;
  for (let seed = 1; seed <= 40; seed++) {
    const dim = randomModel(seed).compile({ wasm: false }).dim;
    const { wasm } = assertPathsAgree(() => randomModel(seed), point(dim, seed, 0.5), `random model ${seed}`);
    if (wasmLoopCount(wasm) > 0) withWasm++;
  }
  // All 40 do today (151 loops): each has a potential or likelihood over rows of supported ops.
  assert.ok(withWasm >= 30, `${withWasm} of 40 random models ran a loop in WebAssembly`);
});

test('the generated modules are valid WebAssembly for wabt too (an independent decoder and validator)', async () => {
  const wabt = await wabtInit();
  const modules: Uint8Array[] = [];
  const Original = WebAssembly.Module;
  const capture = function (bytes: BufferSource): WebAssembly.Module {
    modules.push(new Uint8Array(bytes as ArrayBuffer));
    return new Original(bytes);
  } as unknown as typeof WebAssembly.Module;
  WebAssembly.Module = capture;
  try {
    hierarchical(groupedData(SIZES, 2), false).compile();
    hierarchical(groupedData(SIZES, 2), true).compile();
  } finally {
    WebAssembly.Module = Original;
  }
  const generated = modules.filter((m) => m.length > 100);
  assert.ok(generated.length >= 2, `${generated.length} modules captured`);
  for (const bytes of generated) {
    const mod = wabt.readWasm(bytes, { readDebugNames: false, simd: true });
    mod.validate();
    assert.match(mod.toText({}), /f64x2\.add/);
    mod.destroy();
  }
});

test('compiling many models keeps only each live model its own memory (nothing retained per compile)', async () => {
  const { setFlagsFromString } = await import('node:v8');
  const { runInNewContext } = await import('node:vm');
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const n = 50_000; // 2 columns of 400 kB: a leaked model would retain ≥ 0.8 MB
  const rng = new Rng(9);
  const x = Float64Array.from({ length: n }, () => rng.uniform());
  const y = Float64Array.from({ length: n }, () => rng.uniform());
  const compileOne = (): number => {
    const m = new Model();
    const a = m.rv('a', Normal({ mu: 0, sigma: 1 }));
    const s = m.rv('s', HalfNormal({ sigma: 1 }));
    m.rv('y', Normal({ mu: a.mul(m.data('x', x)), sigma: s }), { observed: y });
    const cm = m.compile();
    return cm.logDensityGrad(Float64Array.of(0.1, 0.2), new Float64Array(2));
  };
  // The JS heap and the memory it accounts for outside (typed arrays, WebAssembly memories), after
  // two full collections apart (backing stores are freed in the background): 0 ± 0.3 MB over
  // 200 compilations, and 164 MB when every model is kept. RSS, which the allocator returns to the
  // system when it pleases, grew by 2–64 MB over the same compilations without any leak (it failed
  // the former 40 MB bound in 1–2 of 8 runs), so it gets only a bound a leak of the data still breaks.
  const settle = async (): Promise<void> => {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
    gc();
  };
  const accounted = (): number => process.memoryUsage().heapUsed + process.memoryUsage().external;
  for (let k = 0; k < 10; k++) compileOne();
  await settle();
  const before = { accounted: accounted(), rss: process.memoryUsage().rss };
  for (let k = 0; k < 200; k++) compileOne();
  await settle();
  const grown = accounted() - before.accounted;
  const rssGrown = process.memoryUsage().rss - before.rss;
  // 200 models × ≥ 0.8 MB each would be ≥ 160 MB.
  assert.ok(grown < 40e6, `the heap and its typed arrays grew by ${(grown / 1e6).toFixed(1)} MB over 200 compilations`);
  assert.ok(rssGrown < 120e6, `RSS grew by ${(rssGrown / 1e6).toFixed(1)} MB over 200 compilations`);
});
