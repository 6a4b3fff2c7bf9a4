// `nutmeg loo` and `nutmeg compare` through the CLI entry point: every number equals R loo 2.5.1 (fixtures/testvectors/loo.json), and bad input exits 2 with a one-line message.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { toArvizJson, type InferenceData } from 'nutmeg';
import { main } from '../src/main.js';

interface LooCase {
  name: string;
  chains: number;
  draws: number;
  n: number;
  log_lik: number[][][];
  elpd_loo: number;
  se_elpd_loo: number;
  p_loo: number;
  se_p_loo: number;
  looic: number;
  se_looic: number;
  pointwise_elpd_loo: number[];
  pareto_k: number[];
}
interface CompareCase {
  name: string;
  log_lik: Record<string, number[][][]>;
  order: string[];
  elpd_diff: number[];
  se_diff: number[];
  elpd_loo: number[];
}
const fx = JSON.parse(readFileSync(new URL('../../nutmeg/test/fixtures/testvectors/loo.json', import.meta.url), 'utf8')) as {
  cases: LooCase[];
  comparisons: CompareCase[];
};

const dir = mkdtempSync(join(tmpdir(), 'nutmeg-loo-'));
function write(name: string, content: unknown): string {
  const p = join(dir, name);
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
  return p;
}
/** The log-likelihood as ArviZ InferenceData with a posterior too (as InferenceData.to_json writes it). */
function arvizOf(ll: number[][][], extraVar = false): string {
  const [chains, draws, n] = [ll.length, ll[0].length, ll[0][0].length];
  const values = Float64Array.from(ll.flat(2));
  const vars: InferenceData['groups']['posterior'] = { vars: { y: { dims: ['obs_id'], shape: [n], values } }, attrs: {} };
  if (extraVar) vars.vars.z = { dims: ['obs_id'], shape: [n], values: values.map((v) => v - 1) };
  const idata: InferenceData = {
    nChains: chains,
    nDraws: draws,
    groups: { posterior: { vars: { mu: { dims: [], shape: [], values: new Float64Array(chains * draws) } }, attrs: {} }, log_likelihood: vars },
    coords: { obs_id: Array.from({ length: n }, (_, i) => i) },
    attrs: {},
  };
  return toArvizJson(idata);
}

/** Runs `main(argv)` (the `nutmeg` entry) and returns its exit code and what it wrote to stdout and stderr. */
async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

/*
 * The CLI runs the library's loo, which matches R loo 2.5.1 to 1e-10 (packages/nutmeg/test/posterior/loo);
 * here the numbers have gone through files and JSON printing, compared to 1e-6 relative as the issue asks
 * (JSON.stringify prints shortest round-trip decimals, so they are in fact exact copies).
 * Pareto k is a shape near 0 (relative error meaningless) and elpd_diff/se_diff can be 0: absolute 1e-6.
 */
