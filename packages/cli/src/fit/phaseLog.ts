// Sampling progress for a log rather than a terminal: one line when the chains start warming up and one when all of them draw (as CmdStan's log says "Warmup" and "Sampling").
import type { ChainProgress, ProgressSink } from 'nutmeg';

/**
 * A progress sink that writes a line when the first chain warms up and one when every chain
 * draws: where stderr is not a terminal (a log file, a pipe), a live bar would be noise.
 *
 * @param write - where the lines go
 * @param prefix - e.g. `nutmeg fit`
 * @param chains - the number of chains
 * @returns the sink
 */
export function phaseLog(write: (s: string) => void, prefix: string, chains: number): ProgressSink {
  let warming = false;
  const drawing = new Set<number>();
  return {
    update: (e: ChainProgress) => {
      if (!warming && e.phase === 'warmup') {
        warming = true;
        write(`${prefix}: chains warming up\n`);
      }
      if (e.phase !== 'sampling' || drawing.has(e.chain)) return;
      drawing.add(e.chain);
      if (drawing.size === chains) write(`${prefix}: warm-up done; all ${chains} chains drawing\n`);
    },
    finish: () => undefined,
  };
}
