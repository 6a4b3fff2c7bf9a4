// FitError: one job of mapFits failed; names the job and keeps the original error as its cause.

/**
 * The failure of one job of {@link mapFits}. The other jobs still run; the failed job's outcome
 * carries this error. `cause` is the error the fit raised (with its class and fields when it ran
 * in this thread; rebuilt from name, message and fields when it crossed a thread or a queue).
 */
export class FitError extends Error {
  /** Position of the job in the list given to mapFits. */
  readonly index: number;
  /** The job's name (`job <index>` when it has none). */
  readonly job: string;
  constructor(index: number, job: string, cause: unknown) {
    const why = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    super(`fit '${job}' (job ${index}) failed: ${why}`, { cause });
    this.name = 'FitError';
    this.index = index;
    this.job = job;
  }
}
