// `nutmeg summary` reads CmdStan CSV as a stream of lines: the same chains as the whole-text reader, and memory that does not grow with the file.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readStanCsvChain } from 'nutmeg';
import { readStanCsvFile, run } from '../src/summary.js';

const FIXTURES = join(import.meta.dirname, '..', '..', 'nutmeg', 'test', 'fixtures', 'cmdstan');
const dir = mkdtempSync(join(tmpdir(), 'nutmeg-summary-stream-'));

test('readStanCsvFile (streamed) gives exactly the chain readStanCsvChain gives on the whole text: real CmdStan files', async () => {
  const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.csv'));
  assert.ok(files.length >= 5, files.join(', '));
  for (const f of files) {
    const path = join(FIXTURES, f);
    let whole: unknown;
    try {
      whole = readStanCsvChain(path, readFileSync(path, 'utf8'));
    } catch (e) {
      // Files that are refused (other methods, truncated chains) are refused the same way.
      await assert.rejects(readStanCsvFile(path), { message: (e as Error).message }, f);
      continue;
    }
    assert.deepEqual(await readStanCsvFile(path), whole, f);
  }
});

test('readStanCsvFile: lines cut by read boundaries, CRLF, a BOM, multi-byte characters across a boundary and no final line break read as the whole text does', async () => {
  const rows: string[] = [];
  for (let i = 0; i < 60_000; i++) rows.push(`${(-7 - (i % 97) / 97).toFixed(6)},${((i * 7919) % 1000 / 1000).toFixed(6)},${(i % 13) - 6.5}`);
  // A comment of multi-byte characters (3 bytes each) long enough to straddle the first 64 KiB read.
  const comment = `# note = ${'é€𝄞'.repeat(10_000)}`;
  const text = `\ufeff# method = sample (Default)\r\n#   num_samples = 60000\r\n${comment}\r\nlp__,theta,b.1\r\n${rows.join('\r\n')}`;
  const path = join(dir, 'edges.csv');
  writeFileSync(path, text);
  assert.ok(statSync(path).size > 1024 * 1024, 'many reads of 64 KiB');
  const streamed = await readStanCsvFile(path);
  assert.deepEqual(streamed, readStanCsvChain(path, text));
  assert.equal(streamed.rows.length, 60_000);
});

/** Runs `code` (an ES module body with `file` defined) in a fresh process; returns what it printed as JSON. */
function child(code: string, file: string): { peakMb: number; lines?: number; chars?: number } {
  const readText = JSON.stringify(new URL('../src/readText.ts', import.meta.url).href);
  const script = `import { readLines, readText } from ${readText};\nconst file = ${JSON.stringify(file)};\nconst base = process.memoryUsage().rss;\n${code}\nconsole.log(JSON.stringify({ ...result, peakMb: (process.resourceUsage().maxRSS * 1024 - base) / 1e6 }));`;
  const r = spawnSync(process.execPath, ['--conditions=development', '--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as { peakMb: number; lines?: number; chars?: number };
}

test('CmdStan CSV is read as a stream: reading a 50 MB file line by line adds a few MB of memory, reading it whole more than its size', { timeout: 120_000 }, (t) => {
  const path = join(dir, 'big.csv');
  const block = Array.from({ length: 20_000 }, (_, i) => `${-7 - i / 1e5},${(i / 2e4).toFixed(6)},0.8123,3,7,0,${8 + i / 1e5},${(i % 1000) / 1000}`).join('\n') + '\n';
  const fd = openSync(path, 'w');
  writeSync(fd, 'lp__,accept_stat__,stepsize__,treedepth__,n_leapfrog__,divergent__,energy__,theta\n');
  while (statSync(path).size < 50e6) writeSync(fd, block);
  closeSync(fd);
  const mb = statSync(path).size / 1e6;
  const streamed = child('let lines = 0; await readLines(file, () => { lines++; }); const result = { lines };', path);
  const whole = child('const result = { chars: (await readText(file, Infinity)).length };', path);
  t.diagnostic(`${mb.toFixed(0)} MB file: peak RSS increase ${streamed.peakMb.toFixed(1)} MB streamed, ${whole.peakMb.toFixed(1)} MB read whole`);
  assert.ok(streamed.lines! > 500_000);
  assert.ok(whole.chars! >= mb * 1e6 - 1);
  // Streaming holds one 64 KiB piece at a time; what RSS shows beyond that is garbage the young
  // generation has not collected yet (2.4–17 MB measured, by load), far below the whole read's 150 MB.
  assert.ok(streamed.peakMb < mb / 2, `streamed: ${streamed.peakMb.toFixed(1)} MB for a ${mb.toFixed(0)} MB file`);
  assert.ok(whole.peakMb > mb, `the whole-text reader, for contrast: ${whole.peakMb.toFixed(1)} MB`);
});

test('summary: an unexpected error (a bug) is one line naming a log file with the stack, exit 1, as in the other commands', async () => {
  const path = join(FIXTURES, 'cmdstanpy-bern-1.csv');
  let err = '';
  // Writing the table fails with an error nutmeg does not expect.
  const out = (): void => {
    throw new TypeError('cannot write the table');
  };
  const code = await run([path], { out, err: (s) => void (err += s) });
  assert.equal(code, 1);
  const m = /^nutmeg summary: unexpected error: cannot write the table \(a bug in nutmeg; details in (.+nutmeg-error-[^)]+\.log)\)\n$/.exec(err);
  assert.ok(m, err);
  const log = readFileSync(m[1], 'utf8');
  assert.match(log, /^nutmeg summary ".*cmdstanpy-bern-1\.csv"/);
  assert.match(log, /TypeError: cannot write the table\n\s+at /);
});
