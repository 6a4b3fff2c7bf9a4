// Sampling warnings: each check fires on a run that has the problem, stays quiet on a clean run, and says what to try.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { Rng } from '../../src/core/rng.js';
import { formatWarnings, rankWarnings, samplingWarnings, type SamplingWarning } from '../../src/posterior/index.js';
import { divergenceLocations } from '../../src/posterior/warnings.js';
import type { InferenceData, VariableArray } from '../../src/posterior/inferenceData.js';

const OPTS = { targetAccept: 0.8, maxTreeDepth: 10 };

interface RunSpec {
  nChains?: number;
  nDraws?: number;
  /** posterior scalar parameters: value of draw d of chain c */
  params?: Record<string, (c: number, d: number, rng: Rng) => number>;
  diverging?: (c: number, d: number, params: Record<string, number>) => boolean;
  accept?: (c: number, d: number, rng: Rng) => number;
  depth?: (c: number, d: number) => number;
  energy?: (c: number, d: number, rng: Rng) => number;
}

/** Builds a run draw by draw (so that sample stats can depend on the parameters). */
function run(spec: RunSpec): InferenceData {
  const nChains = spec.nChains ?? 4;
  const nDraws = spec.nDraws ?? 500;
  const rng = new Rng(21);
  const params = spec.params ?? { mu: (_c, _d, r) => r.normal() };
  const post: Record<string, Float64Array> = {};
  for (const k of Object.keys(params)) post[k] = new Float64Array(nChains * nDraws);
  const st = {
    diverging: new Float64Array(nChains * nDraws),
    acceptance_rate: new Float64Array(nChains * nDraws),
    tree_depth: new Float64Array(nChains * nDraws),
    energy: new Float64Array(nChains * nDraws),
  };
  for (let c = 0; c < nChains; c++) {
    for (let d = 0; d < nDraws; d++) {
      const i = c * nDraws + d;
      const cur: Record<string, number> = {};
      for (const [k, f] of Object.entries(params)) cur[k] = post[k][i] = f(c, d, rng);
      st.diverging[i] = spec.diverging?.(c, d, cur) ? 1 : 0;
      st.acceptance_rate[i] = spec.accept ? spec.accept(c, d, rng) : Math.min(1, Math.max(0, 0.8 + 0.1 * rng.normal()));
      st.tree_depth[i] = spec.depth ? spec.depth(c, d) : 3;
      st.energy[i] = spec.energy ? spec.energy(c, d, rng) : rng.normal() * 2;
    }
  }
  const scalar = (values: Float64Array): VariableArray => ({ dims: [], shape: [], values });
  return {
    nChains,
    nDraws,
    groups: {
      posterior: { vars: Object.fromEntries(Object.entries(post).map(([k, v]) => [k, scalar(v)])), attrs: {} },
      sample_stats: { vars: Object.fromEntries(Object.entries(st).map(([k, v]) => [k, scalar(v)])), attrs: {} },
    },
    coords: {},
    attrs: {},
  };
}

const codes = (ws: SamplingWarning[]): string[] => ws.map((w) => w.code);

test('a clean run gives no warnings', () => {
  assert.deepEqual(samplingWarnings(run({}), OPTS), []);
  assert.equal(formatWarnings([]), '');
});

test('divergences: counted per chain, located on the parameter they concentrate on, advice names targetAccept and non-centring', () => {
  const idata = run({
    params: { log_tau: (_c, _d, r) => r.normal(), mu: (_c, _d, r) => r.normal() },
    // divergences happen only where log_tau is small: a funnel's neck
    diverging: (c, d, p) => p.log_tau < -1.5 && (c + d) % 2 === 0,
  });
  const ws = samplingWarnings(idata, OPTS);
  const w = ws.find((x) => x.code === 'divergences')!;
  assert.equal(w.severity, 'error');
  assert.match(w.message, /transitions after warm-up diverged \(\d+\.\d%; chain 0: \d+, chain 1: \d+, chain 2: \d+, chain 3: \d+\)/);
  assert.match(w.message, /concentrate where log_tau is small/);
  assert.doesNotMatch(w.message, /mu is/);
  assert.match(w.advice, /targetAccept \(now 0\.8; try 0\.95\)/);
  assert.match(w.advice, /non-centred/);
  assert.equal(ws[0].code, 'divergences');
});

