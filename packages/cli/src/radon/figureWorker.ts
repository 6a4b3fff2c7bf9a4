// The radon run's figure thread: renders Vega-Lite specs to SVG (renderSvg) beside the main thread, which meanwhile computes LOO and the predictive check.
import { parentPort } from 'node:worker_threads';
import { renderSvg, VEGA_LITE_SCHEMA, type VegaLiteSpec } from 'nutmeg';

/** A spec to render, with the id its answer carries. */
export interface RenderRequest {
  readonly id: number;
  readonly spec: VegaLiteSpec;
}

/** The SVG of a request, or why it failed. */
export type RenderReply = { readonly id: number; readonly svg: string } | { readonly id: number; readonly error: string };

/** A chart of one point: rendering it loads vega-lite and vega (most of the first chart's cost) before the first real spec arrives. */
const WARM_UP: VegaLiteSpec = {
  $schema: VEGA_LITE_SCHEMA,
  data: { values: [{ x: 0 }] },
  mark: 'point',
  encoding: { x: { field: 'x', type: 'quantitative' } },
} as VegaLiteSpec;

const port = parentPort;
if (port) {
  // Requests are rendered one at a time, in order: one thread, one chart at a time.
  let queue: Promise<void> = renderSvg(WARM_UP).then(
    () => undefined,
    () => undefined,
  );
  port.on('message', (m: RenderRequest) => {
    queue = queue.then(async () => {
      let reply: RenderReply;
      try {
        reply = { id: m.id, svg: await renderSvg(m.spec) };
      } catch (e) {
        reply = { id: m.id, error: e instanceof Error ? e.message : String(e) };
      }
      port.postMessage(reply);
    });
  });
}
