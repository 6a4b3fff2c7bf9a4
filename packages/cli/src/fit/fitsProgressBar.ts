// A progress bar over many fits on stderr (cli-progress), drawn only when stderr is a terminal.
import cliProgress from 'cli-progress';

/** What the fits loop reports to. */
export interface FitsProgressBar {
  /** One more fit finished. */
  readonly tick: (name: string) => void;
  readonly stop: () => void;
}

/**
 * A bar `fits [=====-----] 3/12 | B` on stderr, or a silent one when stderr is not a terminal.
 *
 * @param total - fits to run
 * @param enabled - whether to draw (stderr is a TTY and the command writes to the process's streams)
 * @returns the bar
 */
export function fitsProgressBar(total: number, enabled: boolean): FitsProgressBar {
  if (!enabled) return { tick: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: 'fits [{bar}] {value}/{total} | {name}', hideCursor: true, clearOnComplete: true, barsize: 30 },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { name: '' });
  return {
    tick: (name) => bar.increment(1, { name }),
    stop: () => bar.stop(),
  };
}
