// The Node renderer writes SVG and non-empty PNG files, and draws text with the bundled fonts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundledFontFiles, svgToPixels, svgToPng, writeFigure } from '../../src/platform/node/render.js';
import { plotForest } from '../../src/plots/index.js';

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

test('writeFigure writes an SVG and a PNG', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'nutmeg-plots-'));
  try {
    const spec = plotForest([
      { label: 'CASS', mean: 1.2, lo: 0.8, hi: 1.6 },
      { label: 'FREEBORN', mean: 1.9, lo: 1.5, hi: 2.3 },
    ]);
    const out = await writeFigure(spec, join(dir, 'sub', 'forest'), { scale: 1 });
    const svg = await readFile(out.svgPath, 'utf8');
    assert.equal(svg, out.svg);
    assert.ok(svg.includes('FREEBORN'));
    const png = await readFile(out.pngPath);
    assert.deepEqual([...png.subarray(0, 8)], PNG_MAGIC);
    assert.ok(png.length > 2000, `png has ${png.length} bytes`);
    // IHDR width matches the SVG width at scale 1
    const width = png.readUInt32BE(16);
    const svgWidth = Number(/width="(\d+)/.exec(svg)?.[1]);
    assert.equal(width, svgWidth);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('text is drawn with the bundled DejaVu fonts, without system fonts', async () => {
  assert.ok(bundledFontFiles().some((f) => f.endsWith('DejaVuSans.ttf')), 'dejavu-fonts-ttf is installed');
  const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><text x="5" y="28" font-family="sans-serif" font-size="24" fill="black">CASS 1.5</text></svg>';
  const { width, height, pixels } = await svgToPixels(svg, { scale: 1, loadSystemFonts: false });
  assert.equal(width, 200);
  assert.equal(height, 40);
  let dark = 0;
  for (let i = 0; i < pixels.length; i += 4) if (pixels[i] < 128) dark++;
  assert.ok(dark > 150, `only ${dark} dark pixels: text not rendered`);
  const png = await svgToPng(svg, { scale: 2 });
  assert.deepEqual([...png.subarray(0, 8)], PNG_MAGIC);
});

test('a chart renders to the same SVG whatever was rendered before it (clip paths numbered from 1)', async () => {
  const { renderSvg } = await import('../../src/plots/render.js');
  const { plotTrace } = await import('../../src/plots/index.js');
  const trace = plotTrace([{ name: 'mu', draws: [Float64Array.from([0.1, 0.4, -0.2, 0.3]), Float64Array.from([0.0, 0.2, 0.5, -0.1])] }]);
  const first = await renderSvg(trace);
  await renderSvg(plotForest([{ label: 'a', mean: 0, lo: -1, hi: 1 }]));
  const again = await renderSvg(trace);
  assert.match(first, /id="clip1"/);
  assert.equal(again, first);
});