test('divergence locations: the rank sum from the sorted divergent values equals the one from sorting every draw (ties included)', () => {
  // The reference: each divergent draw's average rank among all draws, by sorting them all.
  const reference = (x: Float64Array, isDiv: Uint8Array): number => {
    const sorted = Float64Array.from(x).sort();
    let sum = 0;
    for (let i = 0; i < x.length; i++) {
      if (!isDiv[i]) continue;
      let lo = 0;
      while (sorted[lo] < x[i]) lo++;
      let up = lo;
      while (up < x.length && sorted[up] === x[i]) up++;
      sum += ((lo + up + 1) / 2 - 0.5) / x.length;
    }
    return sum;
  };
  const rng = new Rng(5);
  for (const [ties, divRate] of [[false, 0.01], [true, 0.02], [true, 0.1], [false, 0.3]] as const) {
    const nChains = 2, nDraws = 300, n = nChains * nDraws;
    const x = Float64Array.from({ length: n }, (_, i) => (ties ? Math.round(rng.normal() * 2) : rng.normal()) + (i % 7 === 0 ? 3 : 0));
    const isDiv = Uint8Array.from({ length: n }, (_, i) => (rng.uniform() < divRate || i % 7 === 0 ? 1 : 0));
    const nDiv = isDiv.reduce((s, v) => s + v, 0);
    const div = [0, 1].map((c) => Float64Array.from(isDiv.subarray(c * nDraws, (c + 1) * nDraws)));
    const idata = { nChains, nDraws, groups: { posterior: { vars: { x: { dims: [], shape: [], values: x } } } } } as unknown as InferenceData;
    const se = Math.sqrt(((n * n - 1) / 12 / (n * n)) * ((n - nDiv) / (n - 1)) / nDiv);
    const expectedZ = (reference(x, isDiv) / nDiv - 0.5) / se;
    const found = divergenceLocations(idata, div);
    // Found (|z| above the critical value) exactly when the reference z is, with the same z.
    assert.equal(found.length, Math.abs(expectedZ) > 4 ? 1 : 0, `ties ${ties}, z ${expectedZ}`);
    assert.ok(found.length === 1, `the shifted draws are found (z ${expectedZ})`);
    assert.ok(Math.abs(found[0].z - expectedZ) < 1e-9 * Math.abs(expectedZ), `${found[0].z} vs ${expectedZ}`);
  }
});

test('scattered divergences name no parameter', () => {
  const idata = run({ diverging: (c, d) => d % 50 === 7 && c < 2 });
  const w = samplingWarnings(idata, OPTS).find((x) => x.code === 'divergences')!;
  assert.doesNotMatch(w.message, /concentrate/);
  assert.match(w.message, /chain 2: 0/);
});

test('R-hat above 1.01 when one chain sits elsewhere; severe shifts are errors', () => {
  const ws = samplingWarnings(run({ params: { theta: (c, _d, r) => r.normal() + (c === 3 ? 3 : 0) } }), OPTS);
  const w = ws.find((x) => x.code === 'r_hat')!;
  assert.equal(w.severity, 'error');
  assert.match(w.message, /theta \d\.\d{3}/);
  assert.match(w.advice, /trace and rank plots/);
});

test('low bulk and tail ESS for a slowly mixing chain', () => {
  let x = 0;
  const ws = samplingWarnings(run({ nDraws: 400, params: { phi: (_c, d, r) => (x = (d === 0 ? 0 : 0.995 * x) + r.normal() * 0.1) } }), OPTS);
  assert.ok(codes(ws).includes('ess_bulk'), JSON.stringify(codes(ws)));
  assert.ok(codes(ws).includes('ess_tail'));
  assert.match(ws.find((w) => w.code === 'ess_bulk')!.message, /below 100 per chain \(400 for 4 chains\)/);
});

