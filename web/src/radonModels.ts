// The radon tutorial's models by their CLI names (`nutmeg radon --model`), built by the CLI's own builders (`@nutmeg/cli/browser`).
import { HalfCauchy, Model, Normal } from 'nutmeg';
import { hierarchicalCentered, hierarchicalNonCentered, pooled, type RadonData } from '@nutmeg/cli/browser';

/** The models, by the names `nutmeg radon --model` takes. */
export const RADON_MODEL_NAMES = ['pooled', 'unpooled', 'hierarchical', 'hierarchical_noncentered'] as const;
export type RadonModelName = (typeof RADON_MODEL_NAMES)[number];

/** One line about each model, for the model picker. */
export const RADON_MODEL_DESCRIPTIONS: Readonly<Record<RadonModelName, string>> = {
  pooled: 'complete pooling: one intercept and slope for all counties',
  unpooled: 'no pooling: an intercept, slope and noise per county',
  hierarchical: 'partial pooling, centered: county intercepts and slopes from group distributions',
  hierarchical_noncentered: 'partial pooling, non-centered: the same model without the funnel',
};

/**
 * The unpooled model as one model: every county's intercept, slope and noise with the single-county
 * model's priors (Normal(0, 1), Normal(0, 1), HalfCauchy(1)). Its posterior is that of the CLI's 85
 * separate fits (the counties share no parameter), sampled jointly here because a page has one
 * sampler run to show.
 *
 * @param d - the radon data
 * @returns the model
 */
export function unpooledJoint(d: RadonData): Model {
  const m = new Model({ coords: { county: d.counties } });
  const alpha = m.rv('alpha', Normal({ mu: 0, sigma: 1 }), { dims: 'county' });
  const beta = m.rv('beta', Normal({ mu: 0, sigma: 1 }), { dims: 'county' });
  const eps = m.rv('eps', HalfCauchy({ beta: 1 }), { dims: 'county' });
  const floor = m.data('floor', d.floor, { dims: 'obs_id' });
  const county = m.data('county', d.county, { dims: 'obs_id', indexInto: 'county' });
  const mu = alpha.at(county).add(beta.at(county).mul(floor));
  m.rv('log_radon', Normal({ mu, sigma: eps.at(county) }), { observed: d.logRadon, dims: 'obs_id' });
  return m;
}

/**
 * Builds a radon model by its CLI name, with the tutorial's priors.
 *
 * @param name - the model's name
 * @param d - the radon data
 * @returns the model
 */
export function radonModel(name: RadonModelName, d: RadonData): Model {
  switch (name) {
    case 'pooled':
      return pooled(d);
    case 'unpooled':
      return unpooledJoint(d);
    case 'hierarchical':
      return hierarchicalCentered(d);
    case 'hierarchical_noncentered':
      return hierarchicalNonCentered(d);
  }
}

/** The scalar (population-level) parameters of a radon model: traced and shown first. */
export function radonMainParameters(name: RadonModelName): string[] {
  switch (name) {
    case 'pooled':
      return ['alpha', 'beta', 'eps'];
    case 'unpooled':
      return [];
    case 'hierarchical':
    case 'hierarchical_noncentered':
      return ['mu_alpha', 'sigma_alpha', 'mu_beta', 'sigma_beta', 'eps'];
  }
}
