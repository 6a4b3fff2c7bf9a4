// Radon case-study timings: the 85 unpooled fits (in-process and on two threads), the full run, and `nutmeg radon` from the build.
import { REPO_ROOT } from './paths.js';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRadon } from '../packages/cli/src/radon/data.js';
import { fitUnpooled } from '../packages/cli/src/radon/unpooled.js';
import { MODEL_NAMES, runRadon } from '../packages/cli/src/radon/run.js';

const r3 = (x: number): number => Number(x.toFixed(3));

/**
 * Prints one JSON line per measurement. Env: BENCH_SEED (default 8924), BENCH_RADON=unpooled,full,cli
 * (which parts; default all). `cli` needs `npm run build` first (it runs bin/nutmeg.js, as `npx nutmeg radon` does).
 */
export async function run(): Promise<void> {
  const seed = Number(process.env.BENCH_SEED ?? 8924);
  const parts = (process.env.BENCH_RADON ?? 'unpooled,full,cli').split(',');
  const d = loadRadon();
  const settings = { method: 'nuts' as const, chains: 4, draws: 1000, tune: 1000, seed };
  if (parts.includes('unpooled')) {
    for (const threads of [1, 2]) {
      const cpu0 = process.cpuUsage();
      const u = await fitUnpooled(d, settings, { threads });
      const cpu = process.cpuUsage(cpu0);
      console.log(
        JSON.stringify({
          bench: 'radon_unpooled',
          fits: d.counties.length,
          chains: 4,
          iterations: 2000,
          threads,
          wall_s: r3(u.seconds),
          cpu_main_s: r3((cpu.user + cpu.system) / 1e6),
          grad_evals: u.gradEvals,
          divergences: u.divergences,
          source: import.meta.url.endsWith('.ts') ? 'ts' : 'js',
        }),
      );
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'nutmeg-radon-bench-'));
  try {
    if (parts.includes('full')) {
      const r = await runRadon({ models: MODEL_NAMES, priors: 'tutorial', method: 'nuts', chains: 4, draws: 1000, tune: 1000, seed, out: join(dir, 'full') });
      console.log(JSON.stringify({ bench: 'radon_full_run', source: import.meta.url.endsWith('.ts') ? 'ts' : 'js', figures: r.figures.length, ...Object.fromEntries(Object.entries(r.timings).map(([k, v]) => [`${k}_s`, v])) }));
    }
    const bin = fileURLToPath(new URL('packages/cli/bin/nutmeg.js', `file://${REPO_ROOT}/`));
    const built = fileURLToPath(new URL('packages/cli/dist/main.js', `file://${REPO_ROOT}/`));
    if (parts.includes('cli')) {
      if (!existsSync(built)) {
        console.log(JSON.stringify({ bench: 'radon_cli', skipped: 'no build: run npm run build first' }));
      } else {
        const t0 = performance.now();
        const p = spawnSync(process.execPath, [bin, 'radon', '--seed', String(seed), '--out', join(dir, 'cli')], { encoding: 'utf8' });
        const wall = (performance.now() - t0) / 1000;
        const m = /Done in ([\d.]+) s \(([^)]*)\)/.exec(p.stdout ?? '');
        const stages = m ? Object.fromEntries(m[2].split(', ').map((kv) => kv.split(' ')).map(([k, v]) => [`${k}_s`, Number(v)])) : {};
        console.log(JSON.stringify({ bench: 'radon_cli', command: 'nutmeg radon', exit_code: p.status, wall_from_start_s: r3(wall), ...stages }));
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
