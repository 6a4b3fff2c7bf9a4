// Property-based tests of the input readers (InferenceData JSON, draws JSON, CmdStan CSV): any input gives results or a typed, bounded, located error.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { InputError } from '../../src/core/errors.js';
import { fromArvizJson, toArvizJson } from '../../src/io/arvizJson.js';
import { fromDrawsJson, toDrawsJson } from '../../src/io/drawsJson.js';
import { fromStanCsv, toStanCsv } from '../../src/io/stanCsv.js';
import type { InferenceData, VariableArray } from '../../src/posterior/inferenceData.js';
import { fuzzRuns } from '../helpers/fuzzRuns.js';

/** Longest error message allowed, besides the file name. */
const MAX_MESSAGE = 600;
/** Longest time one reader call may take on these small inputs. */
const MAX_MS = 2000;

type Reader = (text: string) => unknown;
const FILE = 'fz.in';
const readers: Record<string, Reader> = {
  arviz: (t) => fromArvizJson(t, FILE),
  draws: (t) => fromDrawsJson(t, FILE),
  csv: (t) => fromStanCsv([{ name: FILE, text: t }]),
};

/** Runs a reader: success, or an InputError naming the file with a short message; never another error, never slow. */
function readsOrRefuses(read: Reader, text: string, names: readonly string[] = [FILE]): { ok: true; value: unknown } | { ok: false; message: string } {
  const t0 = performance.now();
  let result: { ok: true; value: unknown } | { ok: false; message: string };
  try {
    result = { ok: true, value: read(text) };
  } catch (e) {
    if (!(e instanceof InputError)) throw new Error(`not an InputError: ${String(e)}`, { cause: e });
    assert.ok(names.some((n) => e.message.startsWith(`${n}: `) || e.message.startsWith(`${n} and `)), `names the file: ${e.message.slice(0, 200)}`);
    assert.ok(e.message.length <= FILE.length + MAX_MESSAGE, `message of ${e.message.length} characters: ${e.message.slice(0, 200)}…`);
    result = { ok: false, message: e.message };
  }
  const ms = performance.now() - t0;
  assert.ok(ms < MAX_MS, `took ${ms.toFixed(0)} ms on ${text.length} characters`);
  return result;
}

/** Numbers including the awkward ones. */
const value = fc.oneof(
  { weight: 6, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }) },
  { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, -Infinity, 0, -0, 1e308, -1e308, 5e-324, Number.MAX_SAFE_INTEGER) },
);

/** Small InferenceData with scalar, vector and matrix variables; names include awkward ones. */
const idataArb = fc
  .record({
    nChains: fc.integer({ min: 1, max: 3 }),
    nDraws: fc.integer({ min: 1, max: 6 }),
    vars: fc.uniqueArray(
      fc.record({
        name: fc.oneof(fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/), fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty')),
        shape: fc.oneof(fc.constant<number[]>([]), fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 2 })),
      }),
      { minLength: 1, maxLength: 3, selector: (v) => v.name },
    ),
    seedValues: fc.array(value, { minLength: 1, maxLength: 20 }),
  })
  .map(({ nChains, nDraws, vars, seedValues }): InferenceData => {
    const post: Record<string, VariableArray> = {};
    let k = 0;
    for (const v of vars) {
      const size = v.shape.reduce((a, b) => a * b, 1) * nChains * nDraws;
      const values = Float64Array.from({ length: size }, () => seedValues[k++ % seedValues.length]);
      Object.defineProperty(post, v.name, { value: { dims: v.shape.map((_, a) => `${v.name}_dim_${a}`), shape: v.shape, values }, enumerable: true, writable: true, configurable: true });
    }
    return { nChains, nDraws, groups: { posterior: { vars: post, attrs: {} } }, coords: {}, attrs: {} };
  });

const writers: Record<string, (idata: InferenceData) => string> = {
  arviz: (d) => toArvizJson(d),
  draws: (d) => toDrawsJson(d),
  csv: (d) => toStanCsv(d, 0),
};

/** Awkward fragments to splice into a valid file. */
const fragment = fc.oneof(
  fc.constantFrom(
    '\ufeff', '\r\n', '\r', '\n', '\u0000', ',', ',,', '"', '[', ']', '{', '}', ':', '#', '# method = optimize\n', '# num_samples = 1\n',
    'NaN', '-NaN', 'nan', 'Infinity', '-Infinity', 'inf', '-inf', '1e999', '-1e999', '9'.repeat(400), '0x10', '1_000', '.5', '+.5e-3',
    '"__proto__"', '{"__proto__": [[1]]}', '"constructor":', 'lp', 'lp__', 'accept_stat', 'a.0', 'a.99999999999', 'a[99999999999]',
    '['.repeat(5000), ']'.repeat(5000), `${'['.repeat(20000)}0${']'.repeat(20000)}`, '{"a":'.repeat(3000), 'null', 'true', '"x"', '\u2028', '\ud800', '\u001b[31m', 'é',
  ),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
);

