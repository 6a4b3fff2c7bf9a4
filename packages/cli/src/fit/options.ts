// The options of `nutmeg fit`, checked: a known family, repeatable options (whole numbers: limits.ts).
import { InvalidArgumentError } from 'commander';
import { FAMILIES, type FamilyName } from 'nutmeg';

/** The command's settings after parsing. */
export interface FitOptions {
  readonly family?: FamilyName;
  readonly prior: readonly string[];
  readonly chains: number;
  readonly draws: number;
  readonly tune: number;
  readonly seed?: number;
  readonly out: string;
  readonly json: boolean;
  readonly predict?: string;
  readonly printPriors: boolean;
  readonly categorical: readonly string[];
  readonly dropMissing: boolean;
  /** Fit each level of this column separately (--by). */
  readonly by?: string;
  /** With --by: run the fits on this Redis queue (a URL, maybe with credentials: never printed). */
  readonly redis?: string;
  /** The queue's name (--queue; default @nutmeg/queue's). */
  readonly queue?: string;
  /** Continue the fit checkpointed in `<out>/checkpoint/` (--resume). */
  readonly resume: boolean;
}

/** brms's family names, as --family takes them. */
export const FAMILY_NAMES = Object.keys(FAMILIES) as FamilyName[];

/** Target acceptance and tree depth used (sample's defaults), for the warnings. */
export const NUTS_SETTINGS = { targetAccept: 0.8, maxTreeDepth: 10 } as const;

/**
 * A commander argument parser for `--family`.
 *
 * @param text - the family as given
 * @returns the family
 */
export function familyName(text: string): FamilyName {
  if (!(FAMILY_NAMES as string[]).includes(text)) throw new InvalidArgumentError(`expected one of ${FAMILY_NAMES.join(', ')}.`);
  return text as FamilyName;
}

/**
 * A commander collector for repeatable options.
 *
 * @param value - this occurrence
 * @param previous - the earlier ones
 * @returns all of them
 */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
