// Which figures a radon run draws, given the models it fitted: each with its file name, title, caption and report section.
import type { VegaLiteSpec } from 'nutmeg';
import type { RadonData } from './data.js';
import { elementMeans } from './analysis.js';
import {
  adviFigure,
  compareFigure,
  elboFigure,
  forestFigure,
  funnelFigure,
  looPitFigure,
  paretoKFigure,
  ppcFigure,
  predictionFigure,
  shrinkageFigure,
  threeCountyFigure,
  traceFigure,
} from './figures.js';
import { KNOWN_COUNTY, NEW_COUNTY } from './prediction.js';
import type { WorkflowResults } from './workflow.js';
import type { Method } from './fit.js';
import type { FigureOut, FittedModel, ModelName } from './run.js';

/** A figure to draw: what {@link FigureOut} records, and the Vega-Lite spec (built only when drawn). */
export interface FigurePlan {
  readonly name: string;
  readonly title: string;
  readonly caption: string;
  readonly section: FigureOut['section'];
  readonly spec: () => VegaLiteSpec;
}

/** What the figures are drawn from: the data, the fitted models, the run's method and the LOO / predictive results. */
export interface FigureInputs {
  readonly data: RadonData;
  /** Every fitted model, ADVI last when it ran. */
  readonly fitted: readonly FittedModel[];
  /** The model ADVI was compared with (the non-centered hierarchical one if fitted). */
  readonly adviTarget?: FittedModel;
  readonly method: Method;
  /** LOO, its comparison, the posterior predictive check and the predictions (stage `loo & predictive`). */
  readonly workflow: WorkflowResults;
}

/** The fitted models the figures pick from, by role. */
interface Cast {
  readonly unpooled?: FittedModel;
  readonly pooled?: FittedModel;
  readonly centered?: FittedModel;
  readonly nonCentered?: FittedModel;
  /** The hierarchical model shown against the unpooled one: non-centered if fitted, else centered. */
  readonly hierarchical?: FittedModel;
  readonly advi?: FittedModel;
}

function castOf(fitted: readonly FittedModel[]): Cast {
  const get = (k: ModelName | 'advi'): FittedModel | undefined => fitted.find((m) => m.kind === k);
  const centered = get('hierarchical');
  const nonCentered = get('hierarchical_noncentered');
  return { unpooled: get('unpooled'), pooled: get('pooled'), centered, nonCentered, hierarchical: nonCentered ?? centered, advi: get('advi') };
}

const hierName = (m: FittedModel): string => (m.kind === 'hierarchical' ? 'hierarchical (centered)' : 'hierarchical (non-centered)');

/** The funnel of the centered model against the non-centered one, at the county with fewest homes (NUTS runs with both only). */
function funnelPlan(d: RadonData, c: Cast, method: Method): FigurePlan[] {
  const { centered: hc, nonCentered: hnc } = c;
  if (!hc || !hnc || method === 'advi') return [];
  const counts = new Array<number>(d.counties.length).fill(0);
  d.county.forEach((k) => counts[k]++);
  // The county whose slope is least informed by its own data: the funnel is widest there.
  const k = counts.indexOf(Math.min(...counts));
  return [
    {
      name: 'funnel',
      title: 'Divergences of the centered model and the non-centered fix',
      caption: `Draws of beta[${d.counties[k]}] (a county with ${counts[k]} home${counts[k] === 1 ? '' : 's'}) against log(sigma_beta); divergent transitions in red. ` +
        'Small sigma_beta forces every county slope towards mu_beta: the neck of the funnel. The centered model either diverges there or never reaches it (a chain stuck at small sigma_beta, or none going below it); the non-centered model explores it.',
      section: 'diagnostics',
      spec: () => funnelFigure(d, [{ name: 'centered', idata: hc.idata }, { name: 'non-centered', idata: hnc.idata }], k),
    },
  ];
}

/** A trace plot of each hierarchical and the pooled model. */
function tracePlans(c: Cast): FigurePlan[] {
  return [c.centered, c.nonCentered, c.pooled]
    .filter((m): m is FittedModel => m !== undefined)
    .map((m) => ({
      name: `trace_${m.key}`,
      title: `Trace plot: ${m.key}`,
      caption: `Trace plot of the ${m.key} model: left, the marginal density of each chain; right, the draws of each chain. Vector variables show 6 counties.`,
      section: 'traces' as const,
      spec: () => traceFigure(m.idata, `Trace plot: ${m.key} model`),
    }));
}

