// Gradient benchmark: nutmeg's compiled logp+gradient on the radon models vs hand-written C and JS.
import { spawnSync } from 'node:child_process';
import type { CompiledModel } from 'nutmeg';
import { baselineScript } from './paths.js';
import { nsPerGradient } from './gradientTiming.js';
import { loadRadon } from '../packages/cli/src/radon/data.js';
import { hierarchicalCentered, hierarchicalNonCentered } from '../packages/cli/src/radon/models.js';


/**
 * Times the hand-written C and JS gradients (../shared/baselines/limit; null when absent or
 * NUTMEG_BENCH_NO_BASELINE is set): the fastest per-row kernel (`c_ns`, `js_ns`) and C's O(groups)
 * sufficient-statistics kernel (`c_ss_ns`, the honest comparison for nutmeg's own rewrite).
 */
export function baselines(): { c_ns: number | null; js_ns: number | null; c_ss_ns: number | null } {
  const limit = process.env.NUTMEG_BENCH_NO_BASELINE ? undefined : baselineScript('grad', 'limit', 'bench.sh');
  if (limit === undefined) return { c_ns: null, js_ns: null, c_ss_ns: null };
  const r = spawnSync('bash', [limit], { encoding: 'utf8', env: { ...process.env, ROUNDS: process.env.ROUNDS ?? '3' } });
  const line = r.stdout.trim().split('\n').find((l) => l.startsWith('{'));
  if (!line) {
    console.error(`grad bench: baseline script failed: ${r.stderr.slice(-500)}`);
    return { c_ns: null, js_ns: null, c_ss_ns: null };
  }
  const j = JSON.parse(line) as { c_ns: number; js_ns: number; c_ss_ns: number };
  return { c_ns: j.c_ns, js_ns: j.js_ns, c_ss_ns: j.c_ss_ns };
}

export async function run(): Promise<void> {
  const d = loadRadon();
  // Each model three ways: as compiled by default (the likelihood from per-group statistics, the
  // other loops in WebAssembly where supported), with the likelihood's row loop
  // (`sufficientStatistics: false`, in WebAssembly), and with every loop in JS (`wasm: false`, the
  // fallback where WebAssembly is unavailable; per-group statistics on).
  const variants = [{}, { sufficientStatistics: false }, { wasm: false }] as const;
  const models: [string, CompiledModel[]][] = [
    ['radon_hierarchical_centered', variants.map((o) => hierarchicalCentered(d).compile(o))],
    ['radon_hierarchical_noncentered', variants.map((o) => hierarchicalNonCentered(d).compile(o))],
  ];
  // Interleave: ours, baselines, ours again; report the min of ours.
  const time = (): number[][] => models.map(([, cms]) => cms.map((cm) => nsPerGradient(cm, { rounds: 200 })));
  const first = time();
  const base = baselines();
  const second = time();
  const ratio = (ns: number, b: number | null): number | null => (b ? +(ns / b).toFixed(2) : null);
  models.forEach(([name, cms], k) => {
    const [ns, rowNs, jsNs] = cms.map((_, v) => Math.min(first[k][v], second[k][v]));
    console.log(
      JSON.stringify({
        model: name,
        dim: cms[0].dim,
        ns_per_eval: Math.round(ns),
        ns_per_eval_row_loop: Math.round(rowNs),
        ns_per_eval_js_loops: Math.round(jsNs),
        baseline_c_ns: base.c_ns,
        baseline_c_ss_ns: base.c_ss_ns,
        baseline_js_ns: base.js_ns,
        ratio_vs_c: ratio(ns, base.c_ns),
        ratio_vs_c_ss: ratio(ns, base.c_ss_ns),
        ratio_row_loop_vs_c: ratio(rowNs, base.c_ns),
        ratio_js_loops_vs_c: ratio(jsNs, base.c_ns),
        ratio_vs_js: ratio(ns, base.js_ns),
      }),
    );
  });
}
