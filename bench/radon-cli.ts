// `nutmeg radon` from the command's start: wall time from spawn to exit over N runs (best, median), the CLI's per-stage account, and anchors from the same script.
import { REPO_ROOT } from './paths.js';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const r3 = (x: number): number => Number(x.toFixed(3));
const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Seconds a spawned command takes from spawn to exit, with its stdout. */
function timed(args: readonly string[]): { wall: number; stdout: string; status: number | null } {
  const t0 = performance.now();
  const p = spawnSync(process.execPath, args, { encoding: 'utf8' });
  return { wall: (performance.now() - t0) / 1000, stdout: p.stdout ?? '', status: p.status };
}

/**
 * Runs the built `nutmeg radon` (as `npx nutmeg radon` does) BENCH_RUNS times (default 3) and prints
 * one JSON line per run — wall from spawn to exit, the digest's `Done in` total and stages, and the
 * gap between them (what the timing line does not cover: Node's own start before the program runs, and
 * the exit after the line is printed; the program's loading is its `start-up` stage) — then one line with the
 * best and median wall, the median of each stage, and two anchors measured here: `node -e ""`
 * (process start and exit) and the sampling stages alone (unpooled, pooled, hierarchical models, ADVI).
 * Env: BENCH_SEED (default 8924), BENCH_RUNS; BENCH_BASELINE=DIR alternates each run with one of
 * the built checkout in DIR (another commit of nutmeg, `npm run build` done there) and ends with
 * the paired ratios (see {@link alternate}).
 */
export async function run(): Promise<void> {
  const seed = Number(process.env.BENCH_SEED ?? 8924);
  const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
  const bin = join(REPO_ROOT, 'packages/cli/bin/nutmeg.js');
  if (!existsSync(join(REPO_ROOT, 'packages/cli/dist/main.js'))) {
    console.log(JSON.stringify({ bench: 'radon_cli', skipped: 'no build: run npm run build first' }));
    return;
  }
  const baseline = process.env.BENCH_BASELINE;
  if (baseline !== undefined) return alternate(bin, baseline, seed, runs);
  const node = Array.from({ length: runs }, () => timed(['-e', '']).wall);
  const dir = mkdtempSync(join(tmpdir(), 'nutmeg-radon-cli-'));
  const walls: number[] = [];
  const stageRuns: Record<string, number>[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const load = loadavg()[0];
      const p = timed([bin, 'radon', '--seed', String(seed), '--out', join(dir, `run${i}`)]);
      const m = /Done in ([\d.]+) s \(([^)]*)\)/.exec(p.stdout);
      const stages: Record<string, number> = m ? Object.fromEntries(m[2].split(', ').map((kv) => { const j = kv.lastIndexOf(' '); return [kv.slice(0, j), Number(kv.slice(j + 1))]; })) : {};
      const total = m ? Number(m[1]) : NaN;
      walls.push(p.wall);
      stageRuns.push(stages);
      console.log(JSON.stringify({ bench: 'radon_cli_run', run: i, exit_code: p.status, wall_from_spawn_s: r3(p.wall), done_in_s: total, outside_clock_s: r3(p.wall - total), load_avg_1m: r3(load), stages_s: stages }));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const names = Object.keys(stageRuns[0] ?? {});
  const sampling = ['unpooled', 'pooled', 'hierarchical', 'hierarchical_noncentered', 'advi'];
  const samplingOnly = stageRuns.map((s) => sampling.reduce((a, k) => a + (s[k] ?? 0), 0));
  console.log(
    JSON.stringify({
      bench: 'radon_cli',
      command: 'nutmeg radon',
      runs,
      wall_best_s: r3(Math.min(...walls)),
      wall_median_s: r3(median(walls)),
      node_startup_median_s: r3(median(node)),
      sampling_stages_median_s: r3(median(samplingOnly)),
      after_sampling_median_s: r3(median(walls.map((w, i) => w - samplingOnly[i]))),
      stages_median_s: Object.fromEntries(names.map((k) => [k, r3(median(stageRuns.map((s) => s[k] ?? NaN)))])),
      load_avg_1m_end: r3(loadavg()[0]),
    }),
  );
}

/** User + system CPU seconds of this process's waited-for children so far (Linux: /proc/self/stat's cutime and cstime), or NaN. */
function childrenCpu(): number {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[13]) + Number(fields[14])) / 100; // clock ticks, 100 a second on Linux
  } catch {
    return NaN;
  }
}

/**
 * BENCH_BASELINE=DIR: `nutmeg radon` of this checkout and of the built checkout in DIR, run in
 * turn (baseline first in even rounds, this first in odd ones) BENCH_RUNS times each, so that the
 * machine's drift (±25% over minutes here) falls on both alike. One JSON line per run (wall from
 * spawn to exit, CPU of the child), then the medians of both and the paired ratios this/baseline
 * of wall and CPU (median and range): a change is real when the ratios stay on one side of 1.
 */
function alternate(bin: string, baselineDir: string, seed: number, runs: number): void {
  const baseBin = join(baselineDir, 'packages/cli/bin/nutmeg.js');
  if (!existsSync(join(baselineDir, 'packages/cli/dist/main.js'))) {
    console.log(JSON.stringify({ bench: 'radon_cli_alternated', skipped: `no build in ${baselineDir}: run npm run build there first` }));
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'nutmeg-radon-cli-'));
  const results = { baseline: [] as { wall: number; cpu: number }[], this: [] as { wall: number; cpu: number }[] };
  try {
    for (let i = 0; i < runs; i++) {
      const order = i % 2 === 0 ? (['baseline', 'this'] as const) : (['this', 'baseline'] as const);
      for (const build of order) {
        const cpu0 = childrenCpu();
        const p = timed([build === 'this' ? bin : baseBin, 'radon', '--seed', String(seed), '--out', join(dir, `${build}${i}`)]);
        const cpu = childrenCpu() - cpu0;
        results[build].push({ wall: p.wall, cpu });
        console.log(JSON.stringify({ bench: 'radon_cli_run', build, run: i, exit_code: p.status, wall_from_spawn_s: r3(p.wall), cpu_s: r3(cpu) }));
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const ratios = (k: 'wall' | 'cpu'): number[] => results.this.map((t, i) => t[k] / results.baseline[i][k]).sort((a, b) => a - b);
  const of = (k: 'wall' | 'cpu') => ({ median: r3(median(ratios(k))), min: r3(ratios(k)[0]), max: r3(ratios(k)[runs - 1]) });
  console.log(
    JSON.stringify({
      bench: 'radon_cli_alternated',
      baseline: baselineDir,
      runs,
      this_wall_median_s: r3(median(results.this.map((x) => x.wall))),
      baseline_wall_median_s: r3(median(results.baseline.map((x) => x.wall))),
      this_cpu_median_s: r3(median(results.this.map((x) => x.cpu))),
      baseline_cpu_median_s: r3(median(results.baseline.map((x) => x.cpu))),
      wall_ratio: of('wall'),
      cpu_ratio: of('cpu'),
    }),
  );
}
