// parsePrior: brms/Stan prior strings (`normal(0, 2.5): b_floor`) → the brms parameter class they target and a nutmeg distribution.

import { arrayArgument, stringArgument } from '../core/argumentChecks.js';
import type { DistributionSpec } from '../distributions/factories.js';
import { Beta, Cauchy, Exponential, Flat, Gamma, HalfCauchy, HalfNormal, InverseGamma, Laplace, LKJCholeskyCorr, LogNormal, Normal, StudentT, Uniform } from '../distributions/factories.js';
import { parse as generatedParse, SyntaxError as GeneratedSyntaxError } from './generated/priorParser.js';
import { PriorSyntaxError } from './priorSyntaxError.js';

/** Longest prior string accepted (a guard against pathological input). */
export const MAX_PRIOR_LENGTH = 10_000;

/** A parsed prior string. */
export interface ParsedPrior {
  /** The brms class or parameter it applies to: `b`, `b_floor`, `Intercept`, `sd`, `sd_county`, `sd_county__floor`, `cor`, `cor_county`, `sigma`, `nu`, `shape`. */
  readonly target: string;
  /** The distribution. For `lkj(eta)` it is `LKJCholeskyCorr({ eta, n: 2 })`: a placeholder whose `n` the model builder sets. */
  readonly prior: DistributionSpec;
  /** The Stan/brms distribution name as written (`normal`, `student_t`, …). */
  readonly distribution: string;
  /** Its arguments, in Stan's order. */
  readonly args: readonly number[];
}

/** One Stan/brms distribution: its argument names (in Stan's order), which must be positive, and the nutmeg factory. */
interface PriorFamily {
  readonly args: readonly string[];
  readonly positive: readonly string[];
  readonly build: (a: Readonly<Record<string, number>>) => DistributionSpec;
}

/** Stan's distribution names (brms's prior language) → nutmeg's factories, Stan's parameterisation kept. */
export const PRIOR_FAMILIES: Readonly<Record<string, PriorFamily>> = {
  normal: { args: ['mu', 'sigma'], positive: ['sigma'], build: (a) => Normal({ mu: a.mu, sigma: a.sigma }) },
  student_t: { args: ['nu', 'mu', 'sigma'], positive: ['nu', 'sigma'], build: (a) => StudentT({ nu: a.nu, mu: a.mu, sigma: a.sigma }) },
  cauchy: { args: ['mu', 'sigma'], positive: ['sigma'], build: (a) => Cauchy({ alpha: a.mu, beta: a.sigma }) },
  double_exponential: { args: ['mu', 'sigma'], positive: ['sigma'], build: (a) => Laplace({ mu: a.mu, b: a.sigma }) },
  exponential: { args: ['rate'], positive: ['rate'], build: (a) => Exponential({ lam: a.rate }) },
  gamma: { args: ['shape', 'rate'], positive: ['shape', 'rate'], build: (a) => Gamma({ alpha: a.shape, beta: a.rate }) },
  inv_gamma: { args: ['shape', 'scale'], positive: ['shape', 'scale'], build: (a) => InverseGamma({ alpha: a.shape, beta: a.scale }) },
  lognormal: { args: ['mu', 'sigma'], positive: ['sigma'], build: (a) => LogNormal({ mu: a.mu, sigma: a.sigma }) },
  uniform: { args: ['lower', 'upper'], positive: [], build: (a) => Uniform({ lower: a.lower, upper: a.upper }) },
  beta: { args: ['alpha', 'beta'], positive: ['alpha', 'beta'], build: (a) => Beta({ alpha: a.alpha, beta: a.beta }) },
  half_normal: { args: ['sigma'], positive: ['sigma'], build: (a) => HalfNormal({ sigma: a.sigma }) },
  half_cauchy: { args: ['sigma'], positive: ['sigma'], build: (a) => HalfCauchy({ beta: a.sigma }) },
  lkj: { args: ['eta'], positive: ['eta'], build: (a) => LKJCholeskyCorr({ eta: a.eta, n: 2 }) },
  lkj_corr_cholesky: { args: ['eta'], positive: ['eta'], build: (a) => LKJCholeskyCorr({ eta: a.eta, n: 2 }) },
  flat: { args: [], positive: [], build: () => Flat() },
};

