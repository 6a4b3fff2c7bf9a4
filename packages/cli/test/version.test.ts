// `nutmeg --version` and `-V`: the CLI's version from its package.json (and the library's when it differs), exit code 0.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { main } from '../src/main.js';
import { versionText } from '../src/version.js';

const versionOf = (path: string): string => (JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as { version: string }).version;
const cliVersion = versionOf('../package.json');
const libraryVersion = versionOf('../../nutmeg/package.json');

/** Runs `main(argv)` and returns its exit code and everything it wrote to stdout and stderr. */
async function capture(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const origOut = process.stdout.write.bind(process.stdout);
  const origErr = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string) => ((out += s), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => ((err += s), true)) as typeof process.stderr.write;
  try {
    return { code: await main(argv), out, err };
  } finally {
    process.stdout.write = origOut;
    process.stderr.write = origErr;
  }
}

test('versionText: the CLI version, and the library version only when it differs', () => {
  const text = versionText();
  assert.match(cliVersion, /^\d+\.\d+\.\d+/);
  assert.equal(text, cliVersion === libraryVersion ? cliVersion : `${cliVersion} (nutmeg library ${libraryVersion})`);
});

for (const flag of ['--version', '-V']) {
  test(`nutmeg ${flag}: prints the version alone on a line and exits 0`, async () => {
    const r = await capture([flag]);
    assert.equal(r.code, 0);
    assert.equal(r.out, `${versionText()}\n`);
    assert.equal(r.err, '');
  });
}

test('nutmeg --help mentions --version', async () => {
  const r = await capture(['--help']);
  assert.equal(r.code, 0);
  assert.match(r.out, /-V, --version/);
});
