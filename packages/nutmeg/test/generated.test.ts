// The committed generated files (the @stdlib bundle, the assembled WebAssembly kernels, the formula and prior-string parsers) are exactly what their generator scripts produce today.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const PACKAGE = new URL('../', import.meta.url);

/** Generator script and its arguments → the committed file it writes (paths relative to packages/nutmeg). */
const GENERATED: [script: string, args: string[], output: string][] = [
  ['scripts/bundle-stdlib.mjs', [], 'src/math/vendor/stdlib.bundle.ts'],
  ['scripts/build-wasm.mjs', [], 'src/inference/hmc/vectorKernels.wasm.ts'],
  ['scripts/build-wasm.mjs', ['libmKernels'], 'src/core/libm/libmKernels.wasm.ts'],
  ['scripts/build-parsers.mjs', ['formula'], 'src/formula/generated/formulaParser.ts'],
  ['scripts/build-parsers.mjs', ['prior'], 'src/formula/generated/priorParser.ts'],
];

for (const [script, args, output] of GENERATED) {
  test(`${output} matches what ${script} generates`, () => {
    // `-` makes the script print the module instead of writing it: the tree is left untouched.
    const r = spawnSync(process.execPath, [fileURLToPath(new URL(script, PACKAGE)), ...args, '-'], { encoding: 'utf8', maxBuffer: 16 << 20 });
    assert.equal(r.status, 0, `${script} failed: ${r.stderr}`);
    const committed = readFileSync(new URL(output, PACKAGE), 'utf8');
    // One message instead of a 140 kB diff: regenerate with `npm run bundle:stdlib`, `npm run build:wasm` or `npm run build:formula` in packages/nutmeg.
    let at = 0;
    while (at < committed.length && r.stdout[at] === committed[at]) at++;
    assert.ok(r.stdout === committed, `${output} differs from the output of ${script} from character ${at} on: run the script and commit the result`);
  });
}