type Mutation = (s: string) => string;
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.nat().map((p) => (s: string) => s.slice(0, p % (s.length + 1))),
  fc.tuple(fc.nat(), fragment).map(([p, f]) => (s: string) => s.slice(0, p % (s.length + 1)) + f + s.slice(p % (s.length + 1))),
  fc.tuple(fc.nat(), fc.nat({ max: 30 })).map(([p, n]) => (s: string) => s.slice(0, p % (s.length + 1)) + s.slice((p % (s.length + 1)) + n)),
  fc.tuple(fc.nat(), fragment).map(([p, f]) => (s: string) => {
    const i = p % Math.max(1, s.length);
    return s.slice(0, i) + f + s.slice(i + 1);
  }),
  fc.constant((s: string) => s.replace(/\n/g, '\r\n')),
  fc.constant((s: string) => '\ufeff' + s),
  fc.nat().map((p) => (s: string) => {
    const lines = s.split('\n');
    const i = p % lines.length;
    return [...lines.slice(0, i + 1), lines[i], ...lines.slice(i + 1)].join('\n');
  }),
);

for (const [kind, read] of Object.entries(readers)) {
  test(`${kind} reader: arbitrary text gives results or an InputError naming the file, short, never another error`, () => {
    const arbitraryText = fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 }), fc.json({ maxDepth: 4 }), fragment);
    fc.assert(fc.property(arbitraryText, (text) => void readsOrRefuses(read, text)), { numRuns: fuzzRuns() });
  });

  test(`${kind} reader: mutated valid files (truncated, spliced, CRLF, BOM, huge numbers, deep nesting) give results or an InputError`, () => {
    fc.assert(
      fc.property(idataArb, fc.array(mutation, { minLength: 1, maxLength: 4 }), (idata, ms) => {
        if (kind === 'csv' && Object.keys(idata.groups.posterior!.vars).some((n) => n.endsWith('__'))) return;
        let text = writers[kind](idata);
        for (const m of ms) text = m(text);
        readsOrRefuses(read, text);
      }),
      { numRuns: fuzzRuns() },
    );
  });

  test(`${kind} reader: valid files round-trip`, () => {
    fc.assert(
      fc.property(idataArb, fc.boolean(), fc.boolean(), (idata, crlf, bom) => {
        if (kind === 'csv' && Object.keys(idata.groups.posterior!.vars).some((n) => n.endsWith('__'))) {
          // CmdStan reserves the `__` suffix for sampler columns: such a name cannot be written.
          assert.throws(() => writers.csv(idata), (e: unknown) => e instanceof InputError && /ends in '__'/.test(e.message));
          return;
        }
        let text = writers[kind](idata);
        if (crlf && kind === 'csv') text = text.replace(/\n/g, '\r\n');
        if (bom && kind === 'csv') text = '\ufeff' + text;
        const r = readsOrRefuses(read, text);
        assert.ok(r.ok, `valid ${kind} refused: ${r.ok ? '' : r.message}`);
        const back = r.value as InferenceData;
        const chains = kind === 'csv' ? 1 : idata.nChains;
        assert.equal(back.nChains, chains);
        assert.equal(back.nDraws, idata.nDraws);
        const want = idata.groups.posterior!.vars;
        const got = back.groups.posterior!.vars;
        assert.deepEqual(Object.keys(got).sort(), Object.keys(want).sort());
        for (const name of Object.keys(want)) {
          const w = want[name];
          const g = Object.getOwnPropertyDescriptor(got, name)!.value as VariableArray;
          assert.deepEqual(g.shape, w.shape, name);
          const n = chains * idata.nDraws * w.values.length / (idata.nChains * idata.nDraws);
          // JSON keeps no NaN or infinities (written as null and read back as NaN), nor the sign of zero.
          const expect = [...w.values.subarray(0, n)].map((v) => (kind === 'csv' ? v : !Number.isFinite(v) ? NaN : v === 0 ? 0 : v));
          assert.deepEqual([...g.values], expect, name);
        }
      }),
      { numRuns: fuzzRuns() },
    );
  });
}

/** Real CmdStan files (test/fixtures/cmdstan): sample runs with and without saved warm-up and thinning, other methods. */
const REAL = ['cmdstanpy-bern-1.csv', 'cmdstanr-model1-1-warmup.csv', 'cmdstan-bern_fitted_params_thin.csv', 'cmdstanr-model1-1-dense_e_metric.csv', 'cmdstanr-bernoulli-1-variational.csv', 'cmdstanpy-rosenbrock_mle.csv'];
const realTexts = REAL.map((f) => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'cmdstan', f), 'utf8'));

test('csv reader: mutated real CmdStan files, alone or after an intact chain, give results or an InputError naming a file', () => {
  fc.assert(
    fc.property(fc.nat({ max: REAL.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 3 }), fc.boolean(), (i, ms, withGood) => {
      let text = realTexts[i];
      for (const m of ms) text = m(text);
      const read: Reader = (t) => fromStanCsv(withGood ? [{ name: 'good.csv', text: realTexts[i] }, { name: FILE, text: t }] : [{ name: FILE, text: t }]);
      readsOrRefuses(read, text, ['good.csv', FILE]);
    }),
    { numRuns: fuzzRuns() },
  );
});
