// Scale benchmark: gradient cost per row, peak memory and short NUTS/ADVI runs at 10^4, 10^5 and 10^6 rows, beside a hand-written C loop.
//
// `npm run bench -- scale` prints one JSON line per size: a linear regression with 10 predictors
// written with `matvec` and as columns, and a hierarchical model with 1,000 groups (radon-shaped:
// intercept and slope by group). All three are Gaussian-linear, so by default they compile to
// per-group statistics (docs/sufficient-statistics.md) and their gradient does not grow with the
// rows: `*_ns_per_gradient` is that default's cost per gradient. The per-row comparison with C's
// row loop times the row loops (`sufficientStatistics: false`): `*_ns_per_row` in WebAssembly,
// `*_js_loops_ns_per_row` in JS (`wasm: false` as well).
// Each size runs in two child processes: one as a user would (the default models, NUTS and ADVI;
// its peak RSS is `peak_rss_mb`), one for the row-loop timings.
// Env: NUTMEG_SCALE_SIZES (comma-separated row counts), NUTMEG_SCALE_RUNS=0 to skip NUTS/ADVI,
// NUTMEG_SCALE_JS_LOOPS=0 to skip the JS-loop timings.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HalfNormal, Model, Normal, fit, math, sample, type CompiledModel } from 'nutmeg';
import { REPO_ROOT } from './paths.js';
import { nsPerGradient } from './gradientTiming.js';
import { uniforms } from './uniforms.js';

const PREDICTORS = 10;
const GROUPS = 1000;

/** The data of one size: predictors as columns and as one row-major matrix, and the hierarchical model's columns. */
function makeData(n: number) {
  const u = uniforms(12345);
  const columns = Array.from({ length: PREDICTORS }, () => Float64Array.from({ length: n }, () => u() * 2 - 1));
  const matrix = new Float64Array(n * PREDICTORS);
  for (let i = 0; i < n; i++) for (let j = 0; j < PREDICTORS; j++) matrix[i * PREDICTORS + j] = columns[j][i];
  const y = Float64Array.from({ length: n }, (_, i) => 1 + 0.5 * columns[0][i] - 0.25 * columns[1][i] + (u() - 0.5));
  const group = Int32Array.from({ length: n }, () => Math.floor(u() * GROUPS));
  const x = Float64Array.from({ length: n }, () => (u() < 0.5 ? 0 : 1));
  const yh = Float64Array.from({ length: n }, (_, i) => 1 + 0.01 * group[i] - 0.5 * x[i] + (u() - 0.5));
  return { columns, matrix, y, group, x, yh };
}

type Data = ReturnType<typeof makeData>;

/** The linear regression, its predictors as 10 data columns (elementwise code). */
function linregColumns(d: Data, wasm = true, sufficientStatistics = true): CompiledModel {
  const m = new Model();
  let mu = m.rv('a', Normal({ mu: 0, sigma: 5 }));
  d.columns.forEach((c, j) => (mu = mu.add(m.rv(`b${j}`, Normal({ mu: 0, sigma: 5 })).mul(m.data(`x${j}`, c)))));
  m.rv('y', Normal({ mu, sigma: m.rv('sigma', HalfNormal({ sigma: 2 })) }), { observed: d.y });
  return m.compile({ wasm, sufficientStatistics });
}

/** The same regression with its predictors as one [n, 10] matrix: `a + matvec(X, b)`. */
function linregMatvec(d: Data, wasm = true, sufficientStatistics = true): CompiledModel {
  const m = new Model();
  const a = m.rv('a', Normal({ mu: 0, sigma: 5 }));
  const b = m.rv('b', Normal({ mu: 0, sigma: 5 }), { shape: [PREDICTORS] });
  const X = m.data('X', d.matrix, { shape: [d.y.length, PREDICTORS] });
  m.rv('y', Normal({ mu: a.add(math.matvec(X, b)), sigma: m.rv('sigma', HalfNormal({ sigma: 2 })) }), { observed: d.y });
  return m.compile({ wasm, sufficientStatistics });
}