/** Three counties and the shrinkage arrows, unpooled against hierarchical (when both were fitted). */
function comparisonPlans(d: RadonData, c: Cast): FigurePlan[] {
  const { unpooled: unp, hierarchical: hier } = c;
  if (!unp || !hier) return [];
  return [
    {
      name: 'three_counties',
      title: 'Three counties',
      caption: 'CASS, CROW WING and FREEBORN: measurements (jittered), thin lines from 80 posterior draws, thick lines at the posterior mean. CASS has no first-floor measurement, so its unpooled slope is set by the prior alone.',
      section: 'comparison',
      spec: () => threeCountyFigure(d, [{ name: 'unpooled', idata: unp.idata }, { name: hierName(hier), idata: hier.idata }]),
    },
    {
      name: 'shrinkage',
      title: 'Shrinkage',
      caption: 'Each arrow starts at a county\'s unpooled posterior mean of (intercept, slope) and ends at its hierarchical posterior mean: the estimates of counties with little data are pulled towards the population mean.',
      section: 'comparison',
      spec: () => shrinkageFigure(d, unp.idata, hier.idata),
    },
  ];
}

/** The forest plot of the county intercepts of the unpooled and hierarchical models (those with per-county alpha). */
function forestPlan(c: Cast): FigurePlan[] {
  const list = [c.unpooled, c.hierarchical].filter((m): m is FittedModel => m !== undefined && m.idata.groups.posterior!.vars.alpha.shape.length > 0);
  if (list.length === 0) return [];
  const ref = c.hierarchical ? elementMeans(c.hierarchical.idata, 'mu_alpha')[0] : undefined;
  return [
    {
      name: 'forest_alpha',
      title: 'County intercepts',
      caption: 'Posterior mean and 94% HDI of each county\'s intercept alpha' + (ref !== undefined ? `; the vertical line is the hierarchical model's mu_alpha (${ref.toFixed(2)}).` : '.'),
      section: 'comparison',
      spec: () => forestFigure(list.map((m) => ({ name: m.kind === 'unpooled' ? 'unpooled' : hierName(m), idata: m.idata })), ref),
    },
  ];
}

/** The posterior predictive check and LOO-PIT of the focus model (non-centered if fitted, else centered, else pooled), from the library's predictive draws. */
function ppcPlans(d: RadonData, w: WorkflowResults): FigurePlan[] {
  const check = w.check;
  if (!check) return [];
  return [
    {
      name: 'ppc',
      title: 'Posterior predictive check',
      caption:
        `Density of the ${d.logRadon.length} observed log radon values (thick) against 60 of the ${check.yRep.length} data sets drawn from the ${check.key} model's posterior predictive distribution ` +
        '(samplePosteriorPredictive: one replicated data set per posterior draw; thin) and the mean density over all of them (dashed).',
      section: 'prediction',
      spec: () => ppcFigure(d.logRadon, check.yRep, check.key),
    },
    {
      name: 'loo_pit',
      title: 'LOO-PIT',
      caption:
        `LOO-PIT of the ${check.key} model: for each home, the probability that its leave-one-out predictive distribution gives a value at most the observed one (PSIS weights from the log-likelihood). ` +
        'If the predictive distributions are calibrated these values are uniform, and the ECDF minus the uniform CDF stays inside the 94% band (pointwise). ' +
        'An S-shape dipping below then rising above 0 means predictive distributions too narrow; the reverse, too wide; mostly on one side, biased.',
      section: 'prediction',
      spec: () => looPitFigure(check.pit, check.key),
    },
  ];
}

