// The report's charts as Vega-Lite specs, built with nutmeg's plot builders from the fits.
import {
  PALETTE,
  VEGA_LITE_SCHEMA,
  plotRegression,
  plotElbo,
  plotForest,
  forestRows,
  plotMarginals,
  pooledDraws,
  plotPpc,
  plotCompare,
  plotLooPit,
  plotParetoK,
  plotShrinkage,
  plotTrace,
  traceVariables,
  type Approximation,
  type InferenceData,
  type LooCompareRow,
  type MarginalComparison,
  type RegressionPanel,
  type VegaLiteSpec,
} from 'nutmeg';
import type { RadonData } from './data.js';
import { elementMeans } from './analysis.js';
import type { NewHousePrediction } from './prediction.js';

/** The look of the hand-made charts, as the library's plot builders set it. */
const CONFIG = {
  font: 'DejaVu Sans, Verdana, Helvetica, Arial, sans-serif',
  background: 'white',
  padding: 8,
  view: { stroke: '#bbbbbb' },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', gridColor: '#eeeeee' },
  legend: { labelFontSize: 11 },
  title: { fontSize: 14, subtitleFontSize: 11, anchor: 'start', offset: 8 },
  range: { category: [...PALETTE] },
};

/** The three counties of the tutorials' regression plot. */
export const THREE_COUNTIES = ['CASS', 'CROW WING', 'FREEBORN'] as const;

/** Index of a county by name. @throws Error if the data has no such county */
export function countyIndex(d: RadonData, name: string): number {
  const k = d.counties.indexOf(name);
  if (k < 0) throw new Error(`radon data has no county '${name}'`);
  return k;
}

/** Trace plot (density per chain beside the trace) of a model's main variables. */
export function traceFigure(idata: InferenceData, title: string, names?: readonly string[]): VegaLiteSpec {
  const have = Object.keys(idata.groups.posterior!.vars);
  const order = names ?? ['mu_alpha', 'sigma_alpha', 'mu_beta', 'sigma_beta', 'alpha', 'beta', 'eps'];
  const list = order.filter((n) => have.includes(n));
  // 300 evenly spaced draws per chain: a 420 px wide trace cannot show more, and the SVG stays small.
  return plotTrace(traceVariables(idata, list), { title, maxElements: 6, maxTracePoints: 300, traceWidth: 420, densityWidth: 240, rowHeight: 110 });
}

/** The tutorials' figure: three counties, data points, posterior lines of the unpooled and hierarchical fits. */
export function threeCountyFigure(d: RadonData, fits: readonly { name: string; idata: InferenceData }[]): VegaLiteSpec {
  const panels: RegressionPanel[] = THREE_COUNTIES.map((name) => {
    const k = countyIndex(d, name);
    const rows: number[] = [];
    d.county.forEach((c, i) => {
      if (c === k) rows.push(i);
    });
    return {
      title: `${name} (${rows.length} homes)`,
      x: rows.map((i) => d.floor[i]),
      y: rows.map((i) => d.logRadon[i]),
      fits: fits.map((f) => ({ name: f.name, draws: { intercept: pooledDraws(f.idata, 'alpha', k), slope: pooledDraws(f.idata, 'beta', k) } })),
    };
  });
  return plotRegression(panels, {
    title: 'Radon by floor in three counties: unpooled vs hierarchical fits',
    yTitle: 'log radon',
    xTitle: 'floor of the measurement',
    maxLines: 80,
    seed: 1,
  });
}

/** Shrinkage: per county an arrow from the unpooled to the hierarchical posterior mean of (intercept, slope). */
export function shrinkageFigure(d: RadonData, unpooled: InferenceData, hierarchical: InferenceData): VegaLiteSpec {
  const ua = elementMeans(unpooled, 'alpha');
  const ub = elementMeans(unpooled, 'beta');
  const ha = elementMeans(hierarchical, 'alpha');
  const hb = elementMeans(hierarchical, 'beta');
  return plotShrinkage(
    d.counties.map((label, k) => ({ label, from: { x: ua[k], y: ub[k] }, to: { x: ha[k], y: hb[k] } })),
    {
      title: 'Shrinkage: posterior means per county, unpooled → hierarchical',
      xTitle: 'intercept alpha (log radon in the basement)',
      yTitle: 'slope beta (first floor − basement)',
      width: 520,
      height: 420,
    },
  );
}

