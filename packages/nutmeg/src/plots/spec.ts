// Shared types and defaults of the chart builders: the Vega-Lite spec type, palette, fonts, sizes.

/**
 * A Vega-Lite specification as a plain JSON-compatible object. Builders return this so that the
 * same object can be rendered headless ({@link renderSvg}) or handed to vega-embed in a browser.
 * It is typed loosely on purpose: vega-lite's own `TopLevelSpec` type is very deep and the specs
 * are validated at run time by compiling them (see the tests).
 */
export type VegaLiteSpec = { [key: string]: unknown };

/** The Vega-Lite schema the builders target (vega-lite 6). Metadata only: never fetched. */
export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/**
 * Categorical palette (Tableau 10, the palette matplotlib's `tab10` and ArviZ's default cycle
 * follow), so chains and models get the colours a PyMC user expects.
 */
export const PALETTE = [
  '#4c78a8', '#f58518', '#54a24b', '#e45756', '#72b7b2',
  '#b279a2', '#ff9da6', '#9d755d', '#bab0ac', '#eeca3b',
] as const;

/**
 * Font stack: DejaVu Sans first (the font the Node PNG renderer ships and loads), then common
 * browser sans-serif fonts.
 */
export const FONT = 'DejaVu Sans, Verdana, Helvetica, Arial, sans-serif';

/** Common Vega-Lite `config`: readable font sizes, white background, light grid. */
export function baseConfig(): VegaLiteSpec {
  return {
    font: FONT,
    background: 'white',
    padding: 8,
    view: { stroke: '#bbbbbb' },
    axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', gridColor: '#eeeeee' },
    legend: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', symbolStrokeWidth: 2 },
    header: { labelFontSize: 12, titleFontSize: 12 },
    title: { fontSize: 14, subtitleFontSize: 11, anchor: 'start', offset: 8 },
    range: { category: [...PALETTE] },
    line: { strokeWidth: 1.5 },
  };
}

/**
 * Wraps a spec body into a top-level spec: schema, config, and an optional title.
 *
 * @param body - the spec without `$schema` / `config`
 * @param title - chart title (optional)
 * @param subtitle - chart subtitle (optional)
 * @returns a top-level Vega-Lite spec
 */
export function topLevel(body: VegaLiteSpec, title?: string, subtitle?: string): VegaLiteSpec {
  const spec: VegaLiteSpec = { $schema: VEGA_LITE_SCHEMA };
  if (title !== undefined || subtitle !== undefined) {
    spec.title = subtitle !== undefined ? { text: title ?? '', subtitle } : title;
  }
  Object.assign(spec, body);
  spec.config = baseConfig();
  return spec;
}

/**
 * Evenly spaced indices: at most `max` of `0 … n-1`, first and last included.
 *
 * @param n - number of items
 * @param max - maximum number of indices to keep (≥ 1)
 * @returns increasing indices
 */
export function evenIndices(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  if (max <= 1) return [0];
  const out: number[] = [];
  for (let k = 0; k < max; k++) {
    const i = Math.round((k * (n - 1)) / (max - 1));
    if (out.length === 0 || out[out.length - 1] !== i) out.push(i);
  }
  return out;
}

/** Rounds a number for embedding in a spec, keeping 6 significant digits (smaller SVG/JSON). */
export function r6(x: number): number {
  return Number.isFinite(x) ? Number(x.toPrecision(6)) : x;
}
