// The --out folder: an earlier run's files removed (and only those), files written whole or not at all, and a full or read-only disk reported in one line.
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { arvizJsonChunks } from 'nutmeg';
import { writeFileAtomic } from 'nutmeg/node';
import { MANIFEST, OutputFolder, OutputError } from '../src/outputFolder.js';
import { run as radon } from '../src/radon/command.js';
import { FAST, fit, gaussianCsv, tempDir, writeText } from './fitHelpers.js';

const dir = tempDir('out-folder');
const data = writeText(dir, 'data.csv', gaussianCsv());

/** Files under `d`, relative, sorted (temporary files included, so that a leftover one shows). */
function files(d: string): string[] {
  return (readdirSync(d, { recursive: true }) as string[]).sort();
}

test('fit twice into one --out: the first run\'s predictions.csv is removed, a user\'s own file stays', async () => {
  const out = join(dir, 'fit-twice');
  mkdirSync(out);
  writeFileSync(join(out, 'notes.txt'), 'mine');
  const newRows = writeText(dir, 'new.csv', 'x,g\n0.5,a\n');
  const first = await fit([data, 'y ~ x + (1 | g)', ...FAST, '--out', out, '--predict', newRows]);
  assert.equal(first.code, 0, first.err);
  assert.ok(existsSync(join(out, 'predictions.csv')));
  const second = await fit([data, 'y ~ x', ...FAST, '--out', out]);
  assert.equal(second.code, 0, second.err);
  assert.deepEqual(files(out), [MANIFEST, 'chain_1.csv', 'chain_2.csv', 'idata.json', 'notes.txt', 'report.html', 'summary.json'].sort());
  assert.equal(readFileSync(join(out, 'notes.txt'), 'utf8'), 'mine');
  const manifest = JSON.parse(readFileSync(join(out, MANIFEST), 'utf8')) as { files: string[] };
  assert.deepEqual(manifest.files, ['idata.json', 'chain_1.csv', 'chain_2.csv', 'summary.json', 'report.html']);
});

test('radon twice into one --out: no stale figure of the first run\'s models stays beside the new summary', async () => {
  const out = join(dir, 'radon-twice');
  const io = { out: () => undefined, err: (s: string) => void (err += s), tty: false };
  let err = '';
  const small = ['--chains', '1', '--draws', '60', '--tune', '60', '--seed', '2', '--out', out];
  assert.equal(await radon(['--model', 'pooled,hierarchical', ...small], io), 0, err);
  assert.ok(existsSync(join(out, 'figures', 'trace_hierarchical.svg')));
  assert.equal(await radon(['--model', 'pooled', ...small], io), 0, err);
  const figures = readdirSync(join(out, 'figures'));
  assert.ok(figures.includes('trace_pooled.svg'), figures.join(', '));
  assert.deepEqual(figures.filter((f) => f.includes('hierarchical') || f.startsWith('.nutmeg-tmp-')), []);
  assert.deepEqual(Object.keys(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as object), ['pooled']);
});

test('a manifest naming files outside the folder (.., absolute paths) removes nothing there', async () => {
  const out = join(dir, 'hostile');
  mkdirSync(out);
  const outside = writeText(dir, 'outside.txt', 'keep');
  writeFileSync(join(out, MANIFEST), JSON.stringify({ files: ['../outside.txt', outside, '', 'sub/../../outside.txt', 42, 'own.txt'] }));
  writeFileSync(join(out, 'own.txt'), 'listed');
  const folder = await OutputFolder.open(out, 'test');
  assert.deepEqual(await folder.clearPrevious(), ['own.txt']);
  assert.equal(readFileSync(outside, 'utf8'), 'keep');
});

test('writeFileAtomic: a failed write leaves the earlier file as it was and no temporary file', async () => {
  const d = join(dir, 'atomic');
  mkdirSync(d);
  writeFileSync(join(d, 'a.json'), 'old');
  await assert.rejects(writeFileAtomic(join(d, 'missing', 'a.json'), 'new'), { code: 'ENOENT' });
  await writeFileAtomic(join(d, 'a.json'), 'new');
  assert.equal(readFileSync(join(d, 'a.json'), 'utf8'), 'new');
  assert.deepEqual(readdirSync(d), ['a.json']);
});

