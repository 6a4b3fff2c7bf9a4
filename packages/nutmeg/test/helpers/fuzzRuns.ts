// How many generated cases each property-based (fast-check) test runs: a few hundred in `npm test`, 10,000 in `npm run test:fuzz`.

import fc from 'fast-check';

/**
 * In `npm test` every fuzz target replays the same cases (seed `NUTMEG_FUZZ_SEED`, default
 * 20261207), so a CI run is reproducible and cannot be reddened by a case nobody has seen; the long
 * runs (`npm run test:fuzz`, NUTMEG_FUZZ_RUNS set) draw fresh seeds to explore, and fast-check
 * prints the seed of any failure to replay it.
 */
const FIXED_SEED = Number(process.env.NUTMEG_FUZZ_SEED ?? 20261207);
if (!process.env.NUTMEG_FUZZ_RUNS || process.env.NUTMEG_FUZZ_SEED) fc.configureGlobal({ ...fc.readConfigureGlobal(), seed: FIXED_SEED });

/** Cases per fuzz target in `npm test` when a test does not ask for another number. */
export const QUICK_FUZZ_RUNS = 200;

/**
 * The number of cases for one fuzz target: `NUTMEG_FUZZ_RUNS` when set (`npm run test:fuzz` sets
 * 10,000), otherwise `quick`.
 *
 * @param quick - cases in the regular test run (keep the whole `npm test` near ten minutes)
 * @returns the `numRuns` to give `fc.assert`
 */
export function fuzzRuns(quick: number = QUICK_FUZZ_RUNS): number {
  const env = process.env.NUTMEG_FUZZ_RUNS;
  if (env === undefined || env === '') return quick;
  const n = Number(env);
  if (!Number.isInteger(n) || n < 1) throw new Error(`NUTMEG_FUZZ_RUNS must be a positive integer, got ${JSON.stringify(env)}`);
  return n;
}
