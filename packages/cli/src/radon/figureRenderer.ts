// Renders the radon figures (SVG and PNG), and computes the RMSDs of the fits without a joint log-likelihood, on a second thread (figureWorker.ts) while this one samples and computes LOO and the summaries; in this thread when no worker can start.
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { renderSvg, type InferenceData, type VegaLiteSpec } from 'nutmeg';
import { startWorkerThread, svgToPng } from 'nutmeg/node';
import { rmsdOf, type RmsdResult } from './analysis.js';
import type { RadonData } from './data.js';
import type { FigureWorkerSettings, LineDrawsData, RenderReply, RenderRequest } from './figureWorker.js';

/** A figure being drawn: its SVG, then its PNG bytes. */
export interface RenderedFigure {
  readonly svg: Promise<string>;
  readonly png: Promise<Uint8Array>;
}

/** Renders specs to SVG and PNG, off this thread when it can. */
export interface FigureRenderer {
  /** Starts drawing `spec` (figures are drawn in the order asked). */
  readonly render: (spec: VegaLiteSpec) => RenderedFigure;
  /** The RMSDs of a fit (`rmsdOf` with its own PSIS: the unpooled and ADVI fits), computed in turn with the figures. */
  readonly rmsd: (data: RadonData, idata: InferenceData) => Promise<RmsdResult>;
  /**
   * From now on the figure thread draws SVGs only and this thread rasterises them (resvg on
   * libuv's pool, the PNG encoded here): for when this thread would otherwise only wait.
   */
  readonly rasteriseHere: () => void;
  /** Whether the figure thread is drawing (false once it failed to start or died, and after `close`): figures are then drawn in this thread. */
  readonly threadRunning: () => boolean;
  /** Ends the figure thread (figures not finished are rejected). */
  readonly close: () => Promise<void>;
}

/** The young generation of the figure thread's heap, in MB: Vega allocates many short-lived objects, and V8's default (16 MB semi-spaces) spent ~1.5 s of 9 s of that thread in scavenges. */
const FIGURE_THREAD_YOUNG_MB = 64;

/**
 * A worker thread running figureWorker. In the build the entry is the one-file bundle
 * figureWorker.bundle.js (scripts/bundle-figure-worker.mjs; faster to load), or figureWorker.js
 * without it. Running from the TypeScript sources (tsx, as the tests do), the .ts entry loads
 * through tsx's `tsImport` (Node 20 does not pass `--import` loader hooks on to worker threads).
 */
