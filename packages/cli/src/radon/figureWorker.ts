// The radon run's second thread: renders Vega-Lite specs to SVG (renderSvg) and rasterises them to PNG (svgToPng), and computes the RMSDs of the fits without a joint log-likelihood, beside the main thread, which meanwhile samples, computes LOO, the predictive check and the summaries.
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { renderSvg, VEGA_LITE_SCHEMA, type InferenceData, type VegaLiteSpec } from 'nutmeg';
import { svgToPng } from 'nutmeg/node';
import { rmsdOf, type RmsdResult } from './analysis.js';
import type { RadonData } from './data.js';

/** The draws rmsdOf reads (alpha, beta, eps), as a minimal InferenceData. */
export type LineDrawsData = Pick<InferenceData, 'nChains' | 'nDraws' | 'groups'>;

/**
 * A spec to render, or a fit whose RMSDs to compute, with the id its answers carry; or
 * `handOverPngs`: from now on this thread draws SVGs only and the main thread rasterises them
 * (sent when the main thread has finished LOO and would otherwise wait, one core idle).
 */
export type RenderRequest =
  | { readonly id: number; readonly spec: VegaLiteSpec }
  | { readonly id: number; readonly rmsdOf: { readonly data: RadonData; readonly idata: LineDrawsData } }
  | { readonly handOverPngs: true };

/** A request's SVG (with `pngHere` when the main thread is to rasterise it), then its PNG bytes, or its RMSDs (or why one failed). */
export type RenderReply =
  | { readonly id: number; readonly svg: string; readonly pngHere?: true }
  | { readonly id: number; readonly png: Uint8Array }
  | { readonly id: number; readonly rmsd: RmsdResult }
  | { readonly id: number; readonly error: string; readonly stage: 'svg' | 'png' | 'rmsd' };

/** What the thread is started with (its workerData). */
export interface FigureWorkerSettings {
  /** PNG pixels per SVG pixel. */
  readonly pngScale: number;
}

/** A chart of one point: rendering it loads vega-lite and vega (most of the first chart's cost) before the first real spec arrives. */
const WARM_UP: VegaLiteSpec = {
  $schema: VEGA_LITE_SCHEMA,
  data: { values: [{ x: 0 }] },
  mark: 'point',
  encoding: { x: { field: 'x', type: 'quantitative' } },
} as VegaLiteSpec;

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Niceness of this thread (Linux): its work fills the core the main thread does not use, and yields to the main thread, whose LOO and summaries are the run's critical path, when both want the same core. */
const FIGURE_THREAD_NICE = 5;

/**
 * Lowers this thread's scheduling priority, where the system allows it per thread (Linux:
 * setpriority on the thread's id, read from /proc/thread-self); elsewhere the thread keeps the
 * process's priority.
 */
function lowerPriority(): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, FIGURE_THREAD_NICE);
  } catch {
    // not Linux, or not allowed: the default priority
  }
}

const port = parentPort;
if (port) {
  const { pngScale } = workerData as FigureWorkerSettings;
  lowerPriority();
  // Figures are drawn one at a time, in order: the SVG by Vega on this thread, then the PNG,
  // rasterised on libuv's pool and encoded here (resvg's asPng is synchronous).
  let queue: Promise<void> = renderSvg(WARM_UP).then(
    () => undefined,
    () => undefined,
  );
  /** False once the main thread has taken over rasterising (handOverPngs). */
  let rasterise = true;
  port.on('message', (m: RenderRequest) => {
    if ('handOverPngs' in m) {
      rasterise = false; // at once, not behind the queued charts
      return;
    }
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
      if (!rasterise) {
        port.postMessage({ id: m.id, svg, pngHere: true } satisfies RenderReply);
        return;
      }
      port.postMessage({ id: m.id, svg } satisfies RenderReply);
      // Awaited before the next chart: the figure work then keeps one core busy at a time (Vega
      // here, or resvg on one of libuv's threads), and the main thread, whose LOO and summaries
      // are the run's critical path, keeps the other. Rasterising beside the next charts let up
      // to five threads share two cores with it (LOO took 2–4× its CPU time in wall time).
      try {
        const png = await svgToPng(svg, { scale: pngScale });
        port.postMessage({ id: m.id, png } satisfies RenderReply, [png.buffer as ArrayBuffer]);
      } catch (e) {
        port.postMessage({ id: m.id, error: message(e), stage: 'png' } satisfies RenderReply);
      }
    });
  });
}
