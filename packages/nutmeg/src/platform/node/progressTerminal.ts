// Terminal rendering of sampling progress: one line per chain, redrawn in place with cli-progress.
//
// cli-progress's MultiBar keeps one line per bar and redraws them with ANSI cursor moves at a fixed
// rate, handles terminal width and cursor hiding, and prints nothing when the stream is not a TTY;
// hand-written cursor movement would duplicate all of that.
import cliProgress from 'cli-progress';
import { progressLine, progressView, type ChainProgress, type ProgressSink } from '../../inference/chain/progress.js';

/**
 * A progress display on the terminal (stderr): one line per chain with phase, draws done,
 * divergences, step size, leapfrog steps per draw, iterations per second and ETA. Returns
 * undefined when stderr is not a TTY (logs, pipes, CI), so nothing is printed there.
 *
 * @param nChains - number of chains
 * @param drawsPerChain - draws per chain (for the counter width)
 * @param stream - output stream (default process.stderr)
 * @returns a sink, or undefined when the stream is not interactive
 */
export function terminalProgress(nChains: number, drawsPerChain: number, stream: NodeJS.WriteStream = process.stderr): ProgressSink | undefined {
  if (!stream.isTTY) return undefined;
  const multi = new cliProgress.MultiBar(
    {
      stream,
      hideCursor: true,
      clearOnComplete: false,
      stopOnComplete: false,
      fps: 8,
      barsize: 20,
      format: (options, params, payload: { line?: string }) => {
        const size = options.barsize ?? 20;
        const filled = Math.round(params.progress * size);
        const bar = (options.barCompleteString ?? '').slice(0, filled) + (options.barIncompleteString ?? '').slice(0, size - filled);
        return `${bar} ${payload.line ?? ''}`;
      },
    },
    cliProgress.Presets.shades_classic,
  );
  const bars: cliProgress.SingleBar[] = [];
  for (let c = 0; c < nChains; c++) bars.push(multi.create(1, 0, { line: `chain ${c} | starting` }));
  let finished = false;
  return {
    update(e: ChainProgress) {
      if (finished) return;
      const bar = bars[e.chain];
      if (!bar) return;
      const v = progressView(e);
      bar.setTotal(Math.max(1, v.total));
      bar.update(v.done, { line: progressLine(v, drawsPerChain) });
    },
    finish() {
      if (finished) return;
      finished = true;
      multi.stop();
    },
  };
}