const REL = 1e-6;
function close(actual: number, expected: number, what: string, abs = false): void {
  const tol = abs ? REL : REL * Math.abs(expected);
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} vs ${expected}`);
}

test('nutmeg loo --json equals R loo 2.5.1 on every case, from plain and ArviZ JSON', async () => {
  const keys = ['elpd_loo', 'se_elpd_loo', 'p_loo', 'se_p_loo', 'looic', 'se_looic', 'pareto_k', 'pointwise_elpd_loo'];
  for (const c of fx.cases) {
    const files = [write(`${c.name}.json`, { log_lik: c.log_lik }), write(`${c.name}.idata.json`, arvizOf(c.log_lik))];
    for (const f of files) {
      const r = await cli(['loo', f, '--json']);
      assert.equal(r.code, 0, r.err);
      const j = JSON.parse(r.out) as Record<string, number & number[]>;
      assert.deepEqual(Object.keys(j), keys, 'exactly these keys, in this order');
      for (const k of keys.slice(0, 6)) close(j[k], c[k as keyof LooCase] as number, `${c.name} ${k}`);
      assert.equal(j.pareto_k.length, c.n);
      assert.equal(j.pointwise_elpd_loo.length, c.n);
      j.pareto_k.forEach((k, i) => close(k, c.pareto_k[i], `${c.name} pareto_k[${i}]`, true));
      j.pointwise_elpd_loo.forEach((e, i) => close(e, c.pointwise_elpd_loo[i], `${c.name} pointwise_elpd_loo[${i}]`));
      // k > 0.7 gives loo's warning, on stderr only.
      assert.equal(/too high/.test(r.err), c.pareto_k.some((k) => k > 0.7), `${c.name}: ${r.err}`);
    }
  }
});

test('nutmeg loo prints the table as print.loo, with the Pareto k table', async () => {
  const c = fx.cases[1]; // has bad and very bad k
  const r = await cli(['loo', write('table.json', { log_lik: c.log_lik })]);
  assert.equal(r.code, 0, r.err);
  const lines = r.out.split('\n');
  assert.equal(lines[0], `Computed from ${c.chains * c.draws} by ${c.n} log-likelihood matrix`);
  assert.match(lines[2], /^ +Estimate +SE$/);
  assert.match(lines[3], new RegExp(`^elpd_loo +${c.elpd_loo.toFixed(1).replace('.', '\\.')} +${c.se_elpd_loo.toFixed(1).replace('.', '\\.')}$`));
  assert.match(lines[4], new RegExp(`^p_loo +${c.p_loo.toFixed(1).replace('.', '\\.')} `));
  assert.match(lines[5], new RegExp(`^looic +${c.looic.toFixed(1).replace('.', '\\.')} `));
  assert.ok(lines.includes('Pareto k diagnostic values:'));
  assert.ok(lines.some((l) => /^ +\(1, Inf\) +\(very bad\) +\d+ /.test(l)));
  assert.match(r.err, /^Warning: Some Pareto k diagnostic values are too high/);
  // --var picks one of several log_likelihood variables.
  const two = write('two.idata.json', arvizOf(fx.cases[0].log_lik, true));
  const y = await cli(['loo', two, '--var', 'y', '--json']);
  assert.equal(y.code, 0, y.err);
  close((JSON.parse(y.out) as { elpd_loo: number }).elpd_loo, fx.cases[0].elpd_loo, 'elpd_loo of --var y');
});

test('nutmeg compare --json equals R loo_compare: order, elpd_loo, elpd_diff, se_diff; names from file names', async () => {
  for (const c of fx.comparisons) {
    const sub = join(dir, c.name);
    mkdirSync(sub, { recursive: true });
    const files = Object.entries(c.log_lik).map(([name, ll], j) => {
      const p = join(sub, `${name}.json`);
      writeFileSync(p, j === 1 ? arvizOf(ll) : JSON.stringify({ log_lik: ll })); // mixed formats
      return p;
    });
    const r = await cli(['compare', ...files, '--json']);
    assert.equal(r.code, 0, r.err);
    const rows = JSON.parse(r.out) as { name: string; elpd_loo: number; elpd_diff: number; se_diff: number }[];
    assert.deepEqual(rows.map((x) => x.name), c.order);
    rows.forEach((x, i) => {
      assert.deepEqual(Object.keys(x), ['name', 'elpd_loo', 'elpd_diff', 'se_diff']);
      close(x.elpd_loo, c.elpd_loo[i], `${c.name} elpd_loo ${x.name}`);
      close(x.elpd_diff, c.elpd_diff[i], `${c.name} elpd_diff ${x.name}`, true);
      close(x.se_diff, c.se_diff[i], `${c.name} se_diff ${x.name}`, true);
    });
    const t = await cli(['compare', ...files]);
    assert.equal(t.code, 0, t.err);
    const lines = t.out.trimEnd().split('\n');
    assert.match(lines[0], /^ +elpd_diff se_diff$/);
    c.order.forEach((name, i) => assert.match(lines[i + 1], new RegExp(`^${name} +${c.elpd_diff[i].toFixed(1).replace('.', '\\.')} +${c.se_diff[i].toFixed(1)}`)));
  }
});

test('bad input: exit code 2 and one line naming the file and the culprit, no stack trace', async () => {
  const ll = fx.cases[0].log_lik;
  const ragged = ll.map((chain, c) => (c === 1 ? chain.slice(1) : chain));
  const raggedObs = ll.map((chain, c) => chain.map((draw, d) => (c === 1 && d === 3 ? draw.slice(1) : draw)));
  const withNaN = JSON.stringify({ log_lik: ll }).replace(/^(\{"log_lik":\[\[\[(?:[^,]+,){4})[^,]+/, '$1NaN');
  const other = fx.cases.find((c) => c.n !== fx.cases[0].n)!;
  const a = write('a.json', { log_lik: ll });
  const cases: [string[], RegExp][] = [
    [['loo', join(dir, 'missing.json')], /missing\.json: cannot read: no such file/],
    [['loo', write('notjson.json', 'log_lik = [1, 2]')], /notjson\.json: invalid JSON at line 1, column 1/],
    [['loo', write('nolog.idata.json', toArvizJson({ nChains: 2, nDraws: 2, groups: { posterior: { vars: { mu: { dims: [], shape: [], values: new Float64Array(4) } }, attrs: {} } }, coords: {}, attrs: {} }))], /nolog\.idata\.json: no log_likelihood group \(groups: posterior\)/],
    [['loo', write('plain.json', { y: [1, 2] })], /plain\.json: no log-likelihood: expected ArviZ InferenceData JSON with a log_likelihood group, or \{"log_lik".*\(found keys: y\)/],
    [['loo', write('ragged.json', { log_lik: ragged })], /ragged\.json: log_lik: ragged array: at chain 1 there are \d+ draws where the first has \d+/],
    [['loo', write('raggedobs.json', { log_lik: raggedObs })], /raggedobs\.json: log_lik: ragged array: at chain 1, draw 3 there are \d+ observations where the first has \d+/],
    [['loo', write('text.json', { log_lik: [[[1, 'x']], [[1, 2]]] })], /text\.json: log_lik: at chain 0, draw 0, observation 1: expected a number, got "x"/],
    [['loo', write('flat.json', { log_lik: [[1, 2], [3, 4]] })], /flat\.json: log_lik: expected non-empty nested arrays \[chain\]\[draw\]\[observation\], got shape \[2, 2\]/],
    [['loo', write('nan.json', withNaN)], /nan\.json: log_lik: chain 0, draw 0, observation 4 is NaN; every log-likelihood value must be finite/],
    [['loo', write('nan.idata.json', arvizOf(ll).replace(/("log_likelihood":\{"y":\[\[\[)[^,]+/, '$1null'))], /nan\.idata\.json: y: chain 0, draw 0, observation 0 is NaN/],
    [['loo', write('twovars.idata.json', arvizOf(ll, true))], /twovars\.idata\.json: the log_likelihood group has 2 variables \(y, z\); choose one with --var/],
    [['loo', a, '--var', 'w'], /a\.json: no log_likelihood variable 'w' \(variables: log_lik\)/],
    [['loo', write('onedraw.json', { log_lik: [[[1, 2]]] })], /onedraw\.json: log_lik: needs at least 2 draws/],
    [['loo'], /missing required argument 'FILE'/],
    [['compare', a], /compare needs at least two files, got 1 \(.*a\.json\)/],
    [['compare', a, write('b.json', { log_lik: other.log_lik })], /b\.json: has \d+ observations but .*a\.json has 50; compare models of the same observations/],
    [['compare', a, write('a.txt', { log_lik: ll })], /a\.txt: model name 'a' is also the name of .*a\.json/],
    [['compare', a, write('c.json', 'null')], /c\.json: no log-likelihood/],
  ];
  for (const [argv, re] of cases) {
    const r = await cli(argv);
    assert.equal(r.code, 2, `${argv.join(' ')}: ${r.err}`);
    assert.match(r.err, re);
    assert.match(r.err, /^nutmeg (loo|compare): /);
    assert.equal(r.err.trimEnd().split('\n').length, 1, `one line: ${r.err}`);
    assert.equal(r.out, '');
  }
});

test('through a real process: exit code 2 and a clean message on stderr, JSON on stdout', () => {
  const script = `import('./packages/cli/src/main.ts').then((m) => m.main(process.argv.slice(1))).then((c) => { process.exitCode = c; });`;
  const node = (args: string[]) => spawnSync(process.execPath, ['--conditions=development', '--import', 'tsx', '-e', script, ...args], { encoding: 'utf8' });
  const ok = node(['loo', join(dir, `${fx.cases[0].name}.json`), '--json']);
  assert.equal(ok.status, 0, ok.stderr);
  close((JSON.parse(ok.stdout) as { elpd_loo: number }).elpd_loo, fx.cases[0].elpd_loo, 'elpd_loo');
  const bad = node(['compare', join(dir, 'ragged.json'), join(dir, 'a.json')]);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /^nutmeg compare: .*ragged\.json: log_lik: ragged array/);
  assert.doesNotMatch(bad.stderr, /\n\s+at /);
});