/** Forest plot of the county intercepts (94% HDI), unpooled and hierarchical side by side. */
export function forestFigure(fits: readonly { name: string; idata: InferenceData }[], reference?: number): VegaLiteSpec {
  const rows = fits.flatMap((f) => forestRows(f.idata, 'alpha', { series: f.name }));
  return plotForest(rows, {
    title: 'County intercepts alpha (posterior mean and 94% HDI)',
    xTitle: 'alpha: expected log radon in a basement',
    ...(reference !== undefined ? { reference } : {}),
    width: 440,
    // With several series the step is per series row (vega-lite's yOffset), so keep it small.
    rowHeight: fits.length > 1 ? 7 : 12,
  });
}

/** Posterior predictive check of a model (densities of replicated data vs the observed). */
export function ppcFigure(observed: ArrayLike<number>, reps: readonly ArrayLike<number>[], model: string): VegaLiteSpec {
  return plotPpc(observed, reps, { title: `Posterior predictive check: ${model} model`, xTitle: 'log radon', maxReplicates: 60 });
}

/** LOO-PIT of a model: ECDF of the LOO-PIT values minus the uniform CDF, with the 94% band. */
export function looPitFigure(pit: ArrayLike<number>, model: string): VegaLiteSpec {
  return plotLooPit(pit, { title: `LOO-PIT: ${model} model` });
}

/** The comparison of the models by PSIS-LOO (as az.plot_compare). */
export function compareFigure(rows: readonly LooCompareRow[]): VegaLiteSpec {
  return plotCompare(rows, { title: 'Model comparison: pooled and hierarchical models' });
}

/** Pareto k per home of a model, each labelled with its county. */
export function paretoKFigure(d: RadonData, k: ArrayLike<number>, model: string): VegaLiteSpec {
  return plotParetoK(k, { title: `Pareto k per home: ${model} model`, xTitle: 'home (row of radon.csv)', labels: Array.from(d.county, (c, i) => `home ${i} (${d.counties[c]})`) });
}

/**
 * Predictions for a new house as intervals: per county (CASS, a new one) the posterior predictive
 * mean, 50% and 94% intervals of log radon in a new basement home and first-floor home, and the
 * county's intercept alpha for comparison.
 */
export function predictionFigure(p: NewHousePrediction): VegaLiteSpec {
  const values = p.rows.map((r) => ({ row: `${r.county} · ${r.quantity}`, kind: r.kind, county: r.county, mean: r.mean, lo94: r.lo94, hi94: r.hi94, lo50: r.lo50, hi50: r.hi50 }));
  const order = values.map((v) => v.row);
  const y = { field: 'row', type: 'nominal', title: null, sort: order, axis: { labelLimit: 320 } };
  const color = { field: 'kind', type: 'nominal', title: null, scale: { domain: ['new house', 'county intercept'], range: [PALETTE[0], PALETTE[1]] }, legend: { orient: 'top', direction: 'horizontal' } };
  const x = (field: string) => ({ field, type: 'quantitative', title: 'log radon', scale: { zero: false } });
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: 'Predicting a new house: a county with data (CASS) and one without',
      subtitle: 'dot: posterior mean; thick bar: 50% interval; thin bar: 94% interval (3%–97% quantiles)',
    },
    width: 460,
    height: { step: 30 },
    data: { values },
    layer: [
      { mark: { type: 'rule', strokeWidth: 1.5 }, encoding: { y, x: x('lo94'), x2: { field: 'hi94' }, color } },
      { mark: { type: 'rule', strokeWidth: 6 }, encoding: { y, x: x('lo50'), x2: { field: 'hi50' }, color } },
      { mark: { type: 'point', filled: true, size: 60, color: '#222222' }, encoding: { y, x: x('mean') } },
    ],
    config: CONFIG,
  };
}

