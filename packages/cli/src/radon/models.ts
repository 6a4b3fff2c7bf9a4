// The radon models of the tutorials, written with nutmeg's public API as a user would.
import { HalfCauchy, Model, Normal, Uniform, type CompiledModel, type DistributionSpec, type Tensor } from 'nutmeg';
import type { RadonData } from './data.js';

/** Priors: the first tutorial's (Normal(0, 1) / HalfCauchy(1)) or the second's flat ones. */
export type Priors = 'tutorial' | 'flat';

/** The dim of the homes: floor, county and log_radon have one value per home. */
const OBS = 'obs_id';

/**
 * Declares the homes' floor and county as data (dims `obs_id`; county as an index into the
 * `county` coords), so that `predict` can replace them: a new row may name its county by label,
 * or a county not in the data with `allowNewLevels`.
 */
function countyData(m: Model, d: RadonData): { floor: Tensor; county: Tensor } {
  const floor = m.data('floor', d.floor, { dims: OBS });
  const county = m.data('county', d.county, { dims: OBS, indexInto: 'county' });
  return { floor, county };
}

/**
 * The group-level parameters both hierarchical models share, declared in the tutorials' order:
 * the means and scales of the county intercepts and slopes, and the prior of a scale (also eps's).
 */
function groupLevel(m: Model, priors: Priors): { muAlpha: Tensor; sigmaAlpha: Tensor; muBeta: Tensor; sigmaBeta: Tensor; hyperSd: DistributionSpec } {
  const hyperMu = priors === 'flat' ? Normal({ mu: 0, sigma: 1e4 }) : Normal({ mu: 0, sigma: 1 });
  const hyperSd = priors === 'flat' ? Uniform({ lower: 0, upper: 100 }) : HalfCauchy({ beta: 1 });
  const muAlpha = m.rv('mu_alpha', hyperMu);
  const sigmaAlpha = m.rv('sigma_alpha', hyperSd);
  const muBeta = m.rv('mu_beta', hyperMu);
  const sigmaBeta = m.rv('sigma_beta', hyperSd);
  return { muAlpha, sigmaAlpha, muBeta, sigmaBeta, hyperSd };
}

/**
 * Hierarchical (partial pooling) model, centered: county intercepts and slopes drawn from
 * group distributions.
 */
export function hierarchicalCentered(d: RadonData, priors: Priors = 'tutorial'): Model {
  const m = new Model({ coords: { county: d.counties } });
  const { muAlpha, sigmaAlpha, muBeta, sigmaBeta, hyperSd } = groupLevel(m, priors);
  const alpha = m.rv('alpha', Normal({ mu: muAlpha, sigma: sigmaAlpha }), { dims: 'county' });
  const beta = m.rv('beta', Normal({ mu: muBeta, sigma: sigmaBeta }), { dims: 'county' });
  const eps = m.rv('eps', hyperSd);
  const { floor, county } = countyData(m, d);
  const mu = alpha.at(county).add(beta.at(county).mul(floor));
  m.rv('log_radon', Normal({ mu, sigma: eps }), { observed: d.logRadon, dims: OBS });
  return m;
}

/**
 * The same model, non-centered: alpha = mu_alpha + sigma_alpha · alpha_offset with standard
 * normal offsets, which removes the funnel that makes the centered model diverge.
 */
export function hierarchicalNonCentered(d: RadonData, priors: Priors = 'tutorial'): Model {
  const m = new Model({ coords: { county: d.counties } });
  const { muAlpha, sigmaAlpha, muBeta, sigmaBeta, hyperSd } = groupLevel(m, priors);
  const alphaOffset = m.rv('alpha_offset', Normal({ mu: 0, sigma: 1 }), { dims: 'county' });
  const betaOffset = m.rv('beta_offset', Normal({ mu: 0, sigma: 1 }), { dims: 'county' });
  const alpha = m.deterministic('alpha', muAlpha.add(sigmaAlpha.mul(alphaOffset)), { dims: 'county' });
  const beta = m.deterministic('beta', muBeta.add(sigmaBeta.mul(betaOffset)), { dims: 'county' });
  const eps = m.rv('eps', hyperSd);
  const { floor, county } = countyData(m, d);
  const mu = alpha.at(county).add(beta.at(county).mul(floor));
  m.rv('log_radon', Normal({ mu, sigma: eps }), { observed: d.logRadon, dims: OBS });
  return m;
}

/** Complete pooling: one intercept and slope for all counties. */
export function pooled(d: RadonData): Model {
  const m = new Model();
  const alpha = m.rv('alpha', Normal({ mu: 0, sigma: 1 }));
  const beta = m.rv('beta', Normal({ mu: 0, sigma: 1 }));
  const eps = m.rv('eps', HalfCauchy({ beta: 1 }));
  const floor = m.data('floor', d.floor, { dims: OBS });
  m.rv('log_radon', Normal({ mu: alpha.add(beta.mul(floor)), sigma: eps }), { observed: d.logRadon, dims: OBS });
  return m;
}

/** The tutorial's "individual" model for one county's homes. */
export function singleCounty(floor: Float64Array, logRadon: Float64Array): Model {
  const m = new Model();
  const alpha = m.rv('alpha', Normal({ mu: 0, sigma: 1 }));
  const beta = m.rv('beta', Normal({ mu: 0, sigma: 1 }));
  const eps = m.rv('eps', HalfCauchy({ beta: 1 }));
  m.rv('log_radon', Normal({ mu: alpha.add(beta.mul(floor)), sigma: eps }), { observed: logRadon });
  return m;
}

/** Compiles a model (a convenience for scripts). */
export const compile = (m: Model): CompiledModel => m.compile();
