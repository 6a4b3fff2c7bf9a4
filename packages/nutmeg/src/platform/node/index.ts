// Node's sampling platform: worker-thread chains, terminal progress, SIGINT to stop and keep the draws.
import { totalmem } from 'node:os';
import type { SamplingPlatform } from '../../workflow/platform.js';
import { specKey } from '../../workflow/chainSource.js';
import { coreCount, workerRunner } from './workers.js';
import { terminalProgress } from './progressTerminal.js';
import { nodeCheckpointStore } from './checkpointStore.js';

/**
 * Calls `handler` on the first Ctrl-C (SIGINT) so sampling stops and returns its draws; a second
 * Ctrl-C exits the process as usual (code 130).
 *
 * @returns a function that removes the handler
 */
export function onSigint(handler: () => void): () => void {
  let count = 0;
  const listener = (): void => {
    count++;
    if (count === 1) {
      process.stderr.write('\nInterrupted: stopping chains and keeping the draws so far (Ctrl-C again to quit).\n');
      handler();
    } else {
      process.exit(130);
    }
  };
  process.on('SIGINT', listener);
  return () => {
    process.off('SIGINT', listener);
  };
}

/** The adapters `sample()` uses in Node. */
export const platform: SamplingPlatform = {
  createRunner: (spec, { workers }) => workerRunner({ kind: 'spec', spec, key: specKey(spec as object) }, workers),
  createProgress: (nChains, draws) => terminalProgress(nChains, draws),
  onInterrupt: onSigint,
  defaultWorkers: coreCount,
  // Half the machine's memory: draws live in typed arrays outside V8's heap, so the heap limit does not bound them; the rest is left to the OS and other programs.
  memoryLimit: () => Math.floor(totalmem() / 2),
  openCheckpoint: nodeCheckpointStore,
  printWarnings: (text) => {
    process.stderr.write(`${text}\n`);
  },
};

