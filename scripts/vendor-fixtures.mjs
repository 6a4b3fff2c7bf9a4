// Copies the reference data the tests use from ../shared/ (beside a development checkout) into packages/nutmeg/test/fixtures/,
// so that a plain clone is self-contained. Run again only when ../shared/ changes; the copies are committed.
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const SHARED = process.env.NUTMEG_SHARED ?? join('..', 'shared');
const OUT = join('packages', 'nutmeg', 'test', 'fixtures');
if (!existsSync(SHARED)) {
  console.error(`vendor-fixtures: ${SHARED} not found (set NUTMEG_SHARED to the shared folder)`);
  process.exit(2);
}
// SciPy log densities, R posterior diagnostics and R loo results, unchanged.
mkdirSync(join(OUT, 'testvectors'), { recursive: true });
for (const f of ['logpdf.json', 'diagnostics.json', 'loo.json']) copyFileSync(join(SHARED, 'testvectors', f), join(OUT, 'testvectors', f));
// posteriordb reference posteriors and the local rstan radon runs: data and summaries (the thinned draws are not used by tests).
const ref = join(SHARED, 'reference');
mkdirSync(join(OUT, 'reference'), { recursive: true });
copyFileSync(join(ref, 'README.md'), join(OUT, 'reference', 'README.md'));
cpSync(join(ref, '_scripts'), join(OUT, 'reference', '_scripts'), { recursive: true });
for (const name of readdirSync(ref)) {
  const dir = join(ref, name);
  if (name.startsWith('_') || !statSync(dir).isDirectory()) continue;
  mkdirSync(join(OUT, 'reference', name), { recursive: true });
  for (const f of ['data.json', 'summary.json']) copyFileSync(join(dir, f), join(OUT, 'reference', name, f));
}
console.log(`vendor-fixtures: copied ${SHARED}/testvectors and ${SHARED}/reference into ${OUT}`);
