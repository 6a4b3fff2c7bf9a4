// Prediction for a new house, in a county with data (CASS) and in one without (brms's allow_new_levels), by the library's predict().
import { predict, type InferenceData, type Model } from 'nutmeg';
import type { RadonData } from './data.js';

/** The county with data whose new house is predicted (the tutorials' county with no first-floor home). */
export const KNOWN_COUNTY = 'CASS';
/** The label of a county not in the data: its intercept and slope are drawn from the fitted population. */
export const NEW_COUNTY = 'NEW COUNTY';

/**
 * Copies of each new row: every posterior draw gives this many predictive draws per case (they
 * share the draw's parameters, and a new county's drawn intercept and slope), so the intervals'
 * house-level noise is averaged over 4000 × 25 draws, not 4000, and the small difference between
 * the two counties' predictive widths is not lost in Monte Carlo error.
 */
const COPIES = 25;

/** Posterior mean and central intervals of one predicted quantity. */
export interface PredictionInterval {
  readonly county: string;
  /** `new house, basement`, `new house, first floor` or `intercept alpha`. */
  readonly quantity: string;
  /** A draw of log radon in a new house, or the county's intercept (its expected basement log radon). */
  readonly kind: 'new house' | 'county intercept';
  readonly mean: number;
  /** 3% and 97% quantiles (the 94% interval). */
  readonly lo94: number;
  readonly hi94: number;
  /** 25% and 75% quantiles (the 50% interval). */
  readonly lo50: number;
  readonly hi50: number;
}

/** What {@link predictNewHouse} returns. */
export interface NewHousePrediction {
  /** Rows: per county (CASS, then the new one), basement home, first-floor home, intercept. */
  readonly rows: PredictionInterval[];
  /** Homes of CASS in the data. */
  readonly knownHomes: number;
  /** Posterior draws behind each interval. */
  readonly draws: number;
  /** Predictive draws per posterior draw and case. */
  readonly copies: number;
}

/** The q-quantile of sorted values, interpolating linearly (R's type 7, NumPy's default). */
function quantileSorted(s: Float64Array, q: number): number {
  const h = (s.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, s.length - 1);
  return s[lo] + (h - lo) * (s[hi] - s[lo]);
}

/** Mean and 94% / 50% central intervals of elements `j … j + copies − 1` of a variable with `width` elements per draw, pooled. */
function interval(values: Float64Array, width: number, j: number, copies: number, county: string, quantity: string, kind: PredictionInterval['kind']): PredictionInterval {
  const S = values.length / width;
  const x = new Float64Array(S * copies);
  let sum = 0;
  for (let s = 0; s < S; s++) {
    for (let c = 0; c < copies; c++) {
      const v = values[s * width + j + c];
      x[s * copies + c] = v;
      sum += v;
    }
  }
  x.sort();
  return { county, quantity, kind, mean: sum / x.length, lo94: quantileSorted(x, 0.03), hi94: quantileSorted(x, 0.97), lo50: quantileSorted(x, 0.25), hi50: quantileSorted(x, 0.75) };
}

/**
 * Predicts log radon of a new house, in its basement and on its first floor, in CASS and in a
 * county with no data, from a hierarchical fit: `predict` with the county given by label and
 * `allowNewLevels: true`, so the new county's intercept and slope are drawn per posterior draw
 * from Normal(mu_alpha, sigma_alpha) and Normal(mu_beta, sigma_beta) (brms's
 * `allow_new_levels = TRUE`). Also returns each county's intercept alpha, for comparison.
 *
 * @param d - the radon data
 * @param model - the hierarchical model (centered or non-centered) `idata` was fitted from
 * @param idata - its fit
 * @param seed - seed of the predictive draws
 * @returns six intervals, or undefined when the data has no county CASS
 */
export function predictNewHouse(d: RadonData, model: Model, idata: InferenceData, seed: number): NewHousePrediction | undefined {
  const known = d.counties.indexOf(KNOWN_COUNTY);
  if (known < 0) return undefined;
  // Rows: COPIES each of (CASS, basement), (CASS, first floor), (new, basement), (new, first floor).
  const cases = [[KNOWN_COUNTY, 0], [KNOWN_COUNTY, 1], [NEW_COUNTY, 0], [NEW_COUNTY, 1]] as const;
  const pred = predict(model, idata, {
    data: { floor: cases.flatMap(([, f]) => new Array<number>(COPIES).fill(f)), county: cases.flatMap(([c]) => new Array<string>(COPIES).fill(c)) },
    allowNewLevels: true,
    seed,
    varNames: ['log_radon', 'alpha'],
  });
  const y = pred.groups.predictions!.vars.log_radon.values;
  const alpha = pred.groups.predictions!.vars.alpha;
  const K = alpha.shape[0];
  const fresh = pred.coords.county.indexOf(NEW_COUNTY);
  const rows: PredictionInterval[] = [];
  for (const [c, county, k] of [[0, KNOWN_COUNTY, known], [1, NEW_COUNTY, fresh]] as const) {
    const width = cases.length * COPIES;
    rows.push(interval(y, width, 2 * c * COPIES, COPIES, county, 'new house, basement', 'new house'));
    rows.push(interval(y, width, (2 * c + 1) * COPIES, COPIES, county, 'new house, first floor', 'new house'));
    rows.push(interval(alpha.values, K, k, 1, county, 'intercept alpha', 'county intercept'));
  }
  let knownHomes = 0;
  for (const c of d.county) if (c === known) knownHomes++;
  return { rows, knownHomes, draws: idata.nChains * idata.nDraws, copies: COPIES };
}
