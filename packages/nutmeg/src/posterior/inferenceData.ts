// InferenceData: results grouped as ArviZ groups them (posterior, sample_stats, observed_data, …).
import type { CoordValues } from '../core/types.js';

/** Coordinate labels of one dim (defined in core/types.ts, below the model graph that also uses it). */
export type { CoordValues };

/**
 * One variable of a group. For sampled groups (`posterior`, `sample_stats`, …) `values` holds
 * `nChains × nDraws × prod(shape)` numbers in row-major order (chain, draw, element…) and
 * `dims` names the element axes only (the `chain` and `draw` dims are implicit). For
 * `observed_data` / `constant_data` / `predictions_constant_data`, `values` holds
 * `prod(shape)` numbers.
 */
export interface VariableArray {
  /** Names of the element axes (not including chain and draw). */
  readonly dims: readonly string[];
  /** Length of each element axis. */
  readonly shape: readonly number[];
  /** Row-major values: (chain, draw, …element) for sampled groups. */
  readonly values: Float64Array;
}

/** A group: variables by name, plus attributes. */
export interface Group {
  readonly vars: Record<string, VariableArray>;
  readonly attrs: Record<string, unknown>;
}

/** The names ArviZ gives its groups. */
export type GroupName =
  | 'posterior'
  | 'sample_stats'
  | 'observed_data'
  | 'constant_data'
  | 'posterior_predictive'
  | 'log_likelihood'
  | 'prior'
  | 'prior_predictive'
  | 'predictions'
  | 'predictions_constant_data';

/**
 * Results of inference, laid out as ArviZ's `InferenceData`: every sampled group shares
 * `nChains` and `nDraws`; `coords` gives labels for named dims.
 */
export interface InferenceData {
  readonly nChains: number;
  readonly nDraws: number;
  readonly groups: Partial<Record<GroupName, Group>>;
  /** Coordinate labels by dim name (dims without coords are labelled 0, 1, …). */
  readonly coords: Record<string, CoordValues>;
  /** Run attributes: nutmeg version, seed, settings, timings, warnings, `incomplete`, … */
  readonly attrs: Record<string, unknown>;
}

/** Number of elements of a shape. */
export function shapeSize(shape: readonly number[]): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

/**
 * The draws of one element of a sampled variable as `draws[chain][draw]`, the layout every
 * diagnostic takes.
 *
 * @param v - a variable of a sampled group
 * @param nChains - chains in the group
 * @param nDraws - draws per chain
 * @param element - flat (row-major) element index, 0 for a scalar
 */
export function elementDraws(v: VariableArray, nChains: number, nDraws: number, element = 0): Float64Array[] {
  const k = shapeSize(v.shape);
  const out: Float64Array[] = [];
  for (let c = 0; c < nChains; c++) {
    const a = new Float64Array(nDraws);
    const base = c * nDraws * k + element;
    for (let d = 0; d < nDraws; d++) a[d] = v.values[base + d * k];
    out.push(a);
  }
  return out;
}

/**
 * The 0-based label of a flat element index, as ArviZ writes it: `alpha[3]`, `L[1,2]`, or with
 * coords (`useCoords`) `alpha[CASS]`. A scalar's label is its name.
 */
export function elementLabel(
  name: string,
  v: VariableArray,
  element: number,
  coords?: Record<string, CoordValues>,
): string {
  if (v.shape.length === 0) return name;
  const idx: (string | number)[] = [];
  let rest = element;
  for (let a = v.shape.length - 1; a >= 0; a--) {
    const i = rest % v.shape[a];
    rest = Math.floor(rest / v.shape[a]);
    const labels = coords?.[v.dims[a]];
    idx.unshift(labels ? labels[i] : i);
  }
  return `${name}[${idx.join(',')}]`;
}
