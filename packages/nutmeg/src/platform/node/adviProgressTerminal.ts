// Terminal rendering of ADVI progress: one line, redrawn in place, with the running ELBO and the convergence measure.
import cliProgress from 'cli-progress';
import { formatAdviEvent, type AdviEvent, type AdviProgressCallback } from '../../inference/vi/progress.js';

/**
 * A live one-line ADVI display on the terminal (stderr), for `fit(model, {progress: adviTerminalProgress()})`:
 * a bar over the iteration budget `n`, the iteration, the ELBO, the running ELBO and Stan's
 * relative ELBO changes; the final line says why it stopped ("Median ELBO converged at …").
 * Returns undefined when the stream is not a TTY (logs, pipes, CI), so nothing is drawn there;
 * pass `{ fallback: true }` to get plain lines then instead.
 *
 * @param options - `stream` (default process.stderr); `fallback`: print plain lines when not a TTY
 * @returns a progress callback, or undefined
 * @example
 * ```ts
 * import { fit, type CompiledModel } from 'nutmeg';
 * import { adviTerminalProgress } from 'nutmeg/node';
 * declare const model: CompiledModel;
 * const approx = fit(model, { n: 100000, progress: adviTerminalProgress() });
 * ```
 */
export function adviTerminalProgress(options: { stream?: NodeJS.WriteStream; fallback?: boolean } = {}): AdviProgressCallback | undefined {
  const stream = options.stream ?? process.stderr;
  if (!stream.isTTY) {
    if (!options.fallback) return undefined;
    return (e: AdviEvent) => {
      if (e.type !== 'iteration' || e.iteration % (10 * 100) === 0) stream.write(`${formatAdviEvent(e)}\n`);
    };
  }
  let bar: cliProgress.SingleBar | undefined;
  let total = 1;
  return (e: AdviEvent) => {
    switch (e.type) {
      case 'start':
        total = e.maxIterations;
        bar = new cliProgress.SingleBar(
          {
            stream,
            hideCursor: true,
            clearOnComplete: false,
            fps: 10,
            barsize: 20,
            format: (opts, params, payload: { line?: string }) => {
              const size = opts.barsize ?? 20;
              const filled = Math.round(params.progress * size);
              return `${(opts.barCompleteString ?? '').slice(0, filled)}${(opts.barIncompleteString ?? '').slice(0, size - filled)} ${payload.line ?? ''}`;
            },
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total, 0, { line: formatAdviEvent(e) });
        break;
      case 'adapt':
        bar?.update(0, { line: formatAdviEvent(e) });
        break;
      case 'iteration':
        bar?.update(e.iteration, {
          line: `iter ${e.iteration} | ELBO ${e.elbo.toFixed(2)} (running ${e.runningElbo.toFixed(2)}) | rel. ΔELBO mean ${e.relMean.toFixed(4)} median ${e.relMedian.toFixed(4)} | ${e.elapsed.toFixed(1)} s`,
        });
        break;
      case 'end':
        bar?.update(e.iterations, { line: formatAdviEvent(e) });
        bar?.stop();
        bar = undefined;
        break;
    }
  };
}
