// Gradient benchmark: nutmeg's compiled logp+gradient on the radon models vs hand-written C and JS.
import { spawnSync } from 'node:child_process';
import type { CompiledModel } from 'nutmeg';
import { baselineScript } from './paths.js';
import { nsPerGradient } from './gradientTiming.js';
import { loadRadon } from '../packages/cli/src/radon/data.js';
import { hierarchicalCentered, hierarchicalNonCentered } from '../packages/cli/src/radon/models.js';


/** Times the hand-written C and JS gradients (../shared/baselines/limit; null when absent or NUTMEG_BENCH_NO_BASELINE is set). */
export function baselines(): { c_ns: number | null; js_ns: number | null } {
  const limit = process.env.NUTMEG_BENCH_NO_BASELINE ? undefined : baselineScript('grad', 'limit', 'bench.sh');
  if (limit === undefined) return { c_ns: null, js_ns: null };
  const r = spawnSync('bash', [limit], { encoding: 'utf8', env: { ...process.env, ROUNDS: process.env.ROUNDS ?? '3' } });
  const line = r.stdout.trim().split('\n').find((l) => l.startsWith('{'));
  if (!line) {
    console.error(`grad bench: baseline script failed: ${r.stderr.slice(-500)}`);
    return { c_ns: null, js_ns: null };
  }
  const j = JSON.parse(line) as { c_ns: number; js_ns: number };
  return { c_ns: j.c_ns, js_ns: j.js_ns };
}

export async function run(): Promise<void> {
  const d = loadRadon();
  // Each model twice: as compiled by default (the gradient's loops in WebAssembly where supported)
  // and with every loop in JS (`wasm: false`, the fallback where WebAssembly is unavailable).
  const models: [string, CompiledModel, CompiledModel][] = [
    ['radon_hierarchical_centered', hierarchicalCentered(d).compile(), hierarchicalCentered(d).compile({ wasm: false })],
    ['radon_hierarchical_noncentered', hierarchicalNonCentered(d).compile(), hierarchicalNonCentered(d).compile({ wasm: false })],
  ];
  // Interleave: ours, baselines, ours again; report the min of ours.
  const time = (): [number, number][] => models.map(([, cm, js]) => [nsPerGradient(cm, { rounds: 200 }), nsPerGradient(js, { rounds: 200 })]);
  const first = time();
  const base = baselines();
  const second = time();
  const ratio = (ns: number, b: number | null): number | null => (b ? +(ns / b).toFixed(2) : null);
  models.forEach(([name, cm], k) => {
    const ns = Math.min(first[k][0], second[k][0]);
    const jsNs = Math.min(first[k][1], second[k][1]);
    console.log(
      JSON.stringify({
        model: name,
        dim: cm.dim,
        ns_per_eval: Math.round(ns),
        ns_per_eval_js_loops: Math.round(jsNs),
        baseline_c_ns: base.c_ns,
        baseline_js_ns: base.js_ns,
        ratio_vs_c: ratio(ns, base.c_ns),
        ratio_js_loops_vs_c: ratio(jsNs, base.c_ns),
        ratio_vs_js: ratio(ns, base.js_ns),
      }),
    );
  });
}
