// Sampling progress for a log rather than a terminal: one line when the chains start warming up and one when they start drawing (as CmdStan's log says "Warmup" and "Sampling").
import type { ChainProgress, ProgressSink } from 'nutmeg';

/**
 * A progress sink that writes a line the first time any chain reports each phase (warm-up,
 * sampling): where stderr is not a terminal (a log file, a pipe), a live bar would be noise.
 *
 * @param write - where the lines go
 * @param prefix - e.g. `nutmeg fit`
 * @returns the sink
 */
export function phaseLog(write: (s: string) => void, prefix: string): ProgressSink {
  const seen = new Set<string>();
  return {
    update: (e: ChainProgress) => {
      const phase = e.phase === 'warmup' ? 'warm-up' : e.phase === 'sampling' ? 'sampling' : undefined;
      if (phase === undefined || seen.has(phase)) return;
      seen.add(phase);
      write(`${prefix}: ${phase === 'warm-up' ? 'chains warming up' : 'warm-up done; drawing'}\n`);
    },
    finish: () => undefined,
  };
}
