// `nutmeg summary` on hostile inputs (huge, binary, control characters) and on real CmdStan output read by its header.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { run } from '../src/summary.js';
import { MAX_CSV_BYTES, MAX_INPUT_BYTES } from '../src/readText.js';

const dir = mkdtempSync(join(tmpdir(), 'nutmeg-summary-inputs-'));
const CMDSTAN = join(import.meta.dirname, '..', '..', 'nutmeg', 'test', 'fixtures', 'cmdstan');

async function call(argv: string[]): Promise<{ code: number; out: string; err: string; ms: number }> {
  let out = '';
  let err = '';
  const t0 = performance.now();
  const code = await run(argv, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err, ms: performance.now() - t0 };
}

/** Exit 2, one message line naming the file, no stack, nothing on stdout, no raw control bytes. */
function refused(r: { code: number; out: string; err: string }, re: RegExp): void {
  assert.equal(r.code, 2, r.err);
  assert.equal(r.out, '');
  assert.match(r.err, /^nutmeg summary: /);
  assert.match(r.err, re);
  assert.doesNotMatch(r.err, /\n\s+at /);
  assert.equal(r.err.split('\n').length, 2, 'one line');
  // eslint-disable-next-line no-control-regex
  assert.doesNotMatch(r.err.slice(0, -1), /[\u0000-\u0008\u000b-\u001f\u007f\ufffd]/, 'no raw control bytes');
}

test('a 600 MB JSON file (sparse) is refused from its size, quickly, with the size and the limit', async () => {
  const p = join(dir, 'huge.json');
  writeFileSync(p, '');
  truncateSync(p, 600 * 1024 * 1024);
  const r = await call([p]);
  refused(r, /huge\.json: 600 MiB, above the limit of 256 MiB for one input file/);
  assert.ok(r.ms < 2000, `${r.ms} ms`);
  assert.equal(MAX_INPUT_BYTES, 256 * 1024 * 1024);
});

test('CmdStan CSV is streamed, so its limit is 4 GiB: a 5 GiB file (sparse) is refused from its size, a 600 MB one is read (here: refused as binary from its first bytes)', async () => {
  const p = join(dir, 'huge.csv');
  writeFileSync(p, '');
  truncateSync(p, 5 * 1024 * 1024 * 1024);
  let r = await call([p]);
  refused(r, /huge\.csv: 5\.0 GiB, above the limit of 4\.0 GiB for one CmdStan CSV file/);
  assert.ok(r.ms < 2000, `${r.ms} ms`);
  truncateSync(p, 600 * 1024 * 1024);
  r = await call([p]);
  refused(r, /huge\.csv: a binary file, not text \(a NUL byte at offset 0\)/);
  assert.ok(r.ms < 2000, `${r.ms} ms`);
  assert.equal(MAX_CSV_BYTES, 4 * 1024 * 1024 * 1024);
});

test('a binary file is refused from its first bytes, without echoing them', async () => {
  const nul = join(dir, 'nul.json');
  writeFileSync(nul, '');
  truncateSync(nul, 200 * 1024 * 1024); // 200 MiB of NULs (sparse), under the size limit
  const r = await call([nul]);
  refused(r, /nul\.json: a binary file, not text \(a NUL byte at offset 0\)/);
  assert.ok(r.ms < 2000, `${r.ms} ms for 200 MiB of NULs`);
  const latin = join(dir, 'latin1.csv');
  writeFileSync(latin, Buffer.concat([Buffer.from('lp__,th'), Buffer.from([0xe9, 0xff, 0xfe]), Buffer.from('ta\n1,2\n')]));
  refused(await call([latin]), /latin1\.csv: not UTF-8 text \(byte 0xE9 at offset 7\)/);
  const late = join(dir, 'late.csv');
  writeFileSync(late, Buffer.concat([Buffer.from('lp__,theta\n' + '-1,0.5\n'.repeat(20000)), Buffer.from([0xc3, 0x28, 0x0a])]));
  refused(await call([late]), /late\.csv: not UTF-8 text \(at byte offset 140011\)/);
});

test('control characters from a file or its name are escaped in messages', async () => {
  const p = join(dir, 'esc.csv');
  writeFileSync(p, 'lp__,theta\n-1,\u001b[31mred\u0007\n');
  refused(await call([p]), /esc\.csv: line 2, column 2 \('theta'\): expected a number, got "\\u001b\[31mred\\u0007"/);
  const q = join(dir, 'bad\u001bname.json');
  writeFileSync(q, '{"mu": [[1, 2], [3]]}');
  refused(await call([q]), /bad\\u001bname\.json: variable 'mu': ragged array/);
  const long = join(dir, 'long.csv');
  writeFileSync(long, `lp__,theta\n-1,${'x'.repeat(100000)}\n`);
  const r = await call([long]);
  refused(r, /long\.csv: line 2, column 2 \('theta'\): expected a number, got "x{40}…"/);
  assert.ok(r.err.length < 200);
});

test('real CmdStan output: a good run is summarised; other methods, other models and truncated chains exit 2', async () => {
  const good = [1, 2, 3, 4].map((c) => join(CMDSTAN, `cmdstanpy-bern-${c}.csv`));
  const r = await call([...good, '--json', '--var', 'theta']);
  assert.equal(r.code, 0, r.err);
  const theta = good.flatMap((f) => readFileSync(f, 'utf8').split('\n').filter((l) => /^[-0-9]/.test(l)).map((l) => Number(l.split(',')[7])));
  assert.equal(theta.length, 400);
  const mean = theta.reduce((a, b) => a + b, 0) / theta.length;
  const got = (JSON.parse(r.out) as Record<string, { mean: number }>).theta.mean;
  assert.ok(Math.abs(got - mean) <= 1e-14, `${got} vs ${mean}`);
  refused(await call([join(CMDSTAN, 'cmdstanpy-rosenbrock_mle.csv')]), /cmdstanpy-rosenbrock_mle\.csv: CmdStan 'optimize' output: a point estimate/);
  refused(await call([join(CMDSTAN, 'cmdstanr-bernoulli-1-variational.csv')]), /'variational' output: ADVI output: the first row is the approximation's mean/);
  refused(await call([good[0], join(CMDSTAN, 'cmdstanpy-bad-hdr-bern-4.csv')]), /cmdstanpy-bad-hdr-bern-4\.csv and .*cmdstanpy-bern-1\.csv are not chains of one run: their headers differ in 'model' \("foo" vs "bernoulli_model"\)/);
  refused(await call([join(CMDSTAN, 'cmdstanpy-output_bad_rows.csv')]), /9 draw rows where the header \(num_samples = 10\) means 10: the chain is incomplete/);
  const bare = join(dir, 'bare.csv');
  writeFileSync(bare, 'lp,accept_stat,theta\n-7,0.9,0.2\n-7.1,0.8,0.3\n');
  refused(await call([bare]), /bare\.csv: column 'lp' is named like CmdStan's sampler column 'lp__' but lacks the '__'/);
});
