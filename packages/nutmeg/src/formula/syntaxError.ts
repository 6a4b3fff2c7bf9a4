// FormulaSyntaxError: a formula that does not parse, with its position, what was expected in plain words, and a caret display.

import { InputError } from '../core/errors.js';

/** Where a syntax error is and what the parser wanted there. */
export interface FormulaErrorDetails {
  /** 0-based offset into the formula text (UTF-16 code units). */
  readonly offset: number;
  /** What the parser would have accepted at `offset`, in plain words (`a column name`, `")"`). */
  readonly expected: readonly string[];
  /** The text found at `offset` (one character), or null at the end of the formula. */
  readonly found: string | null;
  /** Set instead of `expected` when a rule rejected well-formed text (`unknown function "foo"`). */
  readonly reason?: string;
}

/**
 * A formula that does not parse. `message` says where (line and column, 1-based) and what was expected;
 * {@link FormulaSyntaxError.format} adds the formula with a caret under the position.
 *
 * @example
 * ```ts
 * const error = new FormulaSyntaxError('y ~ x +', { offset: 7, expected: ['a column name'], found: null });
 * console.log(error.format());
 * // formula syntax error at line 1, column 8: expected a column name but found the end of the formula
 * //   y ~ x +
 * //          ^
 * ```
 */
export class FormulaSyntaxError extends InputError {
  /** The formula text that failed to parse. */
  readonly formula: string;
  /** 0-based offset of the error in `formula`. */
  readonly offset: number;
  /** 1-based line of the error. */
  readonly line: number;
  /** 1-based column of the error within its line. */
  readonly column: number;
  /** What would have been accepted at the position, in plain words (empty when `reason` says more). */
  readonly expected: readonly string[];
  /** The character found at the position, or null at the end of the text. */
  readonly found: string | null;

  constructor(formula: string, details: FormulaErrorDetails) {
    const { line, column } = lineAndColumn(formula, details.offset);
    const what = details.reason ?? describeExpected(details.expected, details.found);
    super(`formula syntax error at line ${line}, column ${column}: ${what}`);
    this.name = 'FormulaSyntaxError';
    this.formula = formula;
    this.offset = details.offset;
    this.line = line;
    this.column = column;
    this.expected = details.expected;
    this.found = details.found;
  }

  /**
   * The message, then the formula's line at the error and a caret under the position.
   *
   * @returns three lines of text (no trailing newline)
   */
  format(): string {
    const lineText = this.formula.split(/\r\n|\n|\r/)[this.line - 1] ?? '';
    const shown = displayable(lineText);
    const before = ' '.repeat(displayable(lineText.slice(0, this.column - 1)).length);
    return `${this.message}\n  ${shown}\n  ${before}^`;
  }
}

/** 1-based line and column of a 0-based offset. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lines = before.split(/\r\n|\n|\r/);
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}

/** Tabs as spaces, control and line/paragraph separator characters as `?`: one column per UTF-16 unit, so the caret lines up. */
function displayable(text: string): string {
  return text.replace(/\t/g, ' ').replace(/[\p{Cc}\u2028\u2029]/gu, '?');
}

/** "expected a column name, a number or "(" but found "+"". */
function describeExpected(expected: readonly string[], found: string | null): string {
  const unique = [...new Set(expected)];
  const list = unique.length <= 1 ? (unique[0] ?? 'something else') : `${unique.slice(0, -1).join(', ')} or ${unique[unique.length - 1]}`;
  return `expected ${list} but found ${found === null ? 'the end of the formula' : JSON.stringify(found)}`;
}
