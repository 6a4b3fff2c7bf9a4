// Sampling progress as an event model: chains report, a pure board derives rates and ETAs for any renderer.

/** A chain's progress report (plain data, sent across threads). */
export interface ChainProgress {
  readonly chain: number;
  /** 'warmup' while tuning, 'sampling' while drawing, 'done' or 'stopped' at the end. */
  readonly phase: 'warmup' | 'sampling' | 'done' | 'stopped';
  readonly tuneDone: number;
  readonly tune: number;
  readonly drawsDone: number;
  readonly draws: number;
  /** Divergences among the draws so far (post-warm-up). */
  readonly divergences: number;
  readonly divergencesWarmup: number;
  readonly stepSize: number;
  /** Mean leapfrog steps per iteration since the previous report. */
  readonly meanSteps: number;
  readonly gradEvals: number;
  /** Seconds since the chain started. */
  readonly elapsedSeconds: number;
}

/** Something that shows progress: a terminal, a DOM element, a test spy. */
export interface ProgressSink {
  update(event: ChainProgress): void;
  /** Called once when all chains have finished (or were stopped). */
  finish(): void;
}

/** What a renderer shows for one chain. */
export interface ChainProgressView {
  readonly chain: number;
  readonly phase: ChainProgress['phase'];
  /** Iterations done (warm-up + draws) and in total. */
  readonly done: number;
  readonly total: number;
  readonly drawsDone: number;
  readonly divergences: number;
  readonly stepSize: number;
  readonly stepsPerDraw: number;
  /** Iterations per second since the chain started. */
  readonly itersPerSecond: number;
  /** Seconds left at the current rate (NaN before there is a rate). */
  readonly etaSeconds: number;
}

/**
 * The view of a chain's latest report: totals, iterations per second and an ETA from the rate so
 * far. Warm-up iterations are usually slower than draws, so the ETA is conservative early on.
 *
 * @param e - the latest report of a chain
 * @returns what to show
 * @example
 * ```ts
 * progressView({ chain: 0, phase: 'sampling', tuneDone: 1000, tune: 1000, drawsDone: 500, draws: 1000,
 *   divergences: 0, divergencesWarmup: 2, stepSize: 0.3, meanSteps: 15, gradEvals: 30000, elapsedSeconds: 3 });
 * // { done: 1500, total: 2000, itersPerSecond: 500, etaSeconds: 1, … }
 * ```
 */
export function progressView(e: ChainProgress): ChainProgressView {
  const done = e.tuneDone + e.drawsDone;
  const total = e.tune + e.draws;
  const rate = e.elapsedSeconds > 0 ? done / e.elapsedSeconds : 0;
  const finished = e.phase === 'done' || e.phase === 'stopped';
  return {
    chain: e.chain,
    phase: e.phase,
    done,
    total,
    drawsDone: e.drawsDone,
    divergences: e.divergences,
    stepSize: e.stepSize,
    stepsPerDraw: e.meanSteps,
    itersPerSecond: rate,
    etaSeconds: finished ? 0 : rate > 0 ? (total - done) / rate : NaN,
  };
}

/** Formats seconds as `m:ss` (or `h:mm:ss`); `--:--` when unknown. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/**
 * One line of text for a chain, as the terminal renderer prints it.
 *
 * @example
 * ```ts
 * declare const view: ChainProgressView; // from progressView(event)
 * progressLine(view, 1000); // "chain 0 | sampling |  500/1000 draws | 0 div | step 0.31 | 15 steps/draw | 500 it/s | ETA 0:01"
 * ```
 */
export function progressLine(v: ChainProgressView, drawsTotal: number): string {
  const phase = v.phase === 'warmup' ? 'warm-up ' : v.phase === 'sampling' ? 'sampling' : v.phase === 'done' ? 'done    ' : 'stopped ';
  const width = String(drawsTotal).length;
  return (
    `chain ${v.chain} | ${phase} | ${String(v.drawsDone).padStart(width)}/${drawsTotal} draws | ${v.divergences} div | ` +
    `step ${v.stepSize.toPrecision(2)} | ${Math.round(v.stepsPerDraw)} steps/draw | ${Math.round(v.itersPerSecond)} it/s | ` +
    `ETA ${formatDuration(v.etaSeconds)}`
  );
}
