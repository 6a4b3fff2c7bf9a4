// Formula models: building from a 100,000-row CSV, and NUTS ESS/s of the radon formula model against the hand-written non-centered one.
import { formulaModel, sample, essBulk, elementDraws, shapeSize, Rng, Normal, HalfCauchy, type InferenceData } from 'nutmeg';
import { parse } from 'csv-parse/sync';
import { loadRadon } from '../packages/cli/src/radon/data.js';
import { hierarchicalNonCentered } from '../packages/cli/src/radon/models.js';

/** Minimum bulk ESS over every element of the named variables. */
function minEssBulk(idata: InferenceData, names: readonly string[]): number {
  let min = Infinity;
  for (const name of names) {
    const v = idata.groups.posterior!.vars[name];
    for (let k = 0; k < shapeSize(v.shape); k++) min = Math.min(min, essBulk(elementDraws(v, idata.nChains, idata.nDraws, k)));
  }
  return min;
}

/** A CSV of n rows: y, x, a 3-level factor and a 500-level group. */
function syntheticCsv(n: number): string {
  const rng = new Rng(1);
  const lines = ['y,x,f,g'];
  for (let i = 0; i < n; i++) lines.push(`${(rng.normal() + 1).toFixed(4)},${rng.normal().toFixed(4)},${'abc'[i % 3]},g${Math.floor(rng.uniform() * 500)}`);
  return lines.join('\n');
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Prints one JSON line for building and one for sampling. Env: BENCH_REPEATS (default 3). */
export async function run(): Promise<void> {
  const repeats = Number(process.env.BENCH_REPEATS ?? 3);
  const csv = syntheticCsv(100_000);
  const parseMs: number[] = [];
  const buildMs: number[] = [];
  for (let r = 0; r < 5; r++) {
    let t = performance.now();
    const rows = parse(csv, { columns: true, cast: true }) as Record<string, number | string>[];
    const table = { y: rows.map((x) => x.y as number), x: rows.map((x) => x.x as number), f: rows.map((x) => x.f as string), g: rows.map((x) => x.g as string) };
    parseMs.push(performance.now() - t);
    t = performance.now();
    formulaModel('y ~ x * f + (1 + x | g)', table).model.compile();
    buildMs.push(performance.now() - t);
  }
  console.log(JSON.stringify({ bench: 'formula_build_100k_rows', formula: 'y ~ x * f + (1 + x | g)', csv_parse_ms: median(parseMs), build_and_compile_ms: median(buildMs) }));

  const d = loadRadon();
  const table = { log_radon: Array.from(d.logRadon), floor: Array.from(d.floor), county: Array.from(d.county, (k) => d.counties[k]) };
  // The hand-written non-centered model as a formula: the same posterior (mu_alpha = b_Intercept,
  // sigma_alpha = sd_county__Intercept, alpha_offset = z_1_1, …) with the tutorial's priors, so that
  // the ratio measures what the formula front end costs, not a different model.
  const formula = 'log_radon ~ 0 + Intercept + floor + (1 + floor || county)';
  const prior = { b: Normal({ mu: 0, sigma: 1 }), sd: HalfCauchy({ beta: 1 }), sigma: HalfCauchy({ beta: 1 }) };
  const fm = formulaModel(formula, table, { prior });
  const formulaNames = fm.model.compile().variables.filter((v) => v.kind === 'free' || v.name.startsWith('r_')).map((v) => v.name);
  const hand = hierarchicalNonCentered(d).compile();
  const handNames = ['mu_alpha', 'sigma_alpha', 'mu_beta', 'sigma_beta', 'alpha', 'beta', 'eps'];
  const perSecond = { formula: [] as number[], hand: [] as number[] };
  for (let r = 0; r < repeats; r++) {
    for (const which of ['formula', 'hand'] as const) {
      const t0 = performance.now();
      const idata = await sample(which === 'formula' ? fm.model.compile() : hand, { chains: 4, draws: 1000, tune: 1000, seed: 20240611 + r, progress: false });
      const seconds = (performance.now() - t0) / 1000;
      perSecond[which].push(minEssBulk(idata, which === 'formula' ? formulaNames : handNames) / seconds);
    }
  }
  console.log(
    JSON.stringify({
      bench: 'formula_vs_hand_written_radon',
      formula,
      priors: 'b ~ normal(0, 1), sd ~ half-Cauchy(1), sigma ~ half-Cauchy(1) (the tutorial model)',
      hand_written: 'radon hierarchical non-centered (cli/src/radon/models.ts)',
      min_ess_bulk_per_s_formula: perSecond.formula.map(Math.round),
      min_ess_bulk_per_s_hand: perSecond.hand.map(Math.round),
      ratio_of_medians: median(perSecond.formula) / median(perSecond.hand),
    }),
  );
}
