// Worker thread of the report's statistics: az.summary and RMSDs of the fitted models, computed while the figures render.
import { parentPort, workerData } from 'node:worker_threads';
import type { InferenceData } from 'nutmeg';
import { loadRadon } from './data.js';
import { parameterStats, rmsdOf, type ParameterStats, type RmsdResult } from './analysis.js';

/** Input: the CSV and the fits (posterior groups only). */
export interface SummaryWorkerInput {
  readonly csv: string;
  readonly models: readonly { key: string; idata: InferenceData }[];
}

/** Output per model key. */
export type SummaryWorkerResult = { type: 'result'; stats: Record<string, { stats: Record<string, ParameterStats>; rmsd: RmsdResult }> };

const input = workerData as SummaryWorkerInput;
const port = parentPort!;
try {
  const d = loadRadon(input.csv);
  const stats: SummaryWorkerResult['stats'] = {};
  for (const m of input.models) stats[m.key] = { stats: parameterStats(m.idata), rmsd: rmsdOf(d, m.idata) };
  port.postMessage({ type: 'result', stats } satisfies SummaryWorkerResult);
} catch (e) {
  port.postMessage({ type: 'error', message: (e as Error).message });
}
