// Maintainer tool, optional: re-copies reference data from the project's shared reference folder into packages/nutmeg/test/fixtures/.
//
// The copies are committed (see packages/nutmeg/test/fixtures/README.md for their provenance), so a
// clone, its tests and CI never need the shared folder and never run this script. Run it only to
// refresh the fixtures, naming the folder explicitly:
//   node scripts/vendor-fixtures.mjs /path/to/shared        (or NUTMEG_SHARED=/path/to/shared)
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const source = process.argv[2] ?? process.env.NUTMEG_SHARED;
const OUT = join('packages', 'nutmeg', 'test', 'fixtures');
if (source === undefined || !existsSync(join(source, 'testvectors')) || !existsSync(join(source, 'reference'))) {
  console.error('usage: node scripts/vendor-fixtures.mjs SHARED_DIR (a folder holding testvectors/ and reference/)');
  console.error(`vendor-fixtures: nothing copied; the committed fixtures in ${OUT} stay as they are`);
  process.exit(2);
}
// SciPy log densities, R posterior diagnostics and R loo results, unchanged.
mkdirSync(join(OUT, 'testvectors'), { recursive: true });
for (const f of ['logpdf.json', 'diagnostics.json', 'loo.json']) copyFileSync(join(source, 'testvectors', f), join(OUT, 'testvectors', f));
// posteriordb reference posteriors and the local rstan radon runs: data and summaries (the thinned draws are not used by tests).
const ref = join(source, 'reference');
mkdirSync(join(OUT, 'reference'), { recursive: true });
copyFileSync(join(ref, 'README.md'), join(OUT, 'reference', 'README.md'));
cpSync(join(ref, '_scripts'), join(OUT, 'reference', '_scripts'), { recursive: true });
for (const name of readdirSync(ref)) {
  const dir = join(ref, name);
  if (name.startsWith('_') || !statSync(dir).isDirectory()) continue;
  mkdirSync(join(OUT, 'reference', name), { recursive: true });
  for (const f of ['data.json', 'summary.json']) copyFileSync(join(dir, f), join(OUT, 'reference', name, f));
}
console.log(`vendor-fixtures: copied ${source}/testvectors and ${source}/reference into ${OUT}`);
