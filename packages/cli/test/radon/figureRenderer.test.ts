// The radon figure thread: every figure gets its SVG and its PNG, whether the thread rasterises it or hands the PNG to the main thread.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { existsSync } from 'node:fs';
import { VEGA_LITE_SCHEMA, type VegaLiteSpec } from 'nutmeg';
import { svgToPng } from 'nutmeg/node';
import { startFigureRenderer } from '../../src/radon/figureRenderer.js';

const chart = (n: number): VegaLiteSpec =>
  ({
    $schema: VEGA_LITE_SCHEMA,
    data: { values: Array.from({ length: n }, (_, i) => ({ x: i, y: (i * 7) % 5 })) },
    mark: 'point',
    encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
  }) as VegaLiteSpec;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

test('figures asked before and after rasteriseHere() each get the PNG of their SVG', async () => {
  const renderer = startFigureRenderer({ pngScale: 2 }); // svgToPng's default, compared with below
  try {
    const before = renderer.render(chart(3));
    renderer.rasteriseHere();
    const after = [renderer.render(chart(4)), renderer.render(chart(5))];
    for (const f of [before, ...after]) {
      const [svg, png] = await Promise.all([f.svg, f.png]);
      assert.match(svg, /<\/svg>\s*$/);
      assert.deepEqual([...png.subarray(0, 8)], PNG_SIGNATURE);
      // The same bytes as rasterising that SVG directly, wherever it was rasterised.
      assert.deepEqual(png, await svgToPng(svg));
    }
  } finally {
    await renderer.close();
  }
});

const BUILT = new URL('../../dist/radon/', import.meta.url);

// A bundle that fails to load is not seen in the figures (they are drawn in this thread then),
// only in the time they take: so ask the renderer whether its thread is the one drawing.
test('built CLI: the figure thread runs the one-file bundle and draws in the thread', { skip: !existsSync(new URL('figureWorker.bundle.js', BUILT)) && 'dist/ is not built (npm run build)' }, async () => {
  const { startFigureRenderer: startBuilt } = (await import(new URL('figureRenderer.js', BUILT).href)) as typeof import('../../src/radon/figureRenderer.js');
  const renderer = startBuilt({ pngScale: 1 });
  try {
    const f = renderer.render(chart(6));
    const [svg, png] = await Promise.all([f.svg, f.png]);
    assert.match(svg, /<\/svg>\s*$/);
    assert.deepEqual([...png.subarray(0, 8)], PNG_SIGNATURE);
    assert.equal(renderer.threadRunning(), true, 'the figure thread died and the figure was drawn here');
  } finally {
    await renderer.close();
  }
  assert.equal(renderer.threadRunning(), false);
});
