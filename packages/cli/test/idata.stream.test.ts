// idata.json is written chunk by chunk: 30 million numbers (a file V8 could not hold as one string before, at full precision) in memory that does not grow with the file, read back identical.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const dir = mkdtempSync(join(tmpdir(), 'nutmeg-idata-stream-'));

/** The child: builds the results, writes idata.json as `nutmeg fit` does, measures, then reads it back with the library's reader. */
const CHILD = `
import { readFileSync, statSync } from 'node:fs';
import { arvizJsonChunks, fromArvizJson } from 'nutmeg';
import { OutputFolder } from ${JSON.stringify(new URL('../src/outputFolder.ts', import.meta.url).href)};
const [P, C, D] = [20000, 4, 375];
// Short numbers (at most 9 characters) keep the file readable back as one string; NaN, Infinity and -0 among them.
const value = (i) => (i % 1009 === 0 ? NaN : i % 2003 === 0 ? Infinity : i % 1013 === 0 ? -0 : (((i * 7919) % 4001) - 2000) / 16);
const z = new Float64Array(C * D * P);
for (let i = 0; i < z.length; i++) z[i] = value(i);
const stat = (f) => ({ dims: [], shape: [], values: Float64Array.from({ length: C * D }, (_, i) => f(i)) });
const idata = {
  nChains: C, nDraws: D,
  groups: {
    posterior: { vars: { z: { dims: ['group'], shape: [P], values: z } }, attrs: { created_at: 'now' } },
    sample_stats: { vars: { lp: stat((i) => -i / 4), diverging: stat((i) => i % 2) }, attrs: {} },
    observed_data: { vars: { y: { dims: ['group'], shape: [P], values: Float64Array.from({ length: P }, (_, i) => i / 8) } }, attrs: {} },
  },
  coords: { group: Array.from({ length: P }, (_, i) => 'g' + i) },
  attrs: { seed: 1 },
};
const out = await OutputFolder.open(process.argv[1], 'test');
const base = process.memoryUsage().rss;
const start = performance.now();
await out.write('idata.json', arvizJsonChunks(idata));
const seconds = (performance.now() - start) / 1000;
const peakMb = (process.resourceUsage().maxRSS * 1024 - base) / 1e6;
const path = process.argv[1] + '/idata.json';
const back = fromArvizJson(readFileSync(path, 'utf8'), 'idata.json');
const bz = back.groups.posterior.vars.z.values;
let same = back.nChains === C && back.nDraws === D && bz.length === z.length;
for (let i = 0; same && i < z.length; i++) same = Number.isFinite(z[i]) ? Object.is(bz[i], z[i] + 0) : Number.isNaN(bz[i]);
same &&= back.groups.observed_data.vars.y.values[7] === 7 / 8 && back.coords.group[19999] === 'g19999' && back.attrs.seed === 1;
console.log(JSON.stringify({ peakMb, seconds, fileMb: statSync(path).size / 1e6, dataMb: z.byteLength / 1e6, same }));
`;

test('idata.json of 30 million numbers: written in a few tens of MB of memory (not the file\'s size), and read back identical', { timeout: 600_000 }, (t) => {
  const r = spawnSync(process.execPath, ['--conditions=development', '--import', 'tsx', '--input-type=module', '-e', CHILD, dir], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const m = JSON.parse(r.stdout) as { peakMb: number; seconds: number; fileMb: number; dataMb: number; same: boolean };
  t.diagnostic(`${m.dataMb.toFixed(0)} MB of draws, a ${m.fileMb.toFixed(0)} MB file: peak RSS increase ${m.peakMb.toFixed(1)} MB while writing, ${m.seconds.toFixed(1)} s`);
  assert.ok(m.fileMb > 200, `${m.fileMb} MB`);
  assert.equal(m.same, true, 'read back identical (NaN and Infinity as NaN, -0 as 0)');
  // The whole text as one string would take the file's size (and the nested arrays the old writer
  // built, several times the draws'); chunks of 64 KiB leave young garbage only (15–32 MB measured).
  assert.ok(m.peakMb < m.dataMb / 4, `peak RSS increase ${m.peakMb.toFixed(1)} MB writing a ${m.fileMb.toFixed(0)} MB file`);
});
