// Benchmark: writing idata.json and a chain's CmdStan CSV of 20,000 parameters, chunk by chunk or as one string; peak RSS and time of each in a fresh process, one JSON line each.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The child: builds the results (20,000 parameters, uniform doubles at full precision, three
 * sampler statistics), then writes one file and prints what it took. The peak is the most RSS the
 * process had, less its RSS once the draws were built: what writing added.
 */
const CHILD = `
import { statSync } from 'node:fs';
import { arvizJsonChunks, stanCsvChunks, toArvizJson, toStanCsv } from 'nutmeg';
import { writeFileAtomic } from 'nutmeg/node';
const [file, how, P, C, D, path] = process.argv.slice(1);
const [nParams, nChains, nDraws] = [Number(P), Number(C), Number(D)];
const values = new Float64Array(nChains * nDraws * nParams);
let x = 12345;
for (let i = 0; i < values.length; i++) { x = (x * 1103515245 + 12345) % 2147483648; values[i] = (x / 2147483648 - 0.5) * 3.7; }
const n = nChains * nDraws;
const stat = (f) => ({ dims: [], shape: [], values: Float64Array.from({ length: n }, (_, i) => f(i)) });
const idata = { nChains, nDraws, groups: {
  posterior: { vars: { z: { dims: ['group'], shape: [nParams], values } }, attrs: {} },
  sample_stats: { vars: { lp: stat((i) => -i / 3), diverging: stat(() => 0), energy: stat((i) => i / 7) }, attrs: {} },
}, coords: { group: Array.from({ length: nParams }, (_, i) => 'g' + i) }, attrs: { seed: 1 } };
const base = process.memoryUsage().rss;
const start = performance.now();
let error;
try {
  if (file === 'idata.json') await writeFileAtomic(path, how === 'chunks' ? arvizJsonChunks(idata) : toArvizJson(idata));
  else await writeFileAtomic(path, how === 'chunks' ? stanCsvChunks(idata, 0) : toStanCsv(idata, 0));
} catch (e) { error = String(e); }
const seconds = (performance.now() - start) / 1000;
let fileMb = 0;
try { fileMb = statSync(path).size / 1e6; } catch {}
console.log(JSON.stringify({ numbers: file === 'idata.json' ? values.length : values.length / nChains, fileMb, seconds, peakRssIncreaseMb: (process.resourceUsage().maxRSS * 1024 - base) / 1e6, ...(error ? { error } : {}) }));
`;

/**
 * Writes idata.json (all chains) and chain_1.csv of 20,000 parameters × 4 chains × 100 and
 * × 1000 draws, with `arvizJsonChunks`/`stanCsvChunks` and with `toArvizJson`/`toStanCsv` (one
 * string), each in a fresh process. `toArvizJson` fails with `Invalid string length` beyond V8's
 * string limit (2^29 − 24 characters, ~25 million numbers at full precision).
 */
export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'nutmeg-bench-write-'));
  try {
    for (const draws of [100, 1000]) {
      for (const file of ['idata.json', 'chain_1.csv']) {
        for (const how of ['chunks', 'string']) {
          const path = join(dir, file);
          const r = spawnSync(process.execPath, [...process.execArgv, '--input-type=module', '-e', CHILD, file, how, '20000', '4', String(draws), path], { encoding: 'utf8' });
          rmSync(path, { force: true });
          if (r.status !== 0) throw new Error(`bench write: the child failed: ${r.stderr}`);
          const m = JSON.parse(r.stdout) as { numbers: number; fileMb: number; seconds: number; peakRssIncreaseMb: number; error?: string };
          console.log(
            JSON.stringify({
              bench: 'write',
              file,
              how,
              parameters: 20_000,
              chains: 4,
              draws,
              numbers: m.numbers,
              file_mb: +m.fileMb.toFixed(1),
              seconds: +m.seconds.toFixed(2),
              peak_rss_increase_mb: +m.peakRssIncreaseMb.toFixed(1),
              ...(m.error !== undefined ? { error: m.error } : {}),
            }),
          );
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
