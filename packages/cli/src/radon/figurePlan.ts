// Which figures a radon run draws, given the models it fitted: each with its file name, title, caption and report section.
import type { VegaLiteSpec } from 'nutmeg';
import type { RadonData } from './data.js';
import { elementMeans, replicates } from './analysis.js';
import { adviFigure, elboFigure, forestFigure, funnelFigure, ppcFigure, shrinkageFigure, threeCountyFigure, traceFigure } from './figures.js';
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

/** What the figures are drawn from: the data, the fitted models and the run's method and seed. */
export interface FigureInputs {
  readonly data: RadonData;
  /** Every fitted model, ADVI last when it ran. */
  readonly fitted: readonly FittedModel[];
  /** The model ADVI was compared with (the non-centered hierarchical one if fitted). */
  readonly adviTarget?: FittedModel;
  readonly method: Method;
  readonly seed: number;
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

/** The posterior predictive check of the hierarchical model (else the pooled, else the unpooled one). */
function ppcPlan(d: RadonData, c: Cast, seed: number): FigurePlan[] {
  const m = c.hierarchical ?? c.pooled ?? c.unpooled;
  if (!m) return [];
  return [
    {
      name: 'ppc',
      title: 'Posterior predictive check',
      caption: `Density of the 919 observed log radon values (thick) against 60 data sets replicated from the ${m.key} posterior (thin) and their mean (dashed).`,
      section: 'prediction',
      spec: () => ppcFigure(d.logRadon, replicates(d, m.idata, 60, seed), m.key),
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
 * predictive check, ADVI vs NUTS, ELBO; each only when the models it needs were fitted.
 *
 * @param i - data, fitted models, ADVI's target, method and seed
 * @returns the figures to draw (specs are built lazily)
 */
export function planFigures(i: FigureInputs): FigurePlan[] {
  const c = castOf(i.fitted);
  return [
    ...funnelPlan(i.data, c, i.method),
    ...tracePlans(c),
    ...comparisonPlans(i.data, c),
    ...forestPlan(c),
    ...ppcPlan(i.data, c, i.seed),
    ...adviPlans(i.data, c, i.adviTarget, i.method),
  ];
}
