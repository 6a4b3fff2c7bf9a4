// Binary search in ascending arrays, against counting the elements one by one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { firstAbove, firstAtLeast } from '../../src/diagnostics/sortedSearch.js';

test('firstAtLeast and firstAbove count the elements below x and at most x (ties, empty ranges, bounds)', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: -5, max: 5 }), { maxLength: 30 }), fc.integer({ min: -6, max: 6 }), (xs, x) => {
      const a = Float64Array.from(xs).sort();
      assert.equal(firstAtLeast(a, x), xs.filter((v) => v < x).length);
      assert.equal(firstAbove(a, x), xs.filter((v) => v <= x).length);
      // Within [from, to): the same counts, offset and clamped to the range.
      const from = Math.floor(a.length / 3), to = a.length - Math.floor(a.length / 4);
      const inRange = Array.from(a.subarray(from, to));
      assert.equal(firstAtLeast(a, x, from, to), from + inRange.filter((v) => v < x).length);
      assert.equal(firstAbove(a, x, from, to), from + inRange.filter((v) => v <= x).length);
    }),
    { seed: 3, numRuns: 500 },
  );
});
