// Every distribution family by name (the name a VariableSpec or TermSpec records), elementwise and composite.
import * as C from './continuous.js';
import * as D from './discrete.js';
import type { ElementwiseDistribution } from './distribution.js';
import * as LKJ from './lkjCholeskyCorr.js';
import * as M from './multivariate.js';

/** A distribution family: elementwise (log density per element) or composite (built from graph ops). */
export type DistributionFamily = ElementwiseDistribution | M.CompositeDistribution;

const isFamily = (x: unknown): x is DistributionFamily => typeof x === 'object' && x !== null && 'paramSets' in x && 'sample' in x;

/** All families by name; a family exported by one of the family modules imported above appears here. */
export const FAMILIES: Readonly<Record<string, DistributionFamily>> = Object.fromEntries(
  [...Object.values(C), ...Object.values(D), ...Object.values(M), ...Object.values(LKJ)].filter(isFamily).map((f) => [f.name, f]),
);

/** True for an elementwise family (its log density is a per-element IR expression). */
export function isElementwise(f: DistributionFamily): f is ElementwiseDistribution {
  return 'logp' in f;
}
