// The seed option of the predictive functions: checked, or taken from the clock when not given.
import { OptionError } from '../core/errors.js';

/**
 * The seed to use: `seed` when given (a non-negative integer below 2^32), else from the clock.
 *
 * @throws OptionError naming `seed` when it is not such an integer
 */
export function resolveSeed(seed: number | undefined): number {
  if (seed === undefined) return Date.now() % 4294967296;
  if (!Number.isInteger(seed) || seed < 0 || seed >= 4294967296) throw new OptionError('seed', `must be an integer in 0…2^32−1, got ${seed}`);
  return seed;
}
