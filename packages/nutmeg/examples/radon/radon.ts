// The Minnesota radon case study in one file, on nutmeg's public API: load the CSV, four models (pooled, unpooled, hierarchical centered and non-centered), sample, summarise.
//
// Run it from the repository root:
//   node --conditions=development --import tsx packages/nutmeg/examples/radon/radon.ts [path/to/radon.csv]
// or, in your own project, copy this file and run it with `npx tsx radon.ts path/to/radon.csv`.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { HalfCauchy, Model, Normal, formatSummaryTable, mapFits, sample, stackFits, summary, type InferenceData } from 'nutmeg';
import { workerFitExecutor } from 'nutmeg/node';

/** The repository's copy of the data (packages/cli/data/radon.csv); pass your own path otherwise. */
export const DEFAULT_CSV = fileURLToPath(new URL('../../../cli/data/radon.csv', import.meta.url));

/** The columns the models use: county index and name, floor (0 basement, 1 first floor), log radon. */
export interface Radon {
  readonly counties: string[];
  readonly county: number[];
  readonly floor: number[];
  readonly logRadon: number[];
}

/** Reads radon.csv (one header line, comma-separated, no quoted fields). */
export function loadRadon(path = DEFAULT_CSV): Radon {
  const [header, ...lines] = readFileSync(path, 'utf8').trim().split('\n');
  const col = Object.fromEntries(header.split(',').map((name, i) => [name.trim(), i]));
  const rows = lines.map((line) => line.split(','));
  const county = rows.map((r) => Number(r[col.county_code]));
  const counties: string[] = [];
  rows.forEach((r, i) => (counties[county[i]] = r[col.county].trim()));
  return { counties, county, floor: rows.map((r) => Number(r[col.floor])), logRadon: rows.map((r) => Number(r[col.log_radon])) };
}

/** Complete pooling: one intercept and one floor effect for all of Minnesota. */
export function pooled(d: Radon): Model {
  const m = new Model();
  const alpha = m.rv('alpha', Normal({ mu: 0, sigma: 1 }));
  const beta = m.rv('beta', Normal({ mu: 0, sigma: 1 }));
  const eps = m.rv('eps', HalfCauchy({ beta: 1 }));
  m.rv('log_radon', Normal({ mu: alpha.add(beta.mul(m.data('floor', d.floor))), sigma: eps }), { observed: d.logRadon });
  return m;
}

/** No pooling: the same regression fitted to one county's homes alone (one model per county). */
export function singleCounty(floor: number[], logRadon: number[]): Model {
  const m = new Model();
  const alpha = m.rv('alpha', Normal({ mu: 0, sigma: 1 }));
  const beta = m.rv('beta', Normal({ mu: 0, sigma: 1 }));
  const eps = m.rv('eps', HalfCauchy({ beta: 1 }));
  m.rv('log_radon', Normal({ mu: alpha.add(beta.mul(m.data('floor', floor))), sigma: eps }), { observed: logRadon });
  return m;
}

/** Partial pooling: county intercepts and slopes drawn from population distributions; `centered: false` writes them as offsets. */
export function hierarchical(d: Radon, centered: boolean): Model {
  const m = new Model({ coords: { county: d.counties } });
  const muAlpha = m.rv('mu_alpha', Normal({ mu: 0, sigma: 1 }));
  const sigmaAlpha = m.rv('sigma_alpha', HalfCauchy({ beta: 1 }));
  const muBeta = m.rv('mu_beta', Normal({ mu: 0, sigma: 1 }));
  const sigmaBeta = m.rv('sigma_beta', HalfCauchy({ beta: 1 }));
  let alpha, beta;
  if (centered) {
    alpha = m.rv('alpha', Normal({ mu: muAlpha, sigma: sigmaAlpha }), { dims: 'county' });
    beta = m.rv('beta', Normal({ mu: muBeta, sigma: sigmaBeta }), { dims: 'county' });
  } else {
    // alpha = mu_alpha + sigma_alpha · offset: the same model without the funnel that makes NUTS diverge.
    const alphaOffset = m.rv('alpha_offset', Normal({ mu: 0, sigma: 1 }), { dims: 'county' });
    const betaOffset = m.rv('beta_offset', Normal({ mu: 0, sigma: 1 }), { dims: 'county' });
    alpha = m.deterministic('alpha', muAlpha.add(sigmaAlpha.mul(alphaOffset)), { dims: 'county' });
    beta = m.deterministic('beta', muBeta.add(sigmaBeta.mul(betaOffset)), { dims: 'county' });
  }
  const eps = m.rv('eps', HalfCauchy({ beta: 1 }));
  const mu = alpha.at(d.county).add(beta.at(d.county).mul(m.data('floor', d.floor)));
  m.rv('log_radon', Normal({ mu, sigma: eps }), { observed: d.logRadon });
  return m;
}

/** Sampler settings shared by every fit. */
export interface Settings {
  readonly draws: number;
  readonly tune: number;
  readonly chains: number;
  readonly seed: number;
}

/** Fits the four models and returns their draws by name. */
export async function fitAll(d: Radon, s: Settings): Promise<Record<string, InferenceData>> {
  const results: Record<string, InferenceData> = {};
  const models = { pooled: pooled(d), hierarchical: hierarchical(d, true), hierarchical_noncentered: hierarchical(d, false) };
  for (const [name, model] of Object.entries(models)) {
    results[name] = await sample(model.compile(), { draws: s.draws, tune: s.tune, chains: s.chains, seed: s.seed, progress: false });
  }

  // Unpooled: 85 small independent fits, one per county, each job plain data (the model's spec).
  const jobs = d.counties.map((name, k) => {
    const homes = d.county.flatMap((c, i) => (c === k ? [i] : []));
    const model = singleCounty(homes.map((i) => d.floor[i]), homes.map((i) => d.logRadon[i]));
    return { name, model: model.spec, options: { draws: s.draws, tune: s.tune, chains: s.chains } };
  });
  // Worker threads; leave `executor` out to fit in this thread (same draws either way).
  const outcomes = await mapFits(jobs, { seed: s.seed, executor: workerFitExecutor() });
  const fits = outcomes.map((o) => {
    if (!o.ok) throw o.error;
    return o.idata;
  });
  results.unpooled = stackFits(fits, { dim: 'county', coords: d.counties });
  return results;
}

/** Fits everything and prints each model's summary (the unpooled and hierarchical ones for three counties only). */
export async function main(csv = DEFAULT_CSV, s: Settings = { draws: 1000, tune: 1000, chains: 4, seed: 8924 }): Promise<Record<string, InferenceData>> {
  const d = loadRadon(csv);
  console.log(`${d.logRadon.length} homes in ${d.counties.length} counties`);
  const results = await fitAll(d, s);
  for (const [name, idata] of Object.entries(results)) {
    const rows = summary(idata, { varNames: ['alpha', 'beta', 'eps'], useCoords: true });
    const shown = rows.filter((r) => !r.label.includes('[') || /AITKIN|CASS|HENNEPIN/.test(r.label));
    console.log(`\n${name}\n${formatSummaryTable(shown)}`);
  }
  return results;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main(process.argv[2]);