function spawnFigureWorker(settings: FigureWorkerSettings): Worker {
  const resourceLimits = { maxYoungGenerationSizeMb: FIGURE_THREAD_YOUNG_MB };
  if (!import.meta.url.endsWith('.ts')) {
    const bundle = new URL('./figureWorker.bundle.js', import.meta.url);
    const entry = existsSync(bundle) ? bundle : new URL('./figureWorker.js', import.meta.url);
    return startWorkerThread(entry, { resourceLimits, workerData: settings });
  }
  const entry = new URL('./figureWorker.ts', import.meta.url).href;
  const api = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(api)}).then(({ tsImport }) => tsImport(${JSON.stringify(entry)}, ${JSON.stringify(import.meta.url)}));`;
  return new Worker(code, { eval: true, resourceLimits, workerData: settings });
}

/** A figure drawn in this thread: the SVG by Vega here, the PNG by resvg. */
function renderHere(spec: VegaLiteSpec, pngScale: number): RenderedFigure {
  const svg = renderSvg(spec);
  return { svg, png: svg.then((s) => svgToPng(s, { scale: pngScale })) };
}

/** What rmsdOf reads of a fit: alpha, beta and eps (not the rest of its groups, which would be copied to the thread for nothing). */
function lineDrawsOnly(idata: InferenceData): LineDrawsData {
  const v = idata.groups.posterior!.vars;
  return { nChains: idata.nChains, nDraws: idata.nDraws, groups: { posterior: { vars: { alpha: v.alpha, beta: v.beta, eps: v.eps }, attrs: {} } } };
}

interface PendingRmsd {
  readonly data: RadonData;
  readonly idata: InferenceData;
  readonly resolve: (r: RmsdResult) => void;
  readonly reject: (e: Error) => void;
}

/** The RMSDs of a fit computed in this thread, as a promise. */
function rmsdHere(data: RadonData, idata: InferenceData): Promise<RmsdResult> {
  try {
    return Promise.resolve(rmsdOf(data, idata));
  } catch (e) {
    return Promise.reject(e instanceof Error ? e : new Error(String(e)));
  }
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
 * @param settings - the PNGs' scale (the run's `pngScale`)
 * @returns the renderer; call `close` when done (also after Ctrl-C)
 */
export function startFigureRenderer(settings: FigureWorkerSettings): FigureRenderer {
  const { pngScale } = settings;
  const pending = new Map<number, Pending>();
  const pendingRmsd = new Map<number, PendingRmsd>();
  let nextId = 0;
  let worker: Worker | undefined;
  let closed = false;
  /** After the thread failed: what is still pending (and everything later) is drawn here. */
  const fallBack = (): void => {
    worker = undefined;
    for (const [id, p] of pending) {
      pending.delete(id);
      const here = renderHere(p.spec, pngScale);
      if (!p.svgDone) here.svg.then(p.svg.resolve, p.svg.reject);
      here.png.then(p.png.resolve, p.png.reject);
    }
    for (const [id, p] of pendingRmsd) {
      pendingRmsd.delete(id);
      rmsdHere(p.data, p.idata).then(p.resolve, p.reject);
    }
  };
  try {
    worker = spawnFigureWorker(settings);
    worker.on('message', (m: RenderReply) => {
      const r = pendingRmsd.get(m.id);
      if (r) {
        pendingRmsd.delete(m.id);
        if ('rmsd' in m) r.resolve(m.rmsd);
        else r.reject(new Error('error' in m ? m.error : 'unexpected reply'));
        return;
      }
      const p = pending.get(m.id);
      if (!p) return;
      if ('svg' in m) {
        p.svgDone = true;
        p.svg.resolve(m.svg);
        if (m.pngHere) {
          pending.delete(m.id);
          svgToPng(m.svg, { scale: pngScale }).then(p.png.resolve, p.png.reject);
        }
      } else if ('png' in m) {
        pending.delete(m.id);
        p.png.resolve(m.png);
      } else if ('error' in m) {
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
      if (!worker) return renderHere(spec, pngScale);
      const id = nextId++;
      let svgSettle!: Pending['svg'];
      let pngSettle!: Pending['png'];
      const svg = new Promise<string>((resolve, reject) => (svgSettle = { resolve, reject }));
      const png = new Promise<Uint8Array>((resolve, reject) => (pngSettle = { resolve, reject }));
      pending.set(id, { spec, svgDone: false, svg: svgSettle, png: pngSettle });
      worker.postMessage({ id, spec } satisfies RenderRequest);
      return { svg, png };
    },
    rmsd: (data, idata) => {
      if (closed) return Promise.reject(new Error('the figure renderer is closed'));
      if (!worker) return rmsdHere(data, idata);
      const id = nextId++;
      return new Promise<RmsdResult>((resolve, reject) => {
        pendingRmsd.set(id, { data, idata, resolve, reject });
        worker!.postMessage({ id, rmsdOf: { data, idata: lineDrawsOnly(idata) } } satisfies RenderRequest);
      });
    },
    threadRunning: () => worker !== undefined,
    rasteriseHere: () => {
      if (worker && !closed) worker.postMessage({ handOverPngs: true } satisfies RenderRequest);
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
      for (const p of pendingRmsd.values()) p.reject(e);
      pendingRmsd.clear();
      if (w) await w.terminate();
    },
  };
}
