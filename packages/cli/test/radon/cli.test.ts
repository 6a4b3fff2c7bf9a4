// `nutmeg radon`: bad options and an unwritable output folder exit with code 2 and a message naming the option; the top level lists the commands.
import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { run } from '../../src/radon/command.js';
import { main } from '../../src/main.js';

async function call(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(argv, { out: (s) => (out += s), err: (s) => (err += s), tty: false });
  return { code, out, err };
}

const cases: [string[], string][] = [
  [['--chains', '0'], '--chains'],
  [['--chains', 'four'], '--chains'],
  [['--draws', '-5'], '--draws'],
  [['--tune', '1.5'], '--tune'],
  [['--seed', 'x'], '--seed'],
  [['--model', 'partial'], '--model'],
  [['--model', 'pooled,bogus'], '--model'],
  [['--priors', 'vague'], '--priors'],
  [['--method', 'gibbs'], '--method'],
  [['--frobnicate'], '--frobnicate'],
  [['--out'], '--out'],
  [['--png-scale', 'big'], '--png-scale'],
  [['--png-scale', '9'], '--png-scale'],
  [['--png-scale', '0'], '--png-scale'],
];

for (const [argv, option] of cases) {
  test(`radon ${argv.join(' ')}: exit 2, message names ${option}`, async () => {
    const r = await call(argv);
    assert.equal(r.code, 2);
    assert.ok(r.err.includes(option), r.err);
    assert.ok(r.err.startsWith('nutmeg radon: '), r.err);
    assert.ok(!/\n\s+at /.test(r.err), `no stack trace: ${r.err}`);
    assert.equal(r.out, '');
  });
}

test('an output folder that cannot be created: exit 2 naming --out', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nutmeg-radon-cli-'));
  const file = join(dir, 'a-file');
  writeFileSync(file, 'x');
  const r = await call(['--out', join(file, 'report'), '--chains', '1', '--draws', '1', '--tune', '0']);
  assert.equal(r.code, 2);
  assert.match(r.err, /--out: cannot write to/);
  assert.ok(r.err.includes('is not a folder'), r.err);
});

test('radon --help lists every option and exits 0', async () => {
  const r = await call(['--help']);
  assert.equal(r.code, 0);
  for (const o of ['--model', '--priors', '--method', '--chains', '--draws', '--tune', '--seed', '--out', '--quiet']) assert.ok(r.out.includes(o), o);
});

test('nutmeg --help lists the radon and summary commands; an unknown command exits 2', async () => {
  const written: string[] = [];
  const orig = process.stdout.write.bind(process.stdout);
  const origErr = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string) => (written.push(s), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => (written.push(s), true)) as typeof process.stderr.write;
  let help: number;
  let bad: number;
  try {
    help = await main(['--help']);
    bad = await main(['nonsense']);
  } finally {
    process.stdout.write = orig;
    process.stderr.write = origErr;
  }
  assert.equal(help, 0);
  assert.equal(bad, 2);
  const text = written.join('');
  assert.match(text, /radon\s+the radon case study/);
  assert.match(text, /summary\s+summarise draws/);
  assert.match(text, /unknown command 'nonsense'/);
});
