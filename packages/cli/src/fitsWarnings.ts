// Warnings over many separate fits, grouped: "3 of 12 fits had divergent transitions: A (12), B (3), …" rather than one block per fit.
import { WARNING_THRESHOLDS, type SamplingWarning, type WarningCode } from 'nutmeg';

/** A fit a grouped warning names, with its count when the warning has one (divergences). */
export interface NamedFit {
  readonly name: string;
  readonly count?: number;
}

/** How many fits a grouped warning names before `…`. */
const SHOWN = 5;

/**
 * One line naming the fits a problem affected, the worst first (by count, when there are counts):
 * `"3 of 12 fits had divergent transitions: A (12), B (3), C (1)"`.
 *
 * @param affected - the fits with the problem (in fit order)
 * @param total - all fits
 * @param noun - what the fits are called (`fits`, `county fits`)
 * @param what - the problem, as a predicate (`had divergent transitions`)
 * @returns the line
 */
export function namedFitsLine(affected: readonly NamedFit[], total: number, noun: string, what: string): string {
  const worst = [...affected].sort((a, b) => (b.count ?? 0) - (a.count ?? 0)).slice(0, SHOWN);
  const names = worst.map((f) => (f.count !== undefined ? `${f.name} (${f.count})` : f.name)).join(', ');
  return `${affected.length} of ${total} ${noun} ${what}: ${names}${affected.length > SHOWN ? ', …' : ''}`;
}

/** Each warning code as a predicate of a fit. */
const PROBLEMS: Record<WarningCode, string> = {
  failed_chains: 'had chains that failed',
  checkpoint_write: 'could not write checkpoints',
  divergences: 'had divergent transitions',
  log_density_errors: 'had errors in the log density',
  nonfinite_draws: 'had non-finite draws',
  r_hat: `had R-hat above ${WARNING_THRESHOLDS.rHat}`,
  ess_bulk: `had a bulk ESS below ${WARNING_THRESHOLDS.essPerChain} per chain`,
  ess_tail: `had a tail ESS below ${WARNING_THRESHOLDS.essPerChain} per chain`,
  ebfmi: `had an E-BFMI below ${WARNING_THRESHOLDS.ebfmi}`,
  acceptance_rate: 'had an acceptance rate far from the target',
  tree_depth: 'hit the maximum tree depth',
};

/** One fit's warnings, and its divergence count (for the divergences line). */
export interface FitWarnings {
  readonly name: string;
  readonly warnings: readonly SamplingWarning[];
  readonly divergences: number;
}

/**
 * The warnings of many fits grouped by kind, the most severe kind first: one line per kind naming
 * the fits that had it (divergences with their counts).
 *
 * @param fits - every fit's warnings (fits without warnings count in the total)
 * @param noun - what the fits are called in the lines (default `fits`)
 * @returns one line per kind of warning, or none
 */
export function groupedWarnings(fits: readonly FitWarnings[], noun = 'fits'): string[] {
  const rank = { error: 0, warning: 1, info: 2 } as const;
  const byCode = new Map<WarningCode, { severity: SamplingWarning['severity']; fits: NamedFit[] }>();
  for (const f of fits) {
    for (const w of f.warnings) {
      const entry = byCode.get(w.code) ?? { severity: w.severity, fits: [] };
      if (rank[w.severity] < rank[entry.severity]) entry.severity = w.severity;
      if (!entry.fits.some((n) => n.name === f.name)) entry.fits.push(w.code === 'divergences' ? { name: f.name, count: f.divergences } : { name: f.name });
      byCode.set(w.code, entry);
    }
  }
  return [...byCode.entries()]
    .sort((a, b) => rank[a[1].severity] - rank[b[1].severity])
    .map(([code, e]) => `[${e.severity}] ${namedFitsLine(e.fits, fits.length, noun, PROBLEMS[code])}`);
}
