// Wall-clock time for timings and yield intervals, on any platform: `performance.now()` where there is one, else `Date.now()`.

/**
 * Milliseconds from an arbitrary origin (only differences mean anything).
 *
 * @returns the time in milliseconds
 * @example
 * ```ts
 * const t0 = nowMs();
 * const seconds = (nowMs() - t0) / 1000;
 * ```
 */
export function nowMs(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}
