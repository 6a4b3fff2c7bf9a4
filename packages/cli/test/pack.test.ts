// Packs the three workspaces (library, queue, CLI), checks what the tarballs hold, installs them offline into fresh projects and runs the library and the `nutmeg` command from there as a user would.
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { offlineLock, type PackedWorkspace } from './pack/offlineLock.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const npmMissing = spawnSync('npm', ['--version'], { encoding: 'utf8' }).status !== 0;
const skip = npmMissing ? 'npm is not on the PATH: cannot pack or install' : false;

// Child npm processes must not inherit `npm test`'s idea of the current project (local prefix, package fields).
const env: NodeJS.ProcessEnv = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !/^npm_(config_local_prefix$|package_|lifecycle_|command$)/.test(k) && k !== 'INIT_CWD'),
);
const run = (cmd: string, args: string[], cwd: string): string =>
  execFileSync(cmd, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
const npm = (args: string[], cwd: string): string => run('npm', ['--no-audit', '--no-fund', '--no-update-notifier', ...args], cwd);

/** What `npm pack --json` says about one tarball. */
interface PackReport {
  filename: string;
  size: number;
  unpackedSize: number;
  entryCount: number;
  files: { path: string }[];
}

/** The posterior of mu in the test model: mu ~ Normal(0, 10), y ~ Normal(mu, 1) with y = [0.5, 1.5, 1.0]. */
const POSTERIOR_MEAN = 3 / (3 + 1 / 100);

// A user's first script: a tiny model, 2 chains × 100 draws on worker threads, a summary, a draws file.
const SAMPLE_SCRIPT = `
Promise.all([import('nutmeg'), import('nutmeg/node'), import('node:fs')]).then(async ([n, node, fs]) => {
  const m = new n.Model();
  const mu = m.rv('mu', n.Normal({ mu: 0, sigma: 10 }));
  m.rv('y', n.Normal({ mu, sigma: 1 }), { observed: new Float64Array([0.5, 1.5, 1.0]) });
  const idata = await n.sample(m.compile(), { draws: 100, tune: 100, chains: 2, cores: 2, seed: 1, progress: false });
  const rows = n.summary(idata);
  fs.writeFileSync('draws.json', n.toDrawsJson(idata));
  const mu0 = rows.find((r) => r.label === 'mu').stats;
  console.log(JSON.stringify({ parallel: idata.attrs.settings.parallel, mean: mu0.mean, mcse: mu0.mcse_mean, nodeExports: Object.keys(node), table: n.formatSummaryTable(rows) }));
});`;

let work = '';
const packed: Record<string, PackReport> = {};

/** Every file below `dir` (relative paths), for scanning an installed node_modules. */
function walk(dir: string, prefix = ''): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    const rel = prefix + name;
    return statSync(p).isDirectory() ? walk(p, `${rel}/`) : [rel];
  });
}

/** The latest modification time of any file below `dir`. */
const newestMtime = (dir: string): number => Math.max(...walk(dir).map((f) => statSync(join(dir, f)).mtimeMs));

/** Kilobytes on disk, as `du -sk` counts them. */
const diskKb = (dir: string): number => Number(run('du', ['-sk', dir], work).split('\t')[0]);

/** Creates `npm init -y` project `name` depending on the given tarballs and installs it from the npm cache alone. */
function installProject(name: string, workspaces: PackedWorkspace[]): string {
  const dir = join(work, name);
  mkdirSync(dir);
  npm(['init', '-y'], dir);
  npm(['pkg', 'set', 'type=module', ...workspaces.map((w) => `dependencies.${w.name}=file:${w.tarball}`)], dir);
  writeFileSync(join(dir, 'package-lock.json'), JSON.stringify(offlineLock(join(ROOT, 'package-lock.json'), name, workspaces), null, 2));
  npm(['ci', '--offline'], dir);
  return dir;
}

/** The installed packages (lock entries of node_modules/.package-lock.json), keyed by location. */
function installed(dir: string): Record<string, { version: string; dependencies?: Record<string, string> }> {
  return (JSON.parse(readFileSync(join(dir, 'node_modules/.package-lock.json'), 'utf8')) as { packages: Record<string, { version: string }> }).packages;
}

