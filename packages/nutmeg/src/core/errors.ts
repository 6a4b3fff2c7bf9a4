// Error types: fatal model errors (raised at build time, naming the culprit) vs option errors.

/**
 * A fatal problem with a model or its data, found at build time: a shape mismatch, an index out of
 * range, non-finite observed data, an invalid constant parameter, a duplicate name, an unknown dim.
 * The message names the variable (and, where it applies, the position).
 */
export class ModelError extends Error {
  /** The variable the problem is about, when there is one. */
  readonly variable: string | undefined;
  constructor(message: string, variable?: string) {
    super(message);
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
