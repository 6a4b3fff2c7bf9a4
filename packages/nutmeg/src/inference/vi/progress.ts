// ADVI progress as plain events (no I/O): what a renderer (terminal, DOM, test) is told, and a text formatter.

/** Sent once before any work. */
export interface AdviStartEvent {
  readonly type: 'start';
  readonly method: 'advi' | 'fullrank_advi';
  readonly dim: number;
  readonly maxIterations: number;
}

/** Sent after each step-size trial of the adaptive η search. */
export interface AdviAdaptEvent {
  readonly type: 'adapt';
  readonly eta: number;
  /** ELBO after the trial's iterations (−Infinity if it diverged). */
  readonly elbo: number;
  /** 0-based trial index and number of candidates. */
  readonly trial: number;
  readonly trials: number;
}

/** Sent at every ELBO evaluation (every `evalElbo` iterations). */
export interface AdviIterationEvent {
  readonly type: 'iteration';
  readonly iteration: number;
  readonly maxIterations: number;
  /** ELBO estimated with `elboSamples` draws at this iteration. */
  readonly elbo: number;
  /** Mean of the per-iteration ELBO estimates since the previous evaluation (the running ELBO). */
  readonly runningElbo: number;
  /** Stan's mean and median relative ELBO change over the convergence window */
  readonly relMean: number;
  readonly relMedian: number;
  /** PyMC's relative parameter change since the previous evaluation. */
  readonly paramChange: number;
  /** Seconds since the start. */
  readonly elapsed: number;
}

/** Sent once at the end, whatever the outcome. */
export interface AdviEndEvent {
  readonly type: 'end';
  readonly iterations: number;
  readonly converged: boolean;
  readonly diverged: boolean;
  readonly elbo: number;
  readonly message: string;
  readonly elapsed: number;
}

/** Everything an ADVI progress listener can be told. */
export type AdviEvent = AdviStartEvent | AdviAdaptEvent | AdviIterationEvent | AdviEndEvent;

/** A progress listener. */
export type AdviProgressCallback = (event: AdviEvent) => void;

function fmt(x: number, digits: number): string {
  return Number.isFinite(x) ? x.toFixed(digits) : String(x);
}

/**
 * One line of text for an event, as a log or a terminal shows it (Stan-like columns).
 *
 * @param e - the event
 * @returns a line without a trailing newline
 * @example
 * ```ts
 * formatAdviEvent({ type: 'adapt', eta: 1, elbo: -1083.2, trial: 2, trials: 5 });
 * // → 'ADVI: step-size trial 3/5, eta = 1: ELBO -1083.2'
 * ```
 */
export function formatAdviEvent(e: AdviEvent): string {
  switch (e.type) {
    case 'start':
      return `ADVI (${e.method === 'advi' ? 'mean-field' : 'full-rank'}) on ${e.dim} parameters, at most ${e.maxIterations} iterations`;
    case 'adapt':
      return `ADVI: step-size trial ${e.trial + 1}/${e.trials}, eta = ${e.eta}: ELBO ${fmt(e.elbo, 1)}`;
    case 'iteration': {
      const pct = Math.floor((100 * e.iteration) / e.maxIterations);
      return `ADVI ${String(pct).padStart(3)}% | iter ${e.iteration} | ELBO ${fmt(e.elbo, 2)} (running ${fmt(e.runningElbo, 2)}) | rel. change mean ${fmt(e.relMean, 4)} median ${fmt(e.relMedian, 4)} | ${fmt(e.elapsed, 2)} s`;
    }
    case 'end':
      return `ADVI ${e.converged ? 'converged' : e.diverged ? 'diverged' : 'stopped'} after ${e.iterations} iterations (${fmt(e.elapsed, 2)} s): ${e.message}`;
  }
}
