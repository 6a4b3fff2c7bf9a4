// Runs every test file of the workspace's packages (packages/*/test, except the slow SBC suite) and of the web app (web/test) with Node's test runner and tsx.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function find(dir, out) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) find(p, out);
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}
// `--fuzz` runs only the property-based suites (`*.fuzz.test.ts`; `npm run test:fuzz` also sets
// NUTMEG_FUZZ_RUNS=10000); without it every test file runs, the fuzz suites with a few hundred cases.
const args = process.argv.slice(2);
const fuzzOnly = args.includes('--fuzz');
const only = args.filter((a) => a !== '--fuzz');
const all = [...readdirSync('packages').flatMap((pkg) => find(join('packages', pkg, 'test'), [])), ...find(join('web', 'test'), [])].sort();
const files = only.length > 0 ? only : fuzzOnly ? all.filter((f) => f.endsWith('.fuzz.test.ts')) : all;
const r = spawnSync(process.execPath, ['--conditions=development', '--import', 'tsx', '--test', '--test-reporter=spec', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
