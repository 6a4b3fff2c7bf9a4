// Checks of the positional arguments of public functions (a string, a list of names, an object): an OptionError naming the argument, never a raw TypeError.
import { OptionError } from './errors.js';
import { describeValue } from './optionChecks.js';

/**
 * Throws unless `value` is a string.
 *
 * @param value - what the caller passed
 * @param arg - the argument's name, for the message (`name`, `text`, …)
 * @param fn - the function's name
 * @param example - what a valid argument looks like (`'mu'`)
 * @returns the string
 * @throws OptionError naming `arg`
 */
export function stringArgument(value: unknown, arg: string, fn: string, example: string): string {
  if (typeof value !== 'string') throw new OptionError(arg, `${fn}: ${arg} must be a string such as ${example}, got ${describeValue(value)}`);
  return value;
}

/**
 * A list of names, or undefined: one name given as a string is read as a list of one (as ArviZ's
 * `var_names` is).
 *
 * @param value - what the caller passed
 * @param arg - the argument's name
 * @param fn - the function's name
 * @returns the names, or undefined when none were given
 * @throws OptionError naming `arg` when it is neither a name nor a list of names
 */
export function namesArgument(value: unknown, arg: string, fn: string): readonly string[] | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw new OptionError(arg, `${fn}: ${arg} must be a variable name or a list of names such as ['mu', 'tau'], got ${describeValue(value)}`);
  }
  return value as string[];
}

/**
 * Throws unless `value` is an array (of anything: the function checks the elements).
 *
 * @param value - what the caller passed
 * @param arg - the argument's name
 * @param fn - the function's name
 * @param what - what the array holds (`summary rows from summary()`)
 * @returns the array
 * @throws OptionError naming `arg`
 */
export function arrayArgument<T>(value: readonly T[] | unknown, arg: string, fn: string, what: string): readonly T[] {
  if (!Array.isArray(value)) throw new OptionError(arg, `${fn}: ${arg} must be an array of ${what}, got ${describeValue(value)}`);
  return value as readonly T[];
}

/**
 * Throws unless `value` is an object (not null, not an array).
 *
 * @param value - what the caller passed
 * @param arg - the argument's name
 * @param fn - the function's name
 * @param example - what a valid argument looks like
 * @throws OptionError naming `arg`
 */
export function objectArgument(value: unknown, arg: string, fn: string, example: string): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new OptionError(arg, `${fn}: ${arg} must be an object such as ${example}, got ${describeValue(value)}`);
  }
}

/**
 * Throws unless `value` is an array or a typed array (of numbers; the function checks the values).
 *
 * @param value - what the caller passed
 * @param arg - the argument's name
 * @param fn - the function's name
 * @returns the values
 * @throws OptionError naming `arg`
 */
export function numbersArgument(value: unknown, arg: string, fn: string): ArrayLike<number> {
  if (!Array.isArray(value) && !(ArrayBuffer.isView(value) && !(value instanceof DataView))) {
    throw new OptionError(arg, `${fn}: ${arg} must be an array of numbers (or a Float64Array), got ${describeValue(value)}`);
  }
  return value as ArrayLike<number>;
}