/** ADVI marginals (curves) over NUTS histograms for the hyperparameters and CASS's coefficients. */
export function adviFigure(d: RadonData, nuts: InferenceData, advi: InferenceData): VegaLiteSpec {
  const have = Object.keys(nuts.groups.posterior!.vars);
  const params: MarginalComparison[] = [];
  for (const n of ['mu_alpha', 'sigma_alpha', 'mu_beta', 'sigma_beta', 'eps']) {
    if (have.includes(n)) params.push({ name: n, reference: pooledDraws(nuts, n), approx: pooledDraws(advi, n) });
  }
  for (const name of ['CASS', 'FREEBORN']) {
    const k = countyIndex(d, name);
    params.push({ name: `alpha[${name}]`, reference: pooledDraws(nuts, 'alpha', k), approx: pooledDraws(advi, 'alpha', k) });
    params.push({ name: `beta[${name}]`, reference: pooledDraws(nuts, 'beta', k), approx: pooledDraws(advi, 'beta', k) });
  }
  return plotMarginals(params, { title: 'Mean-field ADVI vs NUTS (hierarchical model)', columns: 3 });
}

/** ELBO history of the ADVI fit. */
export function elboFigure(approx: Approximation): VegaLiteSpec {
  return plotElbo(approx.elboHistory, { title: 'ADVI: evidence lower bound by iteration' });
}

/**
 * The funnel behind the centered model's divergences: one county's slope beta[k] against
 * log(sigma_beta), divergent draws in red, for the centered and the non-centered model.
 */
export function funnelFigure(d: RadonData, fits: readonly { name: string; idata: InferenceData }[], county: number): VegaLiteSpec {
  const cname = d.counties[county];
  const panels = fits.map((f) => {
    const beta = pooledDraws(f.idata, 'beta', county);
    const sb = pooledDraws(f.idata, 'sigma_beta');
    const div = f.idata.groups.sample_stats?.vars.diverging?.values;
    const values: { x: number; y: number; divergent: string }[] = [];
    let nd = 0;
    for (let s = 0; s < beta.length; s++) {
      const isDiv = div ? div[s] > 0 : false;
      if (isDiv) nd++;
      values.push({ x: Number(beta[s].toPrecision(5)), y: Number(Math.log(sb[s]).toPrecision(5)), divergent: isDiv ? 'divergent' : 'not divergent' });
    }
    // Divergent draws last, so they are drawn on top.
    values.sort((a, b) => (a.divergent === b.divergent ? 0 : a.divergent === 'divergent' ? 1 : -1));
    return {
      title: { text: `${f.name}: ${nd} divergent draws`, fontSize: 13, anchor: 'start' },
      width: 300,
      height: 260,
      data: { values },
      mark: { type: 'point', filled: true, size: 9 },
      encoding: {
        x: { field: 'x', type: 'quantitative', title: `beta[${cname}]`, scale: { zero: false, nice: true }, axis: { labelFlush: false } },
        y: { field: 'y', type: 'quantitative', title: 'log(sigma_beta)', scale: { zero: false } },
        color: {
          field: 'divergent',
          type: 'nominal',
          title: null,
          scale: { domain: ['not divergent', 'divergent'], range: ['#9ab0c8', '#d62728'] },
          legend: { orient: 'top', direction: 'horizontal' },
        },
        opacity: { condition: { test: "datum.divergent === 'divergent'", value: 1 }, value: 0.35 },
        size: { condition: { test: "datum.divergent === 'divergent'", value: 28 }, value: 9 },
      },
    };
  });
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: 'The funnel: slope of one county against the spread of slopes',
      subtitle: 'points: posterior draws; red: draws after a divergent transition (NUTS could not follow the curvature)',
    },
    hconcat: panels,
    spacing: 30,
    resolve: { scale: { x: 'shared', y: 'shared' } },
    config: CONFIG,
  };
}
