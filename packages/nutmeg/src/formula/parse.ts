// parseFormula: formula text → syntax tree (generated peggy parser), with syntax errors as FormulaSyntaxError.

import { stringArgument } from '../core/argumentChecks.js';
import type { FormulaNode } from './ast.js';
import { parse as generatedParse, SyntaxError as GeneratedSyntaxError } from './generated/formulaParser.js';
import { FormulaSyntaxError } from './syntaxError.js';

/** Longest formula accepted: a guard against pathological input (the parser is linear, but the tree is not free). */
export const MAX_FORMULA_LENGTH = 100_000;

/** The generated parser's entry point (the generated file is untyped). */
const parseGenerated = generatedParse as unknown as (text: string) => FormulaNode;

/** The fields of peggy's SyntaxError that are used here. */
interface PeggyError {
  message: string;
  location: { start: { offset: number } };
  expected: PeggyExpectation[] | null;
}

/** One expectation as peggy reports it. */
interface PeggyExpectation {
  type: 'literal' | 'class' | 'any' | 'end' | 'other';
  text?: string;
  parts?: (string | [string, string])[];
  description?: string;
}

/**
 * Parses a brms/lme4-style model formula into its syntax tree (every node with its source span).
 * Supported: `y ~ a + b`, `a:b`, `a*b`, `a/b`, `(a + b)^2`, `0 +`, `- 1`, `1 +`, calls `log(x)`, `log2`,
 * `log10`, `log1p`, `exp`, `sqrt`, `abs`, `scale(x)`, `I(expr)` with `+ - * / ^` inside, `offset(expr)`,
 * group terms `(1 | g)`, `(1 + x | g)`, `(x || g)`, `(0 + x | g)`, `(1 | g1:g2)`, `(1 | g1/g2)`, the
 * response `successes | trials(n)`, and `` `odd name` `` backquoted column names.
 *
 * @param text - the formula
 * @returns the syntax tree; {@link expandFormula} turns it into terms
 * @throws FormulaSyntaxError when the text does not parse (position, expected tokens, caret display)
 *
 * @example
 * ```ts
 * const ast = parseFormula('log_radon ~ floor + (1 + floor | county)');
 * console.log(ast.response?.value); // { kind: 'name', name: 'log_radon', … }
 * ```
 */
export function parseFormula(text: string): FormulaNode {
  stringArgument(text, 'formula', 'parseFormula', "'y ~ x + (1 | g)'");
  if (text.length > MAX_FORMULA_LENGTH) {
    throw new FormulaSyntaxError(text, { offset: MAX_FORMULA_LENGTH, expected: [], found: text[MAX_FORMULA_LENGTH], reason: `the formula is longer than ${MAX_FORMULA_LENGTH} characters` });
  }
  try {
    return parseGenerated(text);
  } catch (error) {
    if (error instanceof GeneratedSyntaxError) throw toFormulaError(text, error as unknown as PeggyError);
    // Deep nesting can exhaust the stack: still a syntax problem of this text, not a crash.
    if (error instanceof RangeError) {
      throw new FormulaSyntaxError(text, { offset: 0, expected: [], found: text[0] ?? null, reason: 'the formula is nested too deeply' });
    }
    throw error;
  }
}

/** peggy's error → FormulaSyntaxError: the position, plain-word expectations, or the rule's own reason. */
function toFormulaError(text: string, error: PeggyError): FormulaSyntaxError {
  const offset = error.location.start.offset;
  const expected = error.expected ?? [];
  const found: string | null = offset < text.length ? String.fromCodePoint(text.codePointAt(offset)!) : null;
  if (expected.length === 0) return new FormulaSyntaxError(text, { offset, expected: [], found, reason: error.message });
  const words = expected.flatMap(describe).filter((w) => w !== '').sort();
  return new FormulaSyntaxError(text, { offset, expected: words, found });
}

/** One expectation in plain words (a character class, such as peggy makes of `"+" / "-"`, lists its characters). */
function describe(e: PeggyExpectation): string[] | string {
  switch (e.type) {
    case 'class':
      return (e.parts ?? []).map((p) => (typeof p === 'string' ? JSON.stringify(p) : `a character from ${p[0]} to ${p[1]}`));
    case 'literal':
      return JSON.stringify(e.text);
    case 'end':
      return 'the end of the formula';
    case 'other':
      return e.description === 'white space' ? '' : (e.description ?? '');
    case 'any':
      return 'any character';
    default:
      return 'a character';
  }
}