/** The LOO comparison (when two or more joint models were fitted) and the Pareto k of the focus model. */
function looPlans(d: RadonData, w: WorkflowResults): FigurePlan[] {
  const plans: FigurePlan[] = [];
  const compare = w.compare;
  if (compare) {
    plans.push({
      name: 'loo_compare',
      title: 'Model comparison by PSIS-LOO',
      caption:
        'Each model\'s elpd_loo (open circle) with ± its standard error, best model on top; the grey triangles below each other model show its difference to the best with ± se_diff, ' +
        'the SE of the paired difference; the dashed line is the best model\'s elpd_loo. A triangle whose bar reaches the line predicts about as well as the best model.',
      section: 'loo',
      spec: () => compareFigure(compare),
    });
  }
  const focus = w.focus;
  const l = focus ? w.loo[focus] : undefined;
  if (focus && l) {
    plans.push({
      name: 'pareto_k',
      title: `Pareto k: ${focus}`,
      caption:
        `Pareto k̂ of each home's PSIS importance ratios in the ${focus} model, coloured by loo's bins (good ≤ 0.5 < ok ≤ 0.7 < bad ≤ 1 < very bad). ` +
        'Above 0.7 the home is so influential that its PSIS-LOO estimate is unreliable; the tooltips name each home\'s county.',
      section: 'loo',
      spec: () => paretoKFigure(d, l.diagnostics.paretoK, focus),
    });
  }
  return plans;
}

/** The predictions for a new house in CASS and in a county with no data. */
function predictionPlans(w: WorkflowResults): FigurePlan[] {
  const p = w.prediction;
  if (!p || !w.focus) return [];
  return [
    {
      name: 'predict_new_house',
      title: 'Predicting a new house',
      caption:
        `Log radon of a new house, in its basement and on its first floor, in ${KNOWN_COUNTY} (${p.knownHomes} homes in the data) and in '${NEW_COUNTY}', a county with no data at all, ` +
        `from the ${w.focus} fit by predict() (${p.draws} posterior draws × ${p.copies} predictive draws per case); with each county's intercept alpha (expected basement log radon) for comparison. ` +
        `For the new county, predict() with allowNewLevels: true draws its intercept and slope, per posterior draw, from Normal(mu_alpha, sigma_alpha) and Normal(mu_beta, sigma_beta): ` +
        'the analogue of brms\'s posterior_predict(fit, newdata, allow_new_levels = TRUE) with sample_new_levels = "gaussian". Its intervals are wider because it adds the spread between counties to the uncertainty about the population; ' +
        `${KNOWN_COUNTY}'s intercept is informed by its own homes. Both predictive intervals are dominated by the house-to-house noise eps.`,
      section: 'newdata',
      spec: () => predictionFigure(p),
    },
  ];
}

/** ADVI's marginals over NUTS's (when both ran) and the ELBO trace (when an approximation was fitted). */
function adviPlans(d: RadonData, c: Cast, target: FittedModel | undefined, method: Method): FigurePlan[] {
  const plans: FigurePlan[] = [];
  const advi = c.advi;
  if (advi && target && method !== 'advi') {
    plans.push({
      name: 'advi_vs_nuts',
      title: 'ADVI vs NUTS',
      caption: `Mean-field ADVI (curves, ${advi.idata.nDraws} draws from the approximation) over NUTS (histograms) for the ${target.key} model.`,
      section: 'advi',
      spec: () => adviFigure(d, target.idata, advi.idata),
    });
  }
  const approx = advi?.fit?.approx;
  if (approx) plans.push({ name: 'elbo', title: 'ADVI convergence', caption: `ELBO by iteration. ${approx.message}`, section: 'advi', spec: () => elboFigure(approx) });
  return plans;
}

/**
 * The figures of a run, in report order: funnel, traces, three counties, shrinkage, forest, posterior
 * predictive check, LOO-PIT, LOO comparison, Pareto k, new-house predictions, ADVI vs NUTS, ELBO;
 * each only when the models it needs were fitted.
 *
 * @param i - data, fitted models, ADVI's target, method, LOO and predictive results
 * @returns the figures to draw (specs are built lazily)
 */
export function planFigures(i: FigureInputs): FigurePlan[] {
  const c = castOf(i.fitted);
  return [
    ...funnelPlan(i.data, c, i.method),
    ...tracePlans(c),
    ...comparisonPlans(i.data, c),
    ...forestPlan(c),
    ...ppcPlans(i.data, i.workflow),
    ...looPlans(i.data, i.workflow),
    ...predictionPlans(i.workflow),
    ...adviPlans(i.data, c, i.adviTarget, i.method),
  ];
}
