// Error types: the recoverable DomainError (a divergence inside a trajectory) vs fatal model, option and input errors.

/**
 * A fatal problem with a model or its data, found at build time: a shape mismatch, an index out of
 * range, non-finite observed data, an invalid constant parameter, a duplicate name, an unknown dim.
 * The message names the variable (and, where it applies, the position).
 */
export class ModelError extends Error {
  /** The variable the problem is about, when there is one. */
  readonly variable: string | undefined;
  constructor(message: string, variable?: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ModelError';
    this.variable = variable;
  }
}

/** A bad option passed to an inference or I/O function; the message names the option. */
export class OptionError extends Error {
  readonly option: string;
  constructor(option: string, message: string) {
    super(`${option}: ${message}`);
    this.name = 'OptionError';
    this.option = option;
  }
}

/** A problem in an input file; the message names the file and the position. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

/** Brand of {@link DomainError}s, shared by every copy of nutmeg loaded in a realm (a worker bundle, the package). */
const DOMAIN_ERROR = Symbol.for('nutmeg.DomainError');

/**
 * The log density is undefined at this point: a recoverable error. Throw it from a hand-written
 * `LogDensity` (or a model check) where the density has no value, e.g. outside a parameter's
 * support or where a matrix stops being positive definite. Inside a trajectory the sampler treats
 * it as Stan treats `std::domain_error` and nuts-rs a recoverable `LogpError`: the step becomes a
 * divergence, recorded with this message in the transition's divergence info, and sampling goes on.
 * Any other exception is a bug or a fatal problem: it stops the chain and reaches the caller.
 *
 * `instanceof DomainError` recognises DomainErrors made by any copy of nutmeg (a worker bundle and
 * the package each have one), through a registered symbol rather than the class object.
 *
 * @example
 * ```ts
 * const halfLine: LogDensity = {
 *   dim: 1,
 *   logDensityGrad(x, grad) {
 *     if (x[0] <= 0) throw new DomainError(`log(x) needs x > 0, got ${x[0]}`);
 *     grad[0] = 1 / x[0] - 1;
 *     return Math.log(x[0]) - x[0];
 *   },
 * };
 * ```
 */
export class DomainError extends Error {
  static override [Symbol.hasInstance](value: unknown): boolean {
    // Subclasses keep the ordinary prototype check; DomainError itself accepts any copy's instances.
    if (this !== DomainError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[DOMAIN_ERROR] === true;
  }
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DomainError';
    Object.defineProperty(this, DOMAIN_ERROR, { value: true });
  }
}

/**
 * Whether an exception thrown by a log density is recoverable (a {@link DomainError}): inside a
 * trajectory it is a divergence; anything else stops the chain.
 *
 * @param error - what was thrown
 * @returns true for a DomainError (from any copy of nutmeg)
 */
export function isRecoverable(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
