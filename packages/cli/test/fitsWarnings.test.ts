// Warnings of many fits grouped by kind: counts, the worst fits first, severity order, "…" past five names.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { SamplingWarning } from 'nutmeg';
import { groupedWarnings, namedFitsLine } from '../src/fitsWarnings.js';

const divergences: SamplingWarning = { code: 'divergences', severity: 'error', message: 'm', advice: 'a' };
const essBulk: SamplingWarning = { code: 'ess_bulk', severity: 'warning', message: 'm', advice: 'a' };

test('namedFitsLine: the worst fits first with their counts, at most five then …', () => {
  const affected = [1, 12, 3, 5, 2, 7].map((count, i) => ({ name: `g${i}`, count }));
  assert.equal(namedFitsLine(affected, 12, 'fits', 'had divergent transitions'), '6 of 12 fits had divergent transitions: g1 (12), g5 (7), g3 (5), g2 (3), g4 (2), …');
  assert.equal(namedFitsLine([{ name: 'A' }], 3, 'fits', 'had a low bulk ESS'), '1 of 3 fits had a low bulk ESS: A');
});

test('groupedWarnings: one line per kind, errors first, fits without warnings counted in the total', () => {
  const lines = groupedWarnings([
    { name: 'A', warnings: [essBulk], divergences: 0 },
    { name: 'B', warnings: [essBulk, divergences], divergences: 3 },
    { name: 'C', warnings: [divergences], divergences: 12 },
    { name: 'D', warnings: [], divergences: 0 },
  ]);
  assert.deepEqual(lines, ['[error] 2 of 4 fits had divergent transitions: C (12), B (3)', '[warning] 2 of 4 fits had a bulk ESS below 100 per chain: A, B']);
  assert.deepEqual(groupedWarnings([{ name: 'A', warnings: [], divergences: 0 }]), []);
});