/** Every file target of a package.json `exports` or `imports` map, except the TypeScript sources of the `development` condition. */
function targets(map: unknown): string[] {
  if (typeof map === 'string') return [map.replace(/^\.\//, '')];
  if (map === null || typeof map !== 'object') return [];
  return Object.entries(map).flatMap(([k, v]) => (k === 'development' ? [] : targets(v)));
}

before(() => {
  if (skip) return;
  // Build a package whose dist is missing or older than its sources (in CI, `npm ci` has just built both).
  for (const [workspace, folder, output] of [['nutmeg', 'nutmeg', 'dist/src/platform/node/chainWorker.bundle.js'], ['@nutmeg/queue', 'queue', 'dist/index.js'], ['@nutmeg/cli', 'cli', 'dist/radon/figureWorker.bundle.js']]) {
    const dist = join(ROOT, 'packages', folder, output);
    if (!existsSync(dist) || newestMtime(join(ROOT, 'packages', folder, 'src')) > statSync(dist).mtimeMs) npm(['run', 'build', '-w', workspace], ROOT);
  }
  work = mkdtempSync(join(tmpdir(), 'nutmeg-pack-'));
  for (const pkg of ['nutmeg', 'queue', 'cli']) {
    const [report] = JSON.parse(npm(['pack', '--json', '--ignore-scripts', '--pack-destination', work], join(ROOT, 'packages', pkg))) as PackReport[];
    packed[pkg] = report;
  }
});

after(() => {
  if (work !== '') rmSync(work, { recursive: true, force: true });
});

/** Paths no tarball may hold: tests, benchmarks, fixtures, images, TypeScript sources, scripts. */
const UNSHIPPABLE = /(^|\/)(test|tests|bench|fixtures|images|docs|scripts)\/|\.(png|svg)$|(?<!\.d)\.ts$|\.test\.|^src\//;

test('the library tarball: built code with its worker bundle and every exports/imports target, a README, nothing else', { skip }, (t) => {
  const p = packed.nutmeg;
  const files = new Set(p.files.map((f) => f.path));
  const manifest = JSON.parse(readFileSync(join(ROOT, 'packages/nutmeg/package.json'), 'utf8')) as { exports: unknown; imports: unknown; dependencies: Record<string, string> };
  const needed = [...targets(manifest.exports), ...targets(manifest.imports), 'dist/src/platform/node/chainWorker.bundle.js', 'README.md'];
  for (const f of needed) assert.ok(files.has(f), `${p.filename} lacks ${f}`);
  assert.ok(needed.some((f) => f.includes('platform/portable/')) && needed.some((f) => f.includes('platform/node/')), 'both #platform targets checked');
  for (const f of files) assert.ok(!UNSHIPPABLE.test(f), `${p.filename} ships ${f}`);
  for (const dep of ['commander', '@resvg/resvg-js', 'nutmeg', 'bullmq', 'ioredis', '@nutmeg/queue']) assert.ok(!(dep in manifest.dependencies), `the library depends on ${dep}`);
  t.diagnostic(`${p.filename}: ${p.size} B packed, ${p.unpackedSize} B unpacked, ${p.entryCount} files`);
});

test('the CLI tarball: bin, built code with its figure-thread bundle, the radon data and a README, nothing else', { skip }, (t) => {
  const p = packed.cli;
  const files = new Set(p.files.map((f) => f.path));
  for (const f of ['bin/nutmeg.js', 'dist/main.js', 'dist/version.js', 'dist/summary.js', 'dist/radon/command.js', 'dist/radon/figureWorker.bundle.js', 'data/radon.csv', 'README.md', 'package.json']) {
    assert.ok(files.has(f), `${p.filename} lacks ${f}`);
  }
  for (const f of files) assert.ok(!UNSHIPPABLE.test(f), `${p.filename} ships ${f}`);
  t.diagnostic(`${p.filename}: ${p.size} B packed, ${p.unpackedSize} B unpacked, ${p.entryCount} files`);
});

test('the queue tarball: built code and a README, nothing else; it depends on nutmeg, bullmq and ioredis', { skip }, (t) => {
  const p = packed.queue;
  const files = new Set(p.files.map((f) => f.path));
  for (const f of ['dist/index.js', 'dist/index.d.ts', 'dist/runWorker.js', 'dist/redisExecutor.js', 'dist/payloadSchema.js', 'README.md', 'package.json']) assert.ok(files.has(f), `${p.filename} lacks ${f}`);
  for (const f of files) assert.ok(!UNSHIPPABLE.test(f), `${p.filename} ships ${f}`);
  const manifest = JSON.parse(readFileSync(join(ROOT, 'packages/queue/package.json'), 'utf8')) as { dependencies: Record<string, string> };
  assert.deepEqual(Object.keys(manifest.dependencies).sort(), ['bullmq', 'ioredis', 'nutmeg']);
  t.diagnostic(`${p.filename}: ${p.size} B packed, ${p.unpackedSize} B unpacked, ${p.entryCount} files`);
});

test('a fresh project installs the library alone and samples with it; no native addon, no CLI framework of ours', { skip }, (t) => {
  const dir = installProject('library-only', [
    { name: 'nutmeg', location: 'packages/nutmeg', tarball: `../${packed.nutmeg.filename}`, tarballPath: join(work, packed.nutmeg.filename) },
  ]);
  const out = JSON.parse(run(process.execPath, ['-e', SAMPLE_SCRIPT], dir)) as { parallel: boolean; mean: number; mcse: number; nodeExports: string[]; table: string };
  assert.equal(out.parallel, true, 'the two chains ran on worker threads');
  assert.ok(Math.abs(out.mean - POSTERIOR_MEAN) < 4 * out.mcse, `posterior mean ${out.mean} vs ${POSTERIOR_MEAN} (MCSE ${out.mcse})`);
  assert.match(out.table, /^mu\s/m);
  assert.ok(out.nodeExports.includes('writeFigure'), `nutmeg/node exports ${out.nodeExports.join(', ')}`);
  assert.ok(existsSync(join(dir, 'draws.json')));

  const modules = join(dir, 'node_modules');
  const native = walk(modules).filter((f) => f.endsWith('.node') || f.endsWith('binding.gyp'));
  assert.deepEqual(native, [], 'no native addon');
  assert.ok(!existsSync(join(modules, '@resvg')), 'no @resvg');
  assert.ok(!existsSync(join(modules, '.bin/nutmeg')), 'the library has no command');
  // vega's d3-dsv, d3-geo-projection and topojson-client ship small command-line tools built on commander 7; nothing else may bring a CLI framework.
  const packages = installed(dir);
  const needCommander = Object.entries(packages).filter(([, e]) => e.dependencies?.commander !== undefined).map(([loc]) => loc.replace(/^.*node_modules\//, ''));
  assert.deepEqual(needCommander.filter((name) => !/^(d3-|topojson-)/.test(name)), [], 'only vega\'s d3 and topojson tools need commander');
  t.diagnostic(`library only: ${Object.keys(packages).length} packages, ${diskKb(modules)} KB in node_modules`);
});

test('with @nutmeg/cli installed too: `npx nutmeg --version`, `npx nutmeg summary` and `npx nutmeg worker --help` work', { skip }, (t) => {
  const dir = installProject('with-cli', [
    { name: 'nutmeg', location: 'packages/nutmeg', tarball: `../${packed.nutmeg.filename}`, tarballPath: join(work, packed.nutmeg.filename) },
    { name: '@nutmeg/queue', location: 'packages/queue', tarball: `../${packed.queue.filename}`, tarballPath: join(work, packed.queue.filename) },
    { name: '@nutmeg/cli', location: 'packages/cli', tarball: `../${packed.cli.filename}`, tarballPath: join(work, packed.cli.filename) },
  ]);
  const version = (JSON.parse(readFileSync(join(ROOT, 'packages/cli/package.json'), 'utf8')) as { version: string }).version;
  assert.equal(run('npx', ['--offline', 'nutmeg', '--version'], dir).trim(), version);

  const lib = JSON.parse(run(process.execPath, ['-e', SAMPLE_SCRIPT], dir)) as { mean: number };
  const summary = JSON.parse(run('npx', ['--offline', 'nutmeg', 'summary', 'draws.json', '--json'], dir)) as Record<string, Record<string, number>>;
  assert.deepEqual(Object.keys(summary), ['mu']);
  assert.ok(Math.abs(summary.mu.mean - lib.mean) < 1e-12, `CLI mean ${summary.mu.mean} vs library ${lib.mean}`);
  const packages = installed(dir);
  assert.ok(Object.keys(packages).includes('node_modules/commander'), 'the CLI brings commander');
  assert.ok(Object.keys(packages).includes('node_modules/bullmq'), 'the CLI brings the queue with BullMQ');
  assert.match(run('npx', ['--offline', 'nutmeg', 'worker', '--help'], dir), /--redis <URL>/);
  t.diagnostic(`library + CLI: ${Object.keys(packages).length} packages, ${diskKb(join(dir, 'node_modules'))} KB in node_modules`);
});