test('writeFileAtomic of pieces: written as they come; a piece that throws leaves the earlier file and no temporary file, and OutputFolder.write passes that error on as it is', async () => {
  const d = join(dir, 'pieces');
  mkdirSync(d);
  await writeFileAtomic(join(d, 'a.txt'), ['one ', new TextEncoder().encode('two '), 'three']);
  assert.equal(readFileSync(join(d, 'a.txt'), 'utf8'), 'one two three');
  const bug = new TypeError('a bug in the producer');
  function* failing(): Generator<string> {
    yield 'x'.repeat(100_000);
    throw bug;
  }
  await assert.rejects(writeFileAtomic(join(d, 'a.txt'), failing()), (e: unknown) => e === bug);
  assert.equal(readFileSync(join(d, 'a.txt'), 'utf8'), 'one two three');
  assert.deepEqual(readdirSync(d), ['a.txt']);
  // Not a file that could not be written (exit 1, "cannot write …"): the error itself, reported as a bug.
  const folder = await OutputFolder.open(join(d, 'out'), 'test');
  await assert.rejects(folder.write('b.json', failing()), (e: unknown) => e === bug);
  await folder.write('c.json', arvizJsonChunks({ nChains: 0, nDraws: 0, groups: {}, coords: {}, attrs: {} }));
  assert.equal(readFileSync(join(d, 'out', 'c.json'), 'utf8'), '{"coords":{},"dims":{},"attrs":{}}');
  assert.deepEqual(readdirSync(join(d, 'out')).sort(), [MANIFEST, 'c.json']);
});

test('OutputFolder.write: a failure is an OutputError naming the file and the reason', async () => {
  const d = join(dir, 'gone');
  const folder = await OutputFolder.open(d, 'test');
  // A file where the sub-folder should be: the write fails whatever the user's permissions.
  writeFileSync(join(d, 'figures'), 'in the way');
  const e = await folder.write('figures/a.svg', '<svg/>').then(() => undefined, (x: unknown) => x);
  assert.ok(e instanceof OutputError, String(e));
  assert.match(e.message, /^cannot write .*figures.a\.svg: (a part of the path is not a folder \(ENOTDIR\)|.*\(EEXIST\))$/);
});

// A real full disk and a read-only one: a 64 KB tmpfs (mounting needs root; otherwise the tests say why they skip).
const mountPoint = join(dir, 'tiny');
mkdirSync(mountPoint);
const canMount = process.platform === 'linux' && spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mountPoint]).status === 0;
after(() => {
  if (canMount) spawnSync('umount', [mountPoint]);
});

test('a disk that fills up half-way through a file written in pieces: ENOSPC, the earlier file kept, no temporary file, the producer closed', { skip: canMount ? false : 'mounting a 64 KB tmpfs needs root' }, async () => {
  const d = join(mountPoint, 'pieces');
  mkdirSync(d);
  try {
    writeFileSync(join(d, 'idata.json'), 'old');
    let produced = 0;
    let closed = false;
    function* pieces(): Generator<string> {
      try {
        for (let i = 0; i < 100; i++, produced++) yield `${'7'.repeat(4095)},`;
      } finally {
        closed = true;
      }
    }
    const folder = await OutputFolder.open(d, 'test');
    const e = await folder.write('idata.json', pieces()).then(() => undefined, (x: unknown) => x);
    assert.ok(e instanceof OutputError, String(e));
    assert.match(e.message, /^cannot write .*pieces.idata\.json: no space left on the device \(ENOSPC\)$/);
    assert.ok(produced > 4 && produced < 100, `stopped half-way, after ${produced} pieces of 4 KB`);
    assert.equal(closed, true, 'the producer is closed');
    assert.equal(readFileSync(join(d, 'idata.json'), 'utf8'), 'old');
    assert.deepEqual(readdirSync(d).sort(), [MANIFEST, 'idata.json']);
  } finally {
    execFileSync('rm', ['-rf', d]);
  }
});

test('a full disk: one line naming the file and ENOSPC, exit 1, the summary already printed, no truncated file', { skip: canMount ? false : 'mounting a 64 KB tmpfs needs root' }, async () => {
  const out = join(mountPoint, 'full');
  const r = await fit([data, 'y ~ x + (1 | g)', '--chains', '2', '--draws', '300', '--tune', '100', '--seed', '1', '--out', out]);
  assert.equal(r.code, 1, r.err);
  // The first write to fail names its file: idata.json, or the list of outputs written before it.
  assert.match(r.err, /^nutmeg fit: cannot write .*full.(idata\.json|\.nutmeg-outputs\.json): no space left on the device \(ENOSPC\)$/m);
  assert.doesNotMatch(r.err, /\n\s+at /);
  // The results computed are not lost: the summary is on stdout.
  assert.match(r.out, /b_x/);
  const left = readdirSync(out);
  // The checkpoint stays (a --resume after freeing space writes the outputs without sampling again).
  assert.deepEqual(left.filter((f) => f !== MANIFEST && f !== 'checkpoint'), [], `no partial file: ${left.join(', ')}`);
});

test('a read-only --out: refused before any work, exit 2, naming the folder and EROFS', { skip: canMount ? false : 'mounting a tmpfs needs root' }, async () => {
  execFileSync('mount', ['-o', 'remount,ro', mountPoint]);
  try {
    const start = Date.now();
    const r = await fit([data, 'y ~ x', ...FAST, '--out', join(mountPoint, 'full')]);
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, /^nutmeg fit: --out: cannot write to '.*full': read-only file system \(EROFS\)\n$/);
    assert.ok(Date.now() - start < 5000);
  } finally {
    execFileSync('mount', ['-o', 'remount,rw', mountPoint]);
  }
});
