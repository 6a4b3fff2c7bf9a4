// `nutmeg radon` from the command's start: wall time from spawn to exit over N runs (best, median), the CLI's per-stage account, and anchors from the same script.
import { REPO_ROOT } from './paths.js';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
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
 * Env: BENCH_SEED (default 8924), BENCH_RUNS.
 */
export async function run(): Promise<void> {
  const seed = Number(process.env.BENCH_SEED ?? 8924);
  const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
  const bin = join(REPO_ROOT, 'packages/cli/bin/nutmeg.js');
  if (!existsSync(join(REPO_ROOT, 'packages/cli/dist/main.js'))) {
    console.log(JSON.stringify({ bench: 'radon_cli', skipped: 'no build: run npm run build first' }));
    return;
  }
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
