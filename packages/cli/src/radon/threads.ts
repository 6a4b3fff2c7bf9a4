// Starts one of the radon example's worker threads, from the built JavaScript or from the TypeScript sources.
import { Worker } from 'node:worker_threads';

/**
 * A worker running `./<name>.js` (or `./<name>.ts` from sources) next to this file.
 *
 * @param name - module name without extension, e.g. `unpooledWorker`
 * @param workerData - the worker's input (structured-cloneable)
 * @returns the worker
 */
export function spawnWorker(name: string, workerData: unknown): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, import.meta.url), { workerData });
  // From TypeScript sources (tsx), Node 20 does not pass loader hooks to workers: load the entry through tsx.
  const entry = new URL(`./${name}.ts`, import.meta.url).href;
  const api = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(api)}).then(({ tsImport }) => tsImport(${JSON.stringify(entry)}, ${JSON.stringify(import.meta.url)}));`;
  return new Worker(code, { eval: true, workerData });
}

/**
 * Runs a worker that posts progress messages and finally one `{type: 'result', …}` or
 * `{type: 'error', message}` message.
 *
 * @param name - worker module name
 * @param workerData - its input
 * @param onMessage - receives every other message
 * @returns the result message
 */
export function runWorker<R extends { type: 'result' }>(name: string, workerData: unknown, onMessage?: (m: unknown) => void): Promise<R> {
  return new Promise((resolve, reject) => {
    const w = spawnWorker(name, workerData);
    let settled = false;
    w.on('message', (m: { type: string; message?: string }) => {
      if (m.type === 'result') {
        settled = true;
        resolve(m as R);
        void w.terminate();
      } else if (m.type === 'error') {
        settled = true;
        reject(new Error(m.message));
        void w.terminate();
      } else onMessage?.(m);
    });
    w.on('error', (e) => {
      if (!settled) reject(e);
      settled = true;
    });
    w.on('exit', (code) => {
      if (!settled) reject(new Error(`${name} exited with code ${code}`));
    });
  });
}
