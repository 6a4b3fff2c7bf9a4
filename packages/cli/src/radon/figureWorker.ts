// The radon run's second thread: renders Vega-Lite specs to SVG (renderSvg) and rasterises them to PNG (svgToPng), and computes the RMSDs of the fits without a joint log-likelihood, beside the main thread, which meanwhile samples, computes LOO, the predictive check and the summaries.
import { parentPort } from 'node:worker_threads';
import { renderSvg, VEGA_LITE_SCHEMA, type InferenceData, type VegaLiteSpec } from 'nutmeg';
import { svgToPng } from 'nutmeg/node';
import { rmsdOf, type RmsdResult } from './analysis.js';
import type { RadonData } from './data.js';

/** The draws rmsdOf reads (alpha, beta, eps), as a minimal InferenceData. */
export type LineDrawsData = Pick<InferenceData, 'nChains' | 'nDraws' | 'groups'>;

/** A spec to render, or a fit whose RMSDs to compute, with the id its answers carry. */
export type RenderRequest = { readonly id: number; readonly spec: VegaLiteSpec } | { readonly id: number; readonly rmsdOf: { readonly data: RadonData; readonly idata: LineDrawsData } };

/** A request's SVG, then its PNG bytes, or its RMSDs (or why one failed). */
export type RenderReply =
  | { readonly id: number; readonly svg: string }
  | { readonly id: number; readonly png: Uint8Array }
  | { readonly id: number; readonly rmsd: RmsdResult }
  | { readonly id: number; readonly error: string; readonly stage: 'svg' | 'png' | 'rmsd' };

/** A chart of one point: rendering it loads vega-lite and vega (most of the first chart's cost) before the first real spec arrives. */
const WARM_UP: VegaLiteSpec = {
  $schema: VEGA_LITE_SCHEMA,
  data: { values: [{ x: 0 }] },
  mark: 'point',
  encoding: { x: { field: 'x', type: 'quantitative' } },
} as VegaLiteSpec;

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

const port = parentPort;
if (port) {
  // SVGs are rendered one at a time, in order (Vega runs on this thread); each PNG is rasterised
  // on libuv's pool and encoded here (resvg's asPng is synchronous) between the next charts.
  let queue: Promise<void> = renderSvg(WARM_UP).then(
    () => undefined,
    () => undefined,
  );
  port.on('message', (m: RenderRequest) => {
    queue = queue.then(async () => {
      if ('rmsdOf' in m) {
        try {
          port.postMessage({ id: m.id, rmsd: rmsdOf(m.rmsdOf.data, m.rmsdOf.idata as InferenceData) } satisfies RenderReply);
        } catch (e) {
          port.postMessage({ id: m.id, error: message(e), stage: 'rmsd' } satisfies RenderReply);
        }
        return;
      }
      let svg: string;
      try {
        svg = await renderSvg(m.spec);
      } catch (e) {
        port.postMessage({ id: m.id, error: message(e), stage: 'svg' } satisfies RenderReply);
        return;
      }
      port.postMessage({ id: m.id, svg } satisfies RenderReply);
      svgToPng(svg).then(
        (png) => port.postMessage({ id: m.id, png } satisfies RenderReply, [png.buffer as ArrayBuffer]),
        (e: unknown) => port.postMessage({ id: m.id, error: message(e), stage: 'png' } satisfies RenderReply),
      );
    });
  });
}