test('E-BFMI below 0.3 for a random-walk energy', () => {
  let e = 0;
  const ws = samplingWarnings(run({ energy: (c, d, r) => (e = (d === 0 ? 0 : e) + r.normal() * 0.1 + (c === 1 ? 0 : 0)) }), OPTS);
  const w = ws.find((x) => x.code === 'ebfmi')!;
  assert.match(w.message, /E-BFMI is below 0\.3 in 4 chains \(chain 0: 0\.\d\d/);
});

test('acceptance far from the target in one chain', () => {
  const ws = samplingWarnings(run({ accept: (c, _d, r) => (c === 2 ? 0.45 + 0.05 * r.normal() : 0.8 + 0.05 * r.normal()) }), OPTS);
  const w = ws.find((x) => x.code === 'acceptance_rate')!;
  assert.match(w.message, /in 1 chain \(chain 2: 0\.45\)/);
  assert.match(w.advice, /warm-up/);
});

test('acceptance: a chain is flagged exactly when the target lies outside the 95% interval of Beta(m·n + 1, (1 − m)·n + 1), n = 100 (SciPy\'s quantiles)', () => {
  // Ends of the interval for each chain mean m below, from scipy.stats.beta.ppf(0.025 / 0.975, m·100 + 1, (1 − m)·100 + 1)
  // (SciPy 1.17.1): lo, hi. A chain of constant acceptance m is flagged low when 0.8 > hi, high when 0.8 < lo.
  const scipy: [number, number, number][] = [
    [0.6, 0.5017440784925652, 0.6906914843099456],
    [0.7, 0.6038528713523112, 0.7810212736959659],
    [0.71, 0.6143105616285007, 0.7898077935048298],
    [0.72, 0.6248176918628165, 0.7985449692341516],
    [0.73, 0.6353757931309204, 0.8072312812999453],
    [0.87, 0.7899579887943087, 0.9220963512088184],
    [0.88, 0.8016549367364285, 0.9296498185265862],
    [0.9, 0.8254471739228809, 0.944362776164697],
  ];
  for (const [m, lo, hi] of scipy) {
    const ws = samplingWarnings(run({ nChains: 1, accept: () => m }), OPTS).filter((w) => w.code === 'acceptance_rate');
    const want = 0.8 > hi ? 'warning' : 0.8 < lo ? 'info' : undefined;
    assert.equal(ws[0]?.severity, want, `mean acceptance ${m}: interval [${lo}, ${hi}]`);
  }
});

test('tree-depth saturation is information, with the count per chain', () => {
  const ws = samplingWarnings(run({ depth: (c, d) => (c === 0 && d < 50 ? 10 : 4) }), OPTS);
  const w = ws.find((x) => x.code === 'tree_depth')!;
  assert.equal(w.severity, 'info');
  assert.match(w.message, /50 of 2000 transitions \(2\.5%\) reached the maximum tree depth 10 \(chain 0: 50, chain 1: 0/);
});

test('NaN draws are an error; missing sample stats skip their checks', () => {
  const idata = run({ params: { a: (c, d, r) => (c === 1 && d === 3 ? NaN : r.normal()) } });
  delete (idata.groups as Record<string, unknown>).sample_stats;
  assert.deepEqual(codes(samplingWarnings(idata, OPTS)), ['nonfinite_draws']);
});

test('ranking and deduplication: errors first, identical warnings once', () => {
  const a: SamplingWarning = { code: 'tree_depth', severity: 'info', message: 'm1', advice: 'a' };
  const b: SamplingWarning = { code: 'divergences', severity: 'error', message: 'm2', advice: 'a' };
  const c: SamplingWarning = { code: 'ess_bulk', severity: 'warning', message: 'm3', advice: 'a' };
  assert.deepEqual(rankWarnings([a, c, b, a, c]).map((w) => w.code), ['divergences', 'ess_bulk', 'tree_depth']);
});

test('formatted warnings show severity, message and advice', () => {
  const text = formatWarnings(samplingWarnings(run({ diverging: (_c, d) => d === 1 }), OPTS));
  assert.match(text, /^nutmeg found 1 problem with this run/);
  assert.match(text, /\[error\]\s+4 of 2000 transitions/);
  assert.match(text, /Try: Increase targetAccept/);
});

test('bad options are refused', () => {
  assert.throws(() => samplingWarnings(run({}), { targetAccept: 1.2, maxTreeDepth: 10 }), /targetAccept/);
  assert.throws(() => samplingWarnings(run({}), { targetAccept: 0.8, maxTreeDepth: 0 }), /maxTreeDepth/);
});
