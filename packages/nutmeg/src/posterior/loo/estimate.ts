// A summed pointwise quantity and its standard error, as R loo's table_of_estimates computes it.

/** An estimate summed over observations with its standard error. */
export interface Estimate {
  /** Σ_i x_i. */
  readonly estimate: number;
  /** √(n · Var(x)), Var with the n − 1 denominator (the SE of the sum of n independent terms). */
  readonly se: number;
}

/**
 * The sum of pointwise values and its standard error √(n·Var(x)) (R loo's `table_of_estimates`).
 *
 * @param x - pointwise values (n ≥ 1; the SE is NaN for n = 1)
 * @returns the estimate and its SE
 * @example
 * ```ts
 * sumWithSe([1, 2, 3]); // { estimate: 6, se: √3 }
 * ```
 */
export function sumWithSe(x: ArrayLike<number>): Estimate {
  const n = x.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += x[i];
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (x[i] - mean) ** 2;
  return { estimate: sum, se: Math.sqrt((n * ss) / (n - 1)) };
}
