// Renders the radon figures (SVG and PNG) on a thread of their own (figureWorker.ts), so that charts are drawn while this thread computes LOO and the summaries; in this thread when no worker can start.
import { Worker } from 'node:worker_threads';
import { renderSvg, type VegaLiteSpec } from 'nutmeg';
import { svgToPng } from 'nutmeg/node';
import type { RenderReply, RenderRequest } from './figureWorker.js';

/** A figure being drawn: its SVG, then its PNG bytes. */
export interface RenderedFigure {
  readonly svg: Promise<string>;
  readonly png: Promise<Uint8Array>;
}

/** Renders specs to SVG and PNG, off this thread when it can. */
export interface FigureRenderer {
  /** Starts drawing `spec` (figures are drawn in the order asked). */
  readonly render: (spec: VegaLiteSpec) => RenderedFigure;
  /** Ends the figure thread (figures not finished are rejected). */
  readonly close: () => Promise<void>;
}

/** The young generation of the figure thread's heap, in MB: Vega allocates many short-lived objects, and V8's default (16 MB semi-spaces) spent ~1.5 s of 9 s of that thread in scavenges. */
const FIGURE_THREAD_YOUNG_MB = 64;

/**
 * A worker thread running figureWorker: the built .js next to this file, or, when running from
 * the TypeScript sources (tsx, as the tests do), the .ts entry through tsx's `tsImport` (Node 20
 * does not pass `--import` loader hooks on to worker threads).
 */
function spawnFigureWorker(): Worker {
  const resourceLimits = { maxYoungGenerationSizeMb: FIGURE_THREAD_YOUNG_MB };
  if (!import.meta.url.endsWith('.ts')) {
    const execArgv = process.execArgv.filter((a) => !a.startsWith('--import') && !a.startsWith('--require') && !a.startsWith('--loader'));
    return new Worker(new URL('./figureWorker.js', import.meta.url), { execArgv, resourceLimits });
  }
  const entry = new URL('./figureWorker.ts', import.meta.url).href;
  const api = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(api)}).then(({ tsImport }) => tsImport(${JSON.stringify(entry)}, ${JSON.stringify(import.meta.url)}));`;
  return new Worker(code, { eval: true, resourceLimits });
}

/** A figure drawn in this thread: the SVG by Vega here, the PNG by resvg. */
function renderHere(spec: VegaLiteSpec): RenderedFigure {
  const svg = renderSvg(spec);
  return { svg, png: svg.then((s) => svgToPng(s)) };
}

interface Pending {
  readonly spec: VegaLiteSpec;
  svgDone: boolean;
  readonly svg: { resolve: (svg: string) => void; reject: (e: Error) => void };
  readonly png: { resolve: (png: Uint8Array) => void; reject: (e: Error) => void };
}

/**
 * Starts the figure thread at once: it loads vega-lite and vega while the models sample (the
 * main thread only waits for the chains then), and draws the figures asked of it one after
 * another, beside whatever this thread does. If the thread cannot start or dies, the figures not
 * yet drawn are drawn here instead, so a figure is never lost to the thread.
 *
 * @returns the renderer; call `close` when done (also after Ctrl-C)
 */
export function startFigureRenderer(): FigureRenderer {
  const pending = new Map<number, Pending>();
  let nextId = 0;
  let worker: Worker | undefined;
  let closed = false;
  /** After the thread failed: what is still pending (and everything later) is drawn here. */
  const fallBack = (): void => {
    worker = undefined;
    for (const [id, p] of pending) {
      pending.delete(id);
      const here = renderHere(p.spec);
      if (!p.svgDone) here.svg.then(p.svg.resolve, p.svg.reject);
      here.png.then(p.png.resolve, p.png.reject);
    }
  };
  try {
    worker = spawnFigureWorker();
    worker.on('message', (m: RenderReply) => {
      const p = pending.get(m.id);
      if (!p) return;
      if ('svg' in m) {
        p.svgDone = true;
        p.svg.resolve(m.svg);
      } else if ('png' in m) {
        pending.delete(m.id);
        p.png.resolve(m.png);
      } else {
        pending.delete(m.id);
        const e = new Error(m.error);
        if (m.stage === 'svg') p.svg.reject(e);
        p.png.reject(e);
      }
    });
    worker.on('error', () => {
      if (!closed) fallBack();
    });
    worker.on('exit', () => {
      if (!closed) fallBack();
    });
  } catch {
    worker = undefined;
  }
  return {
    render: (spec) => {
      if (closed) {
        const e = Promise.reject(new Error('the figure renderer is closed'));
        return { svg: e, png: e as Promise<never> };
      }
      if (!worker) return renderHere(spec);
      const id = nextId++;
      let svgSettle!: Pending['svg'];
      let pngSettle!: Pending['png'];
      const svg = new Promise<string>((resolve, reject) => (svgSettle = { resolve, reject }));
      const png = new Promise<Uint8Array>((resolve, reject) => (pngSettle = { resolve, reject }));
      pending.set(id, { spec, svgDone: false, svg: svgSettle, png: pngSettle });
      worker.postMessage({ id, spec } satisfies RenderRequest);
      return { svg, png };
    },
    close: async () => {
      if (closed) return;
      closed = true;
      const w = worker;
      worker = undefined;
      const e = new Error('the figure renderer was closed');
      for (const p of pending.values()) {
        if (!p.svgDone) p.svg.reject(e);
        p.png.reject(e);
      }
      pending.clear();
      if (w) await w.terminate();
    },
  };
}
