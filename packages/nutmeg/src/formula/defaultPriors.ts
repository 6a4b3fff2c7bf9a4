// brms's default priors and their data-dependent location and scale (brms 2.18 R/priors.R; see docs/formula-defaults.md).
import { Flat, Gamma, StudentT, type DistributionSpec } from '../distributions/factories.js';
import type { Family } from './families.js';
import { log } from '../core/libm/index.js';

/** A prior as a distribution and as the text brms's `prior_summary` shows. */
export interface PriorChoice {
  readonly dist: DistributionSpec;
  readonly text: string;
}

/** R's `median`. */
export function median(values: ArrayLike<number>): number {
  const s = Float64Array.from(values).sort();
  const n = s.length;
  return n === 0 ? NaN : n % 2 === 1 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/** R's `mad` (median absolute deviation, scaled by 1.4826). */
export function mad(values: ArrayLike<number>): number {
  const m = median(values);
  return 1.4826 * median(Float64Array.from(values, (v) => Math.abs(v - m)));
}

/** R's `round(x, 1)`: to one decimal, a tie (as represented) to the even digit. */
export function roundOneDecimal(x: number): number {
  const r = x * 10;
  const f = Math.floor(r);
  const rounded = r - f === 0.5 ? (f % 2 === 0 ? f : f + 1) : Math.round(r);
  return rounded / 10 + 0; // + 0 turns −0 into 0
}

/** The response on the link scale as brms's `def_scale_prior` takes it, or null when brms uses the fixed 0 / 2.5 prior. */
function linkScaleResponse(family: Family, y: Float64Array): Float64Array | null {
  if (family.link === 'logit') return null;
  if (family.logScale || family.link === 'log') return Float64Array.from(y, (v) => log(family.link === 'log' && v === 0 ? 0.1 : v));
  return y;
}

const studentT = (location: number, scale: number): PriorChoice => ({
  dist: StudentT({ nu: 3, mu: location, sigma: scale }),
  text: `student_t(3, ${location}, ${scale})`,
});

/** The defaults of one formula model's classes, computed from its response (and offset). */
export interface DefaultPriors {
  readonly Intercept: PriorChoice;
  readonly b: PriorChoice;
  readonly sd: PriorChoice;
  readonly sigma: PriorChoice;
  readonly nu: PriorChoice;
  readonly shape: PriorChoice;
  /** LKJ's eta on correlations (brms `lkj(1)`). */
  readonly corEta: number;
}

/**
 * brms's default priors for a response `y` of `family`: student_t(3, round(median(link(y)), 1),
 * max(2.5, round(mad(link(y)), 1))) on the centred intercept, student_t(3, 0, that scale) on sd
 * and sigma (half-t by their lower bound), flat on b, gamma(2, 0.1) on nu, gamma(0.01, 0.01) on
 * shape, lkj(1) on correlations; logit links use student_t(3, 0, 2.5).
 *
 * @param offset - the offset per row, when the formula has one (shifts the intercept's location by its mean)
 */
export function defaultPriors(family: Family, y: Float64Array, offset: Float64Array | null): DefaultPriors {
  const linked = linkScaleResponse(family, y);
  const scale = linked ? Math.max(2.5, roundOneDecimal(mad(linked))) : 2.5;
  const meanOffset = offset ? offset.reduce((a, b) => a + b, 0) / offset.length : 0;
  const location = linked ? roundOneDecimal(median(linked) - meanOffset) : 0;
  const sigmaScale = family.logScale ? scale : Math.max(2.5, roundOneDecimal(mad(y)));
  return {
    Intercept: studentT(location, scale),
    b: { dist: Flat(), text: '(flat)' },
    sd: studentT(0, scale),
    sigma: studentT(0, family.link === 'identity' ? sigmaScale : scale),
    nu: { dist: Gamma({ alpha: 2, beta: 0.1 }), text: 'gamma(2, 0.1)' },
    shape: { dist: Gamma({ alpha: 0.01, beta: 0.01 }), text: 'gamma(0.01, 0.01)' },
    corEta: 1,
  };
}