/** The radon-shaped hierarchical model (centered) with 1,000 groups. */
function hierarchical(d: Data, wasm = true, sufficientStatistics = true): CompiledModel {
  const m = new Model({ coords: { group: Array.from({ length: GROUPS }, (_, k) => `g${k}`) } });
  const alpha = m.rv('alpha', Normal({ mu: m.rv('mu_alpha', Normal({ mu: 0, sigma: 1 })), sigma: m.rv('sigma_alpha', HalfNormal({ sigma: 1 })) }), { dims: 'group' });
  const beta = m.rv('beta', Normal({ mu: m.rv('mu_beta', Normal({ mu: 0, sigma: 1 })), sigma: m.rv('sigma_beta', HalfNormal({ sigma: 1 })) }), { dims: 'group' });
  const group = m.data('group', d.group, { indexInto: 'group' });
  const x = m.data('x', d.x);
  m.rv('y', Normal({ mu: alpha.at(group).add(beta.at(group).mul(x)), sigma: m.rv('eps', HalfNormal({ sigma: 1 })) }), { observed: d.yh });
  return m.compile({ wasm, sufficientStatistics });
}

/** Runs the gradient of `cm` until V8 has optimised it: 3,000 evaluations or 3 s. */
function warmUp(cm: CompiledModel): void {
  const th = cm.initialPoint();
  const g = new Float64Array(cm.dim);
  const t0 = performance.now();
  for (let k = 0; k < 3000 && performance.now() - t0 < 3000; k++) cm.logDensityGrad(th, g);
}

/**
 * Wall times of a short NUTS run (1 chain, 100 + 100, tree depth at most 8: a short warm-up
 * leaves the 1,000-group funnel at depth 10) and a short ADVI fit (1,000 steps), in s, and the
 * NUTS run's gradient evaluations.
 */
async function shortRuns(cm: CompiledModel): Promise<{ nuts_s: number; nuts_grads: number; advi_s: number }> {
  let t0 = performance.now();
  const idata = await sample(cm, { chains: 1, draws: 100, tune: 100, seed: 1, progress: false, maxTreeDepth: 8 });
  const nuts = (performance.now() - t0) / 1000;
  const steps = idata.groups.sample_stats?.vars.n_steps?.values;
  let grads = 0;
  if (steps) for (const v of steps) grads += v;
  t0 = performance.now();
  fit(cm, { n: 1000, seed: 1, psisDraws: 0 });
  return { nuts_s: +nuts.toFixed(2), nuts_grads: grads, advi_s: +((performance.now() - t0) / 1000).toFixed(2) };
}

type Build = (d: Data, wasm?: boolean, sufficientStatistics?: boolean) => CompiledModel;
const MODELS: readonly (readonly [string, Build])[] = [
  ['linreg_columns', linregColumns],
  ['linreg_matvec', linregMatvec],
  ['hier1000', hierarchical],
];

/** One size as a user runs it, in this (child) process: compile (default options), gradient, NUTS and ADVI, and the peak RSS. */
async function userChild(n: number): Promise<void> {
  const rss0 = process.resourceUsage().maxRSS * 1024;
  const d = makeData(n);
  const dataBytes = d.matrix.byteLength * 2 + d.y.byteLength + d.group.byteLength + d.x.byteLength + d.yh.byteLength;
  const runs = process.env.NUTMEG_SCALE_RUNS !== '0';
  const out: Record<string, unknown> = { n, data_mb: +(dataBytes / 2 ** 20).toFixed(1) };
  for (const [name, build] of MODELS) {
    const t0 = performance.now();
    const cm = build(d);
    out[`${name}_compile_s`] = +((performance.now() - t0) / 1000).toFixed(2);
    out[`${name}_ns_per_gradient`] = Math.round(nsPerGradient(cm, { warmUpEvals: 3000, blockMs: 20 }));
    if (runs) {
      const r = await shortRuns(cm);
      out[`${name}_nuts_s`] = r.nuts_s;
      out[`${name}_nuts_draw_grads`] = r.nuts_grads;
      out[`${name}_advi_s`] = r.advi_s;
    }
  }
  const peak = process.resourceUsage().maxRSS * 1024;
  out.peak_rss_mb = +(peak / 2 ** 20).toFixed(0);
  out.rss_over_data = +((peak - rss0) / dataBytes).toFixed(2);
  console.log(JSON.stringify(out));
}

