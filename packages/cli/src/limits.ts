// The sampler settings a command accepts: whole numbers parsed strictly, and runs that would need absurd memory or time refused before any work, with the estimate and the limit.
import { OptionError } from 'nutmeg';
import { InvalidArgumentError } from 'commander';
import { totalmem } from 'node:os';

/**
 * The limits, each arbitrary but stated. Chains: each is a worker's job with its own adaptation,
 * and R-hat over more than a few hundred chains says little (PyMC and Stan users run 4 to 8;
 * many-chain samplers use up to ~128). Warm-up: Stan's default is 1,000 iterations; more than a
 * million is a typo rather than a plan. Memory: the draws a run keeps (8 bytes a number) stay
 * below a quarter of the machine's memory and 4 GB. Files are no limit: idata.json and the CSVs
 * are written chunk by chunk (never one string, so V8's string limit of 2^29 − 24 characters does
 * not apply), and a full disk is reported as such (exit 1, no partial file).
 */
export const LIMITS = {
  chains: 128,
  tune: 1_000_000,
  draws: 10_000_000,
  memoryBytes: Math.min(4 * 2 ** 30, totalmem() / 4),
} as const;

/** The sampler settings of a run. */
export interface SamplerCounts {
  readonly chains: number;
  readonly draws: number;
  readonly tune: number;
}

/**
 * A commander argument parser for whole numbers from `min` to `max`: digits, optionally with an
 * exponent (`1e4`); never rounded (`1.5`, `99999999999999999999` and `-1` are refused).
 *
 * @param min - smallest value accepted
 * @param max - largest value accepted (default 2^53 − 1, the largest integer a number holds exactly)
 * @returns the parser
 */
export function wholeNumber(min: number, max: number = Number.MAX_SAFE_INTEGER): (text: string) => number {
  return (text) => {
    const t = text.trim();
    const n = /^\d+(e\d+)?$/i.test(t) ? Number(t) : NaN;
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected a whole number ≥ ${min}, got '${printable(text)}'.`);
    if (!Number.isSafeInteger(n) || n > max) throw new InvalidArgumentError(`expected a whole number ≤ ${max}, got '${printable(text)}'.`);
    return n;
  };
}

/**
 * A parser for a decimal number in [min, max] (an option's value); commander reports its error.
 *
 * @param min - the smallest value allowed
 * @param max - the largest value allowed
 * @returns the parser
 */
export function numberBetween(min: number, max: number): (text: string) => number {
  return (text) => {
    const t = text.trim();
    const n = /^\d+(\.\d+)?$/.test(t) ? Number(t) : NaN;
    if (!(n >= min && n <= max)) throw new InvalidArgumentError(`expected a number from ${min} to ${max}, got '${printable(text)}'.`);
    return n;
  };
}

/** At most 40 characters of a user's text, control characters escaped. */
function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  const t = text.replace(/[\u0000-\u001f\u007f\u0085\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return t.length > 40 ? `${t.slice(0, 40)}…` : t;
}

/** A count in words: `4.0e9`, `12,000`. */
function count(n: number): string {
  return n >= 1e7 ? n.toExponential(1) : n.toLocaleString('en-US');
}

/** Bytes in words: `1.5 GB`. */
export function bytes(n: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let u = 0;
  while (n >= 1024 && u < units.length - 1) {
    n /= 1024;
    u++;
  }
  return `${u === 0 ? n : n.toFixed(1)} ${units[u]}`;
}

/**
 * Refuses, before any work, settings that would run for an absurd time or keep more draws than
 * memory holds.
 *
 * @param s - chains, draws and warm-up per chain
 * @param numbersPerDraw - the numbers kept for each draw of one chain (parameters, sampler statistics, pointwise log-likelihood…)
 * @throws OptionError naming the option, the estimate and the limit
 */
export function checkSampleLimits(s: SamplerCounts, numbersPerDraw: number): void {
  if (s.chains > LIMITS.chains) throw new OptionError('--chains', `${s.chains} chains is more than the limit of ${LIMITS.chains}`);
  if (s.tune > LIMITS.tune) throw new OptionError('--tune', `${count(s.tune)} warm-up iterations per chain is more than the limit of ${count(LIMITS.tune)} (Stan's default is 1,000)`);
  if (s.draws > LIMITS.draws) throw new OptionError('--draws', `${count(s.draws)} draws per chain is more than the limit of ${count(LIMITS.draws)}`);
  const numbers = s.chains * s.draws * numbersPerDraw;
  const what = `${s.chains} chains × ${count(s.draws)} draws × ${count(numbersPerDraw)} numbers per draw`;
  if (numbers * 8 > LIMITS.memoryBytes) {
    throw new OptionError('--draws/--chains', `${what} would keep ${bytes(numbers * 8)} of draws in memory; the limit is ${bytes(LIMITS.memoryBytes)} (a quarter of this machine's memory, at most 4 GB): fewer --draws or --chains`);
  }
}