/** Distributions that only fit correlation targets, and the only ones that do. */
const CORRELATION_FAMILIES = new Set(['lkj', 'lkj_corr_cholesky']);

/** brms's parameter classes that stand alone as targets. */
const CLASSES = ['b', 'Intercept', 'sd', 'cor', 'sigma', 'nu', 'shape'];
/** Prefixes of targets naming one coefficient or group (`b_floor`, `sd_county__Intercept`, `cor_county`). */
const PREFIXES = ['b_', 'sd_', 'cor_'];

/** The generated parser's result. */
interface RawPrior {
  call: { name: { text: string; span: Span }; args: { value: number; span: Span }[]; span: Span };
  target: { text: string; span: Span };
}
/** A source span (0-based offsets). */
interface Span {
  start: number;
  end: number;
}

/** The generated parser's entry point (the generated file is untyped). */
const parseGenerated = generatedParse as unknown as (text: string) => RawPrior;

/**
 * Parses a prior in brms's class names and Stan's distribution language: `DIST(ARGS): TARGET`.
 * Distributions (Stan's parameters and order): `normal(mu, sigma)`, `student_t(nu, mu, sigma)`,
 * `cauchy(mu, sigma)`, `double_exponential(mu, sigma)`, `exponential(rate)`, `gamma(shape, rate)`,
 * `inv_gamma(shape, scale)`, `lognormal(mu, sigma)`, `uniform(lower, upper)`, `beta(a, b)`,
 * `half_normal(sigma)`, `half_cauchy(sigma)`, `lkj(eta)` = `lkj_corr_cholesky(eta)`, `flat()`.
 * Targets: `b`, `b_<coef>`, `Intercept`, `sd`, `sd_<group>`, `sd_<group>__<coef>`, `cor`, `cor_<group>`,
 * `sigma`, `nu`, `shape`. The string stays data: nothing of it is evaluated.
 *
 * @param text - the prior string
 * @returns the target and the distribution (see {@link ParsedPrior} for the LKJ placeholder)
 * @throws PriorSyntaxError (an InputError) with the position of what is wrong and a caret display
 *
 * @example
 * ```ts
 * const { target, prior } = parsePrior('student_t(3, 0, 2.5): sd_county');
 * console.log(target, prior.params); // sd_county { nu: 3, mu: 0, sigma: 2.5 }
 * ```
 */
export function parsePrior(text: string): ParsedPrior {
  stringArgument(text, 'prior', 'parsePrior', "'normal(0, 2.5) class=b'");
  if (text.length > MAX_PRIOR_LENGTH) throw new PriorSyntaxError(text, MAX_PRIOR_LENGTH, `the prior is longer than ${MAX_PRIOR_LENGTH} characters`);
  const raw = parseRaw(text);
  const { name, args } = raw.call;
  const family = Object.hasOwn(PRIOR_FAMILIES, name.text) ? PRIOR_FAMILIES[name.text] : undefined;
  if (!family) {
    throw new PriorSyntaxError(text, name.span.start, `unknown distribution ${JSON.stringify(name.text)} (known: ${Object.keys(PRIOR_FAMILIES).join(', ')})`);
  }
  if (args.length !== family.args.length) {
    const wanted = family.args.length === 0 ? 'no arguments' : `${family.args.length} argument${family.args.length === 1 ? '' : 's'} (${family.args.join(', ')})`;
    throw new PriorSyntaxError(text, raw.call.span.start, `${name.text}() takes ${wanted}, got ${args.length}`);
  }
  const values: Record<string, number> = {};
  family.args.forEach((arg, i) => {
    const { value, span } = args[i];
    if (!Number.isFinite(value)) throw new PriorSyntaxError(text, span.start, `${name.text}'s ${arg} must be a finite number`);
    if (family.positive.includes(arg) && !(value > 0)) throw new PriorSyntaxError(text, span.start, `${name.text}'s ${arg} must be positive, got ${value}`);
    values[arg] = value;
  });
  if (name.text === 'uniform' && !(values.lower < values.upper)) {
    throw new PriorSyntaxError(text, args[0].span.start, `uniform's lower bound must be below its upper bound, got ${values.lower} and ${values.upper}`);
  }
  const target = raw.target.text;
  checkTarget(text, raw.target.span.start, target, name.text);
  return { target, prior: family.build(values), distribution: name.text, args: family.args.map((a) => values[a]) };
}