/** The row loops' cost per row (WebAssembly and JS), in this (child) process. */
function rowLoopChild(n: number): void {
  const d = makeData(n);
  const out: Record<string, unknown> = {};
  const small = n > 2000 ? makeData(2000) : undefined;
  for (const [name, build] of MODELS) {
    // V8 shares optimised code between models of one structure (compiler/environment.ts): warm it
    // up on 2,000 rows first, as a sampler's thousands of evaluations would (a kernel first
    // optimised on 10^6 rows can stay slow).
    if (small) warmUp(build(small, true, false));
    const t0 = performance.now();
    const cm = build(d, true, false);
    out[`${name}_row_loop_compile_s`] = +((performance.now() - t0) / 1000).toFixed(2);
    out[`${name}_ns_per_row`] = +(nsPerGradient(cm, { warmUpEvals: 3000, blockMs: 20 }) / n).toFixed(2);
    if (process.env.NUTMEG_SCALE_JS_LOOPS !== '0') {
      if (small) warmUp(build(small, false, false));
      out[`${name}_js_loops_ns_per_row`] = +(nsPerGradient(build(d, false, false), { warmUpEvals: 3000, blockMs: 20 }) / n).toFixed(2);
    }
  }
  console.log(JSON.stringify(out));
}

/** The hand-written C figures for n rows (bench/scaleBaseline.c, compiled once with gcc -O3 -march=native). */
function cBaseline(bin: string | undefined, n: number): Record<string, number> {
  if (!bin) return {};
  const r = spawnSync(bin, [String(n), String(PREDICTORS), String(GROUPS)], { encoding: 'utf8' });
  const line = r.stdout.trim().split('\n').find((l) => l.startsWith('{'));
  return line ? (JSON.parse(line) as Record<string, number>) : {};
}

export async function run(): Promise<void> {
  const sizes = (process.env.NUTMEG_SCALE_SIZES ?? '10000,100000,1000000').split(',').map(Number);
  const dir = mkdtempSync(join(tmpdir(), 'nutmeg-scale-'));
  const bin = join(dir, 'scaleBaseline');
  const cc = spawnSync('gcc', ['-O3', '-march=native', '-o', bin, join(REPO_ROOT, 'bench', 'scaleBaseline.c'), '-lm'], { encoding: 'utf8' });
  if (cc.status !== 0) console.error(`scale bench: no C baseline (gcc failed: ${cc.stderr?.slice(-300) ?? cc.error?.message})`);
  try {
    for (const n of sizes) {
      const c = cBaseline(cc.status === 0 ? bin : undefined, n);
      const lines = ['--scale-user', '--scale-row-loops'].map((mode) => {
        const r = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), mode, String(n)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
        const line = r.stdout.trim().split('\n').find((l) => l.startsWith('{'));
        if (!line) console.error(`scale bench: the ${mode} run with ${n} rows failed (exit ${r.status})`);
        return line;
      });
      if (lines.some((l) => l === undefined)) continue;
      const j = Object.assign({}, ...lines.map((l) => JSON.parse(l!) as Record<string, number>)) as Record<string, number>;
      const ratios: Record<string, number> = {};
      if (c.c_linreg_ns_per_row) {
        ratios.linreg_columns_vs_c = +(j.linreg_columns_ns_per_row / c.c_linreg_ns_per_row).toFixed(2);
        ratios.linreg_matvec_vs_c = +(j.linreg_matvec_ns_per_row / c.c_linreg_ns_per_row).toFixed(2);
        ratios.hier1000_vs_c = +(j.hier1000_ns_per_row / c.c_hier_ns_per_row).toFixed(2);
        if (j.linreg_columns_js_loops_ns_per_row !== undefined) {
          ratios.linreg_columns_js_loops_vs_c = +(j.linreg_columns_js_loops_ns_per_row / c.c_linreg_ns_per_row).toFixed(2);
          ratios.linreg_matvec_js_loops_vs_c = +(j.linreg_matvec_js_loops_ns_per_row / c.c_linreg_ns_per_row).toFixed(2);
          ratios.hier1000_js_loops_vs_c = +(j.hier1000_js_loops_ns_per_row / c.c_hier_ns_per_row).toFixed(2);
        }
      }
      console.log(JSON.stringify({ ...j, ...c, ...ratios }));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--scale-user') await userChild(Number(process.argv[3]));
if (process.argv[2] === '--scale-row-loops') rowLoopChild(Number(process.argv[3]));
