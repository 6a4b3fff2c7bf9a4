// The check that an argument is InferenceData (as sample(), fit() and the readers return it): an OptionError naming the argument and the function.
import { OptionError } from '../core/errors.js';
import { describeValue } from '../core/optionChecks.js';
import type { InferenceData } from './inferenceData.js';

/**
 * Throws unless `value` has the shape of {@link InferenceData}: an object with `groups`, and whole
 * numbers `nChains` and `nDraws`.
 *
 * @param value - what the caller passed
 * @param fn - the function's name, for the message
 * @param arg - the argument's name (default `idata`)
 * @returns the value, typed
 * @throws OptionError naming `arg`: "fn needs InferenceData (the result of sample(), fromStanCsv(), …), got null"
 * @example
 * ```ts
 * checkInferenceData(null, 'pooledDraws'); // OptionError: idata: pooledDraws needs InferenceData …
 * ```
 */
export function checkInferenceData(value: unknown, fn: string, arg = 'idata'): InferenceData {
  const v = value as Partial<InferenceData> | null;
  if (v === null || typeof v !== 'object' || typeof v.groups !== 'object' || v.groups === null || !Number.isInteger(v.nChains) || !Number.isInteger(v.nDraws)) {
    throw new OptionError(arg, `${fn} needs InferenceData (the result of sample(), fromStanCsv(), fromArvizJson(), …), got ${describeValue(value)}`);
  }
  return value as InferenceData;
}