/**
 * Parses several prior strings into the `prior` option of the formula model builder.
 *
 * @param texts - prior strings, each `DIST(ARGS): TARGET`
 * @returns target → distribution
 * @throws PriorSyntaxError for a string that does not parse, or when two strings have the same target
 *
 * @example
 * ```ts
 * const prior = priorsFromStrings(['normal(0, 1): b', 'exponential(1): sigma']);
 * console.log(Object.keys(prior)); // [ 'b', 'sigma' ]
 * ```
 */
export function priorsFromStrings(texts: readonly string[]): Record<string, DistributionSpec> {
  arrayArgument(texts, 'priors', 'priorsFromStrings', "prior strings such as ['normal(0, 2.5) class=b']");
  const out: Record<string, DistributionSpec> = {};
  for (const text of texts) {
    const { target, prior } = parsePrior(text);
    if (Object.hasOwn(out, target)) throw new PriorSyntaxError(text, text.lastIndexOf(target), `a second prior for ${quote(target)}: give each class or parameter one prior`);
    out[target] = prior;
  }
  return out;
}

/** The generated parser, its errors as PriorSyntaxError with plain-word expectations. */
function parseRaw(text: string): RawPrior {
  try {
    return parseGenerated(text);
  } catch (error) {
    if (!(error instanceof GeneratedSyntaxError)) throw error;
    const e = error as unknown as { location: { start: { offset: number } }; expected: { type: string; text?: string; description?: string }[] | null };
    const offset = e.location.start.offset;
    const words = [...new Set((e.expected ?? []).map(describe).filter((w) => w !== ''))].sort();
    const list = words.length <= 1 ? (words[0] ?? 'something else') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
    const found = offset < text.length ? quote(String.fromCodePoint(text.codePointAt(offset)!)) : 'the end of the prior';
    throw new PriorSyntaxError(text, offset, `expected ${list} but found ${found}`);
  }
}

/** A string in double quotes with control characters and line separators escaped: one line whatever it holds. */
function quote(s: string): string {
  return JSON.stringify(s).replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}

/** One peggy expectation in plain words. */
function describe(e: { type: string; text?: string; description?: string }): string {
  if (e.type === 'literal') return JSON.stringify(e.text);
  if (e.type === 'end') return 'the end of the prior';
  if (e.type === 'other') return e.description === 'white space' ? '' : (e.description ?? '');
  return 'a character';
}

/** The target is a brms class or a class-prefixed name, and LKJ goes with correlations only. */
function checkTarget(text: string, offset: number, target: string, distribution: string): void {
  const known = CLASSES.includes(target) || PREFIXES.some((p) => target.startsWith(p) && target.length > p.length);
  if (!known) {
    throw new PriorSyntaxError(text, offset, `unknown parameter class ${quote(target)} (use b, b_<coef>, Intercept, sd, sd_<group>, sd_<group>__<coef>, cor, cor_<group>, sigma, nu or shape)`);
  }
  const isCorrelation = target === 'cor' || target.startsWith('cor_');
  if (isCorrelation !== CORRELATION_FAMILIES.has(distribution)) {
    throw new PriorSyntaxError(text, offset, isCorrelation ? `correlations take an lkj(eta) prior, not ${distribution}()` : `lkj() is a prior for correlations (cor, cor_<group>), not for ${quote(target)}`);
  }
}
