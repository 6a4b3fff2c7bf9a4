// Errors as plain data and back, so that an exception crosses a thread (worker_threads, Web Workers) with its class, message and fields.
//
// Structured cloning keeps only the built-in error classes and drops own fields (a ModelError's
// `variable`) and subclasses. A chain worker sends `serializeError(e)` instead, and the parent
// rebuilds it with `deserializeError`: nutmeg's own classes and JavaScript's built-in ones come
// back as themselves; any other class as the nearest known class it extends (else Error) with the
// original `name`, message, stack and own enumerable fields.
import { DomainError, InputError, ModelError, OptionError } from './errors.js';

/** An error as structured-cloneable data. */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  /** Constructor names from the error's class up its prototype chain (e.g. ['MyError', 'DomainError', 'Error']). */
  readonly lineage: readonly string[];
  /** Own enumerable fields (values that cannot be cloned are given as strings). */
  readonly fields: Readonly<Record<string, unknown>>;
  readonly cause?: SerializedError | { readonly value: unknown };
}

/** Classes rebuilt as themselves: a factory from the message and fields. */
const KNOWN: Record<string, (message: string, fields: Readonly<Record<string, unknown>>) => Error> = {
  ModelError: (m, f) => new ModelError(m, typeof f.variable === 'string' ? f.variable : undefined),
  OptionError: (m, f) => Object.assign(new OptionError(String(f.option), ''), { message: m }),
  InputError: (m) => new InputError(m),
  DomainError: (m) => new DomainError(m),
  Error: (m) => new Error(m),
  TypeError: (m) => new TypeError(m),
  RangeError: (m) => new RangeError(m),
  ReferenceError: (m) => new ReferenceError(m),
  SyntaxError: (m) => new SyntaxError(m),
  EvalError: (m) => new EvalError(m),
  URIError: (m) => new URIError(m),
};

/** How deep `cause` chains are followed. */
const MAX_CAUSE_DEPTH = 4;

function cloneable(value: unknown): unknown {
  try {
    return structuredClone(value);
  } catch {
    return String(value);
  }
}

/**
 * An exception as plain data that survives `postMessage`.
 *
 * @param error - what was thrown (an Error or any other value)
 * @param depth - how many causes deep this error is (callers leave it out)
 * @returns its name, message, stack, class lineage, own enumerable fields and cause
 * @example
 * ```ts
 * const data = serializeError(new ModelError('bad', 'mu'));
 * deserializeError(data) instanceof ModelError; // true, with variable 'mu'
 * ```
 */
export function serializeError(error: unknown, depth = 0): SerializedError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), lineage: ['Error'], fields: {} };
  const lineage: string[] = [];
  for (let proto = Object.getPrototypeOf(error) as object | null; proto !== null && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
    const name = (proto as { constructor?: { name?: unknown } }).constructor?.name;
    if (typeof name === 'string' && name !== '') lineage.push(name);
  }
  if (error instanceof DomainError && !lineage.includes('DomainError')) lineage.unshift('DomainError'); // another copy's class
  const fields: Record<string, unknown> = {};
  for (const key of Object.keys(error)) {
    if (key === 'name' || key === 'message' || key === 'stack' || key === 'cause') continue;
    fields[key] = cloneable((error as unknown as Record<string, unknown>)[key]);
  }
  const cause = error.cause === undefined || depth >= MAX_CAUSE_DEPTH
    ? undefined
    : error.cause instanceof Error ? serializeError(error.cause, depth + 1) : { value: cloneable(error.cause) };
  return {
    name: error.name,
    message: error.message,
    ...(error.stack !== undefined ? { stack: error.stack } : {}),
    lineage,
    fields,
    ...(cause !== undefined ? { cause } : {}),
  };
}

/**
 * Rebuilds an error from {@link serializeError}'s data: nutmeg's error classes (ModelError,
 * OptionError, InputError, DomainError) and JavaScript's built-in ones as themselves, any other
 * class as the nearest of those it extends (else Error); with the original name, message, stack
 * (the thread's, where it was thrown), own fields and cause.
 *
 * @param data - the serialised error
 * @returns a new error
 */
export function deserializeError(data: SerializedError): Error {
  const known = data.lineage.find((name) => Object.hasOwn(KNOWN, name)) ?? 'Error';
  const error = KNOWN[known](data.message, data.fields);
  Object.assign(error, data.fields);
  if (error.name !== data.name) error.name = data.name;
  if (data.stack !== undefined) error.stack = data.stack;
  if (data.cause !== undefined) {
    const cause = 'lineage' in data.cause ? deserializeError(data.cause) : data.cause.value;
    Object.defineProperty(error, 'cause', { value: cause, writable: true, configurable: true, enumerable: false });
  }
  return error;
}
