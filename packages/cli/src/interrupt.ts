// Ctrl-C in a nutmeg command: the first stops the work at the next check and keeps what is complete; a second quits at once (exit 130).
import type { Io } from './cliRun.js';

/** Exit code after Ctrl-C (128 + SIGINT), as shells report it. */
export const EXIT_INTERRUPTED = 130;

/** A command's interrupt: an abort signal raised by the first Ctrl-C (or by a test's signal). */
export interface Interrupt {
  /** Aborted on the first Ctrl-C. */
  readonly signal: AbortSignal;
  /** Removes the Ctrl-C handler (the command is over). */
  dispose(): void;
}

/** Thrown by {@link checkInterrupt} when the run was interrupted: the command catches it and writes what is complete. */
export class Interrupted extends Error {
  /**
   * @param detail - how far the interrupted step got, e.g. `137 of 1000 draws per chain (4 chains)`
   */
  constructor(readonly detail?: string) {
    super(detail === undefined ? 'interrupted' : `interrupted: ${detail}`);
    this.name = 'Interrupted';
  }
}

/**
 * Takes over Ctrl-C (SIGINT) for a command: the first aborts `signal` (sample() and mapFits stop
 * their chains, the stages after sampling stop at their next {@link checkInterrupt}) and says so on
 * stderr; a second ends the process at once with code 130, as a user pressing it twice expects.
 *
 * @param io - where the notice goes
 * @param external - a signal that also interrupts (tests)
 * @returns the interrupt
 */
export function listenForInterrupt(io: Io, external?: AbortSignal): Interrupt {
  const controller = new AbortController();
  const onExternal = (): void => controller.abort();
  if (external?.aborted) controller.abort();
  else external?.addEventListener('abort', onExternal, { once: true });
  const listener = (): void => {
    if (controller.signal.aborted) process.exit(EXIT_INTERRUPTED);
    io.err('\nInterrupted: stopping and writing what is complete (Ctrl-C again to quit at once).\n');
    controller.abort();
  };
  process.on('SIGINT', listener);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', listener);
      external?.removeEventListener('abort', onExternal);
    },
  };
}

/**
 * Lets pending events run (a Ctrl-C is only seen between turns of the event loop), then throws
 * {@link Interrupted} when `signal` is aborted. Stages call it between steps of at most ~0.5 s,
 * so a Ctrl-C is answered within a second.
 *
 * @param signal - the command's interrupt signal
 * @throws Interrupted when aborted
 */
export async function checkInterrupt(signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return;
  await new Promise<void>((resolve) => setImmediate(resolve));
  if (signal.aborted) throw new Interrupted();
}

/**
 * Waits for `work`, or throws {@link Interrupted} as soon as `signal` aborts (the work, which
 * cannot be stopped, such as rendering a chart, is left to finish or to end with the process).
 *
 * @param work - a promise
 * @param signal - the command's interrupt signal
 * @returns what `work` resolves to
 * @throws Interrupted when `signal` aborts first
 */
export async function unlessInterrupted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) throw new Interrupted();
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new Interrupted());
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort!);
  }
}
