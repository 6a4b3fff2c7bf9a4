// The HTML report is complete, escapes text, numbers figures and tables, keeps SVG ids unique, and loads nothing external.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatCell, inlineSvg, renderReport } from '../../src/report/index.js';
import { plotForest, renderSvg } from '../../src/plots/index.js';

const clipSvg = (n: number): string =>
  `<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><defs><clipPath id="clip1"><rect width="5" height="5"/></clipPath></defs><g clip-path="url(#clip1)" onclick="alert(1)"><text>fig${n}</text></g><script>alert(1)</script></svg>`;

/** Resource references that would make a browser fetch something. */
function externalResources(html: string): string[] {
  const found: string[] = [];
  const patterns = [
    /\b(?:src|href|xlink:href|srcset|poster|data|action)\s*=\s*["']?\s*(?!#)(?:https?:)?\/\/[^"'\s>]*/gi,
    /url\(\s*["']?\s*(?:https?:)?\/\/[^)]*\)/gi,
    /@import/gi,
    /<link\b/gi,
    /<script\b[^>]*\bsrc=/gi,
    /<(?:img|iframe|object|embed|video|audio)\b/gi,
  ];
  for (const p of patterns) for (const m of html.matchAll(p)) found.push(m[0]);
  return found;
}

test('renderReport: complete document with sections, figures, tables and escaping', async () => {
  const svg = await renderSvg(plotForest([{ label: 'CASS', mean: 1, lo: 0.5, hi: 1.5 }]));
  const html = renderReport({
    title: 'Radon <case study>',
    subtitle: 'Hierarchical regression with `nutmeg`',
    meta: [{ label: 'seed', value: '42' }],
    sections: [
      {
        heading: 'Data',
        paragraphs: ['919 homes in 85 counties & a <b>tag</b>.'],
        tables: [
          { columns: ['county', 'n', 'mean'], rows: [['CASS', 5, 1.234567], ['CROW WING', 12, NaN]], caption: 'Counties' },
          { columns: ['', 'r_hat'], rows: [['mu_a', 1], ['sigma_y', 1.0123]], decimals: [undefined, 2] },
        ],
      },
      { heading: 'Model', figures: [{ svg, caption: 'Forest plot' }], blocks: [{ kind: 'code', code: 'y ~ 1 + floor + (1 + floor | county)' }] },
      { heading: 'Diagnostics', blocks: [{ kind: 'callout', level: 'warning', title: 'Divergences', text: '3 divergent transitions' }, { kind: 'list', items: ['r_hat < 1.01'] }] },
    ],
    footer: 'Made with nutmeg',
  });
  assert.match(html, /^<!DOCTYPE html>\n<html lang="en">/);
  assert.ok(html.trimEnd().endsWith('</html>'));
  assert.ok(html.includes('<title>Radon &lt;case study&gt;</title>'));
  assert.ok(html.includes('<code>nutmeg</code>'));
  assert.ok(html.includes('&amp; a &lt;b&gt;tag&lt;/b&gt;.'));
  assert.ok(html.includes('<span class="label">Table 1.</span> Counties'));
  assert.ok(html.includes('<span class="label">Figure 1.</span> Forest plot'));
  assert.ok(html.includes('<td class="right">1.235</td>'));
  assert.ok(html.includes('<td class="right">NaN</td>'));
  assert.ok(html.includes('<td class="right">1.00</td>') && html.includes('<td class="right">1.01</td>'), 'fixed decimals');
  assert.ok(html.includes('<span class="label">Table 2.</span>') === false, 'no caption, no label');
  assert.ok(html.includes('<nav class="toc"'));
  assert.ok(html.includes('href="#diagnostics"') && html.includes('id="diagnostics"'));
  assert.ok(html.includes('class="callout warning"'));
  assert.ok(html.includes('>CASS</text>'), 'the SVG is inline');
  assert.ok(html.includes('<style>'));
  assert.deepEqual(externalResources(html), []);
});

test('no external resources, and the check itself catches them', () => {
  const html = renderReport({ title: 't', sections: [{ heading: 'h', figures: [{ svg: clipSvg(1) }] }] });
  assert.deepEqual(externalResources(html), []);
  assert.ok(!/<script/i.test(html), 'scripts are removed from figures');
  assert.ok(!/onclick/i.test(html), 'event handlers are removed from figures');
  assert.ok(!html.includes('<?xml'));
  assert.equal(externalResources('<link rel="stylesheet" href="https://cdn.example/x.css">').length, 2);
  assert.equal(externalResources('<img src="http://x/y.png">').length, 2);
  assert.equal(externalResources('<style>@import url(//x/y.css)</style>').length, 2);
});

test('figures get unique SVG ids so clip paths do not collide', () => {
  const html = renderReport({ title: 't', sections: [{ heading: 'h', figures: [{ svg: clipSvg(1) }, { svg: clipSvg(2) }] }] });
  assert.ok(html.includes('id="f1-clip1"') && html.includes('url(#f1-clip1)'));
  assert.ok(html.includes('id="f2-clip1"') && html.includes('url(#f2-clip1)'));
  assert.ok(!html.includes('id="clip1"'));
  assert.throws(() => inlineSvg('<div></div>', 'x'), RangeError);
});

test('formatCell: integers, significant digits, exponents, non-finite, empty', () => {
  assert.equal(formatCell(919), '919');
  assert.equal(formatCell(0.123456), '0.1235');
  assert.equal(formatCell(1.0000001), '1');
  assert.equal(formatCell(1234.5678, 3), '1230');
  assert.equal(formatCell(0.0000123), '1.230e-5');
  assert.equal(formatCell(-Infinity), '−Inf');
  assert.equal(formatCell(null), '');
  assert.equal(formatCell('r_hat'), 'r_hat');
});
