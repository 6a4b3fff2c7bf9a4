// The SciPy log-density fixture (test/fixtures/testvectors/logpdf.json) as typed cases, with the factories and helpers its tests share.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as nm from '../../src/index.js';
import type { DistributionSpec } from '../../src/index.js';

export type Value = number | number[] | number[][];

/** One case: a family with parameters, a value, and SciPy's log density there (`-inf` outside the support). */
export interface LogpdfCase {
  dist: string;
  params: Record<string, Value>;
  x: Value;
  logp: number | string;
}

const here = fileURLToPath(new URL('.', import.meta.url));
export const CASES = (JSON.parse(readFileSync(`${here}../fixtures/testvectors/logpdf.json`, 'utf8')) as { cases: LogpdfCase[] }).cases;

/** The distribution constructors by PyMC name (`Normal`, `Poisson`, …). */
export const FACTORY = nm as unknown as Record<string, (p: Record<string, Value>) => DistributionSpec>;
export const MULTIVARIATE = new Set(['MvNormal', 'Dirichlet']);

/** SciPy's value as a number (`-inf`, `inf` spelled out in the JSON). */
export const wanted = (c: LogpdfCase): number => (c.logp === '-inf' ? -Infinity : c.logp === 'inf' ? Infinity : Number(c.logp));
export const label = (c: LogpdfCase): string => `${c.dist}(${JSON.stringify(c.params)}) at ${JSON.stringify(c.x)}`;
