// PriorSyntaxError: a prior string (`normal(0, 1): b`) that does not parse or names something unknown, with a caret display.

import { InputError } from '../core/errors.js';

/**
 * A prior string that is not `distribution(numbers): target`, or whose distribution, arguments or
 * target are not known. `message` says where (1-based column) and what is wrong;
 * {@link PriorSyntaxError.format} adds the string with a caret under the position.
 *
 * @example
 * ```ts
 * const error = new PriorSyntaxError('normal(0, 1) b', 13, 'expected ":" but found "b"');
 * console.log(error.format());
 * // prior syntax error at column 14: expected ":" but found "b"
 * //   normal(0, 1) b
 * //                ^
 * ```
 */
export class PriorSyntaxError extends InputError {
  /** The prior string. */
  readonly prior: string;
  /** 0-based offset of the error in `prior` (UTF-16 code units). */
  readonly offset: number;
  /** What is wrong there, in plain words. */
  readonly reason: string;

  constructor(prior: string, offset: number, reason: string) {
    super(`prior syntax error at column ${offset + 1}: ${reason}`);
    this.name = 'PriorSyntaxError';
    this.prior = prior;
    this.offset = offset;
    this.reason = reason;
  }

  /**
   * The message, then the prior string and a caret under the position (control characters shown as `?`).
   *
   * @returns three lines of text (no trailing newline)
   */
  format(): string {
    const shown = displayable(this.prior);
    return `${this.message}\n  ${shown}\n  ${' '.repeat(Math.min(this.offset, shown.length))}^`;
  }
}

/** Tabs as spaces, control and line/paragraph separators as `?`: one column per UTF-16 unit, so the caret lines up. */
function displayable(text: string): string {
  return text.replace(/\t/g, ' ').replace(/[\p{Cc}\u2028\u2029]/gu, '?');
}
