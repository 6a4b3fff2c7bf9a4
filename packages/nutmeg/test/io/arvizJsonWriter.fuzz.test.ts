// Fuzz: the chunked ArviZ JSON writer gives, at any chunk size, exactly the reference writer's text on generated InferenceData (groups, shapes with empty axes, awkward numbers, names, coords and attrs).
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import fc from 'fast-check';
import { arvizJsonChunks } from '../../src/io/arvizJson.js';
import type { Group, GroupName, InferenceData, VariableArray } from '../../src/posterior/inferenceData.js';
import { fuzzRuns } from '../helpers/fuzzRuns.js';
import { referenceArvizJson } from './fixtures/arvizJsonReference.js';

const value = fc.oneof(
  { weight: 6, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, -Infinity, 0, -0, 1e21, 1e-7, 5e-324) },
);
const name = fc.oneof(fc.stringMatching(/^[a-z][a-z0-9_]{0,6}$/), fc.constantFrom('__proto__', 'constructor', '0', '17', 'a"b', '\u2028'), fc.string({ maxLength: 4 }));
const groupNames: GroupName[] = ['posterior', 'posterior_predictive', 'log_likelihood', 'sample_stats', 'observed_data', 'constant_data', 'prior', 'predictions'];
const variable = fc.record({ name, shape: fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 3 }), values: fc.array(value, { minLength: 1, maxLength: 30 }) });
const attrs = fc.dictionary(name, fc.oneof(fc.jsonValue(), fc.constant(undefined), value));

const idataArb = fc
  .record({
    nChains: fc.integer({ min: 0, max: 3 }),
    nDraws: fc.integer({ min: 0, max: 5 }),
    groups: fc.array(fc.record({ group: fc.constantFrom(...groupNames), vars: fc.array(variable, { maxLength: 3 }), attrs }), { maxLength: 5 }),
    coords: fc.dictionary(name, fc.array(fc.oneof(fc.string({ maxLength: 5 }), value), { maxLength: 6 })),
    attrs,
  })
  .map(({ nChains, nDraws, groups, coords, attrs }): InferenceData => {
    const out: Partial<Record<GroupName, Group>> = {};
    for (const g of groups) {
      const vars: Record<string, VariableArray> = {};
      const sampled = g.group !== 'observed_data' && g.group !== 'constant_data';
      for (const v of g.vars) {
        const size = (sampled ? nChains * nDraws : 1) * v.shape.reduce((a, b) => a * b, 1);
        const values = Float64Array.from({ length: size }, (_, i) => v.values[i % v.values.length]);
        Object.defineProperty(vars, v.name, { value: { dims: v.shape.map((_, a) => `${v.name}_${a}`), shape: v.shape, values }, enumerable: true, writable: true, configurable: true });
      }
      out[g.group] = { vars, attrs: g.attrs };
    }
    const c: Record<string, (string | number)[]> = {};
    for (const [k, labels] of Object.entries(coords)) Object.defineProperty(c, k, { value: labels, enumerable: true, writable: true, configurable: true });
    return { nChains, nDraws, groups: out, coords: c, attrs };
  });

test('fuzz: the chunks join to the reference text, whatever the chunk size', () => {
  fc.assert(
    fc.property(idataArb, fc.integer({ min: 1, max: 300 }), (idata, chunkChars) => {
      assert.equal([...arvizJsonChunks(idata, { chunkChars })].join(''), referenceArvizJson(idata));
    }),
    { numRuns: fuzzRuns() },
  );
});
