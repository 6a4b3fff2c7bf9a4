// Hostile input stays data (issue 13, item 8): column names and level labels with quotes, braces, backslashes, </script>, U+2028 and long strings go through `nutmeg fit` and report.html; nothing runs, everything displays.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { FAST, fit, tempDir, writeText } from './fitHelpers.js';

const dir = tempDir('fit-hostile');

/** A predictor column name and a grouping column name no program should trust. */
const X = 'x"\'{}</script><script>globalThis.pwned=1</script>\\${1}\u2028';
const G = 'g`{{constructor}}`\\</SCRIPT>\u2029';
/** Level labels of G. */
const LEVELS = ['a"</script><script>globalThis.pwned=2</script>', 'b\u2028{}\\', `c${'L'.repeat(3000)}`, "d'); alert(1); ('"];

/** A CSV field, quoted (RFC 4180). */
const field = (s: string): string => `"${s.replace(/"/g, '""')}"`;
/** A name in a formula, backquoted with `\` escapes. */
const backquoted = (s: string): string => `\`${s.replace(/[\\`]/g, (c) => `\\${c}`)}\``;
/** Text as renderReport escapes it. */
const escaped = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

test('hostile column names and levels: the fit, stdout, predictions.csv and report.html keep them as text', async () => {
  const rows = [['y', X, G].map(field).join(',')];
  for (let i = 0; i < 40; i++) {
    const x = (i % 5) / 4;
    rows.push([(1 + x + 0.3 * (i % 4) + 0.2 * Math.cos(i)).toFixed(3), x, field(LEVELS[i % 4])].join(','));
  }
  const data = writeText(dir, 'hostile.csv', rows.join('\n') + '\n');
  const newRows = writeText(dir, 'new.csv', [[X, G].map(field).join(','), `0.5,${field(LEVELS[1])}`, `0.5,${field('new</script>\u2028level')}`].join('\n') + '\n');
  const out = join(dir, 'out');
  const formula = `y ~ ${backquoted(X)} + (1 | ${backquoted(G)})`;
  const r = await fit([data, formula, ...FAST, '--json', '--out', out, '--predict', newRows]);
  assert.equal(r.code, 0, r.err);
  assert.equal((globalThis as { pwned?: number }).pwned, undefined);

  // stdout: one JSON object whose r_ labels carry the levels unchanged.
  const summary = JSON.parse(r.out) as Record<string, unknown>;
  const labels = Object.keys(summary);
  assert.equal(labels.filter((l) => l.startsWith('b_')).length, 2);
  assert.equal(labels.filter((l) => l.startsWith('r_')).length, LEVELS.length);
  for (const level of LEVELS) assert.ok(labels.some((l) => l.startsWith('r_') && l.includes(`[${level},Intercept]`)), `level ${JSON.stringify(level.slice(0, 40))} in ${labels.join(' | ').slice(0, 300)}`);

  // predictions.csv: the new rows' cells read back unchanged.
  const predictions = parse(readFileSync(join(out, 'predictions.csv'), 'utf8')) as string[][];
  assert.deepEqual(predictions[0].slice(0, 2), [X, G]);
  assert.deepEqual(predictions.slice(1).map((p) => p[1]), [LEVELS[1], 'new</script>\u2028level']);

  // report.html: the only scripts are the report's own (none from the data), and the names display escaped.
  const html = readFileSync(join(out, 'report.html'), 'utf8');
  const baseline = await fit([writeText(dir, 'plain.csv', 'y,x\n1,0\n2,1\n2.5,1\n0.8,0\n'), 'y ~ x', ...FAST, '--out', join(dir, 'plain')]);
  assert.equal(baseline.code, 0, baseline.err);
  const plain = readFileSync(join(dir, 'plain', 'report.html'), 'utf8');
  const scripts = (s: string): number => (s.match(/<script/gi) ?? []).length;
  assert.equal(scripts(html), scripts(plain), 'no <script> from the data');
  assert.doesNotMatch(html, /<script>globalThis\.pwned/i);
  assert.ok(html.includes(escaped(formula).slice(0, 60)), 'the formula is shown, escaped');
  assert.ok(html.includes('globalThis.pwned=1'), 'the hostile column name is displayed (as text)');
});

test('hostile names in error messages stay on one line, quoted', async () => {
  const data = writeText(dir, 'names.csv', `${['y', X].map(field).join(',')}\n1,2\n3,4\n`);
  const r = await fit([data, `y ~ ${backquoted(X + 'z')}`]);
  assert.equal(r.code, 2);
  assert.equal(r.err.trimEnd().split(/\n/).length, 1, r.err);
  assert.doesNotMatch(r.err, /[\u2028\u2029]/);
});
