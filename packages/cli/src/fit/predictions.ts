// --predict: the posterior predictive distribution at the rows of a new CSV file, written as predictions.csv (new rows, then mean, sd and 94% HDI).
import { hdi, predict, type InferenceData } from 'nutmeg';
import type { FormulaModel } from 'nutmeg';
import type { CsvTable } from './csvTable.js';

/** The columns added to the new rows. */
export const PREDICTION_COLUMNS = ['mean', 'sd', 'hdi_3%', 'hdi_97%'] as const;

/** Posterior predictive summary of one new row. */
export interface RowPrediction {
  readonly mean: number;
  readonly sd: number;
  readonly lo: number;
  readonly hi: number;
}

/**
 * Draws the response at the new rows (new group levels drawn from their population distribution, brms's
 * `allow_new_levels = TRUE`) and summarises each row.
 *
 * @param fm - the fitted formula model
 * @param idata - its posterior
 * @param newCsv - the new rows
 * @param seed - seed of the predictive draws
 * @returns one summary per new row
 * @throws InputError from the builder's newData (unknown column, missing value, unseen level of a fixed factor)
 */
export function predictRows(fm: FormulaModel, idata: InferenceData, newCsv: CsvTable, seed: number): RowPrediction[] {
  const pred = predict(fm.model, idata, { data: fm.newData(newCsv.table), allowNewLevels: true, seed, varNames: [fm.response] });
  const v = pred.groups.predictions?.vars[fm.response];
  if (!v) throw new Error(`predict returned no ${fm.response}`);
  const total = pred.nChains * pred.nDraws;
  const n = v.values.length / total;
  return Array.from({ length: n }, (_, i) => {
    const draws = new Float64Array(total);
    for (let s = 0; s < total; s++) draws[s] = v.values[s * n + i];
    let mean = 0;
    for (const x of draws) mean += x;
    mean /= total;
    let ss = 0;
    for (const x of draws) ss += (x - mean) ** 2;
    const [lo, hi] = hdi([draws], 0.94);
    return { mean, sd: Math.sqrt(ss / (total - 1)), lo, hi };
  });
}

/** A CSV field, quoted when it holds a comma, quote, line break or surrounding space (RFC 4180). */
function csvField(s: string): string {
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * predictions.csv: the new file's columns and cells unchanged, then mean, sd, hdi_3%, hdi_97%.
 *
 * @param newCsv - the new rows
 * @param predictions - one per row
 * @returns CSV text
 */
export function predictionsCsv(newCsv: CsvTable, predictions: readonly RowPrediction[]): string {
  const lines = [[...newCsv.columns, ...PREDICTION_COLUMNS].map(csvField).join(',')];
  newCsv.records.forEach((record, i) => {
    const p = predictions[i];
    lines.push([...record.map(csvField), ...[p.mean, p.sd, p.lo, p.hi].map(String)].join(','));
  });
  return lines.join('\n') + '\n';
}
