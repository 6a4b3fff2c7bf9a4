// Renders the radon figures on a thread of their own (figureWorker.ts), so that charts are drawn while this thread computes LOO; in this thread when no worker can start.
import { Worker } from 'node:worker_threads';
import { renderSvg, type VegaLiteSpec } from 'nutmeg';
import type { RenderReply, RenderRequest } from './figureWorker.js';

/** Renders specs to SVG, off this thread when it can. */
export interface FigureRenderer {
  /** The SVG of `spec` (rendered in the order asked). */
  readonly render: (spec: VegaLiteSpec) => Promise<string>;
  /** Ends the figure thread (renders not finished are rejected). */
  readonly close: () => Promise<void>;
}

/**
 * A worker thread running figureWorker: the built .js next to this file, or, when running from
 * the TypeScript sources (tsx, as the tests do), the .ts entry through tsx's `tsImport` (Node 20
 * does not pass `--import` loader hooks on to worker threads).
 */
function spawnFigureWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) {
    const execArgv = process.execArgv.filter((a) => !a.startsWith('--import') && !a.startsWith('--require') && !a.startsWith('--loader'));
    return new Worker(new URL('./figureWorker.js', import.meta.url), { execArgv });
  }
  const entry = new URL('./figureWorker.ts', import.meta.url).href;
  const api = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(api)}).then(({ tsImport }) => tsImport(${JSON.stringify(entry)}, ${JSON.stringify(import.meta.url)}));`;
  return new Worker(code, { eval: true });
}

/**
 * Starts the figure thread at once: it loads vega-lite and vega while the models sample (the
 * main thread only waits for the chains then), and renders the charts asked of it one after
 * another, beside whatever this thread does. If the thread cannot start or dies, the charts not
 * yet rendered are rendered here instead, so a figure is never lost to the thread.
 *
 * @returns the renderer; call `close` when done (also after Ctrl-C)
 */
export function startFigureRenderer(): FigureRenderer {
  const pending = new Map<number, { spec: VegaLiteSpec; resolve: (svg: string) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  let worker: Worker | undefined;
  let closed = false;
  /** After the thread failed: everything still pending (and everything later) is rendered here. */
  const fallBack = (): void => {
    worker = undefined;
    for (const [id, p] of pending) {
      pending.delete(id);
      renderSvg(p.spec).then(p.resolve, p.reject);
    }
  };
  try {
    worker = spawnFigureWorker();
    worker.on('message', (m: RenderReply) => {
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      if ('svg' in m) p.resolve(m.svg);
      else p.reject(new Error(m.error));
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
      if (closed) return Promise.reject(new Error('the figure renderer is closed'));
      if (!worker) return renderSvg(spec);
      const id = nextId++;
      return new Promise<string>((resolve, reject) => {
        pending.set(id, { spec, resolve, reject });
        worker!.postMessage({ id, spec } satisfies RenderRequest);
      });
    },
    close: async () => {
      if (closed) return;
      closed = true;
      const w = worker;
      worker = undefined;
      for (const p of pending.values()) p.reject(new Error('the figure renderer was closed'));
      pending.clear();
      if (w) await w.terminate();
    },
  };
}
