// Formula syntax trees back to text: R's deparse for values (whose text names design columns) and a printer for whole formulas.

import type { ArithNode, FormulaNode, GroupFactorNode, NameNode, ResponseNode, TermNode } from './ast.js';

/** R's reserved words: a column with one of these names must be backquoted. */
const R_RESERVED = new Set(['if', 'else', 'repeat', 'while', 'function', 'for', 'next', 'break', 'TRUE', 'FALSE', 'NULL', 'Inf', 'NaN', 'NA', 'NA_integer_', 'NA_real_', 'NA_character_', 'in']);

/** R's syntactic names: a letter, or a dot not followed by a digit, then letters, digits, dots and underscores. */
const R_SYNTACTIC = /^(?:[A-Za-z]|\.(?![0-9]))[A-Za-z0-9._]*$/;

/**
 * A column name as R's deparse writes it: as is when syntactic, else in backquotes (with `` ` `` and
 * `\` escaped by a backslash, which is also how the formula grammar reads them back).
 *
 * @param name - the column name
 * @returns `x`, or `` `my var` ``
 *
 * @example
 * ```ts
 * deparseName('log_radon'); // 'log_radon'
 * deparseName('my var'); // '`my var`'
 * ```
 */
export function deparseName(name: string): string {
  if (R_SYNTACTIC.test(name) && !R_RESERVED.has(name)) return name;
  return '`' + name.replace(/[\\`]/g, (c) => '\\' + c) + '`';
}

/**
 * A number as R prints it with 15 significant digits: fixed notation unless scientific is shorter
 * (`100000` → `1e+05`, `0.0001` → `1e-04`, `0.001` → `0.001`), as in R's deparse and `as.character`.
 *
 * @param value - a finite number
 * @returns R's text for it
 *
 * @example
 * ```ts
 * formatRNumber(1e5); // '1e+05'
 * formatRNumber(2.5); // '2.5'
 * ```
 */
export function formatRNumber(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Inf' : '-Inf';
  if (value === 0) return '0';
  const precise = Number(value.toPrecision(15));
  const fixed = String(precise).includes('e') ? precise.toFixed(20).replace(/\.?0+$/, '') : String(precise);
  const [mantissa, exponent] = precise.toExponential().split('e');
  const sign = exponent.startsWith('-') ? '-' : '+';
  const digits = exponent.replace(/^[+-]/, '').padStart(2, '0');
  const scientific = `${mantissa}e${sign}${digits}`;
  return fixed.length <= scientific.length ? fixed : scientific;
}

/** Binding strength of arithmetic operators (higher binds tighter). */
const ARITH_PRECEDENCE = { '+': 1, '-': 1, '*': 2, '/': 2, unary: 3, '^': 4, atom: 5 } as const;

function arithPrecedence(node: ArithNode): number {
  if (node.kind === 'binary') return ARITH_PRECEDENCE[node.op];
  if (node.kind === 'unary') return ARITH_PRECEDENCE.unary;
  return ARITH_PRECEDENCE.atom;
}

/** Text of `node`, in parentheses if it binds looser than `min`. */
function arithOperand(node: ArithNode, min: number): string {
  const text = deparseArith(node);
  return arithPrecedence(node) < min ? `(${text})` : text;
}

/**
 * A value expression as R's deparse writes it: spaces around `+`, `-`, `*`, none around `/` and `^`,
 * parentheses as written, names backquoted when not syntactic. These texts are R's term labels and
 * model-matrix column names (before brms's renaming).
 *
 * @param node - a value expression from the syntax tree
 * @returns its R text, e.g. `I(x^2)`, `log(x + 1)`
 *
 * @example
 * ```ts
 * const x = { kind: 'name', name: 'x', quoted: false, span: { start: 0, end: 1 } } as const;
 * deparseArith({ kind: 'call', fn: 'log', args: [x], span: { start: 0, end: 6 } }); // 'log(x)'
 * ```
 */
export function deparseArith(node: ArithNode): string {
  switch (node.kind) {
    case 'name':
      return deparseName(node.name);
    case 'number':
      return formatRNumber(node.value);
    case 'call':
      return `${node.fn}(${node.args.map(deparseArith).join(', ')})`;
    case 'paren':
      return `(${deparseArith(node.inner)})`;
    case 'unary':
      return `${node.op}${arithOperand(node.operand, ARITH_PRECEDENCE.unary)}`;
    case 'binary': {
      const p = ARITH_PRECEDENCE[node.op];
      // `^` is right-associative; the others left-associative.
      const left = arithOperand(node.left, node.op === '^' ? p + 1 : p);
      const right = arithOperand(node.right, node.op === '^' ? ARITH_PRECEDENCE.unary : p + 1);
      const spaced = node.op === '+' || node.op === '-' || node.op === '*';
      return spaced ? `${left} ${node.op} ${right}` : `${left}${node.op}${right}`;
    }
  }
}

/** Binding strength of the formula operators on terms. */
const TERM_PRECEDENCE = { add: 1, remove: 1, cross: 2, nest: 2, interaction: 3, power: 4, atom: 5 } as const;

function termPrecedence(node: TermNode): number {
  return node.kind in TERM_PRECEDENCE ? TERM_PRECEDENCE[node.kind as keyof typeof TERM_PRECEDENCE] : TERM_PRECEDENCE.atom;
}

/** Text of a term operand, in parentheses if it binds looser than `min` (a leading `- x` always). */
function termOperand(node: TermNode, min: number): string {
  const text = printTerms(node);
  const unaryRemove = node.kind === 'remove' && node.left === null;
  return termPrecedence(node) < min || (unaryRemove && min > TERM_PRECEDENCE.add) ? `(${text})` : text;
}

const BINARY_TERM_SYMBOL = { add: '+', remove: '-', cross: '*', nest: '/', interaction: ':' } as const;

/**
 * The right-hand side of a formula as text, parenthesised where the tree needs it.
 *
 * @param node - a right-hand-side node
 * @returns formula text such as `a * b + (1 | g)`
 */
export function printTerms(node: TermNode): string {
  switch (node.kind) {
    case 'variable':
      return deparseArith(node.value);
    case 'intercept':
      return node.present ? '1' : '0';
    case 'offset':
      return `offset(${deparseArith(node.value)})`;
    case 'paren':
      return `(${printTerms(node.inner)})`;
    case 'power':
      return `${termOperand(node.base, TERM_PRECEDENCE.atom)}^${node.exponent}`;
    case 'group':
      return `(${printTerms(node.terms)} ${node.correlated ? '|' : '||'} ${printGroupFactor(node.group)})`;
    case 'remove':
      if (node.left === null) return `-${termOperand(node.right, TERM_PRECEDENCE.cross)}`;
      return printBinaryTerm(node.kind, node.left, node.right);
    case 'add':
    case 'cross':
    case 'nest':
    case 'interaction':
      return printBinaryTerm(node.kind, node.left, node.right);
  }
}

/** `left op right`, with `:` unspaced as R writes interactions. */
function printBinaryTerm(kind: keyof typeof BINARY_TERM_SYMBOL, leftNode: TermNode, rightNode: TermNode): string {
  const p = TERM_PRECEDENCE[kind];
  const left = termOperand(leftNode, p);
  const right = termOperand(rightNode, p + 1);
  return kind === 'interaction' ? `${left}:${right}` : `${left} ${BINARY_TERM_SYMBOL[kind]} ${right}`;
}

/** `g`, `g1:g2`, `g1/g2`. */
export function printGroupFactor(group: GroupFactorNode): string {
  return group.nesting.map((part) => part.map((n: NameNode) => deparseName(n.name)).join(':')).join('/');
}

function printResponse(response: ResponseNode): string {
  const value = deparseArith(response.value);
  if (response.additions.length === 0) return value;
  return `${value} | ${response.additions.map((a) => `${a.fn}(${deparseArith(a.arg)})`).join(' + ')}`;
}

/**
 * A whole formula as text: parsing the result gives the same tree (up to spans and redundant parentheses).
 *
 * @param formula - a parsed formula
 * @returns its text, e.g. `y ~ x + (1 | g)`
 *
 * @example
 * ```ts
 * const y = { kind: 'name', name: 'y', quoted: false, span: { start: 0, end: 1 } } as const;
 * const one = { kind: 'intercept', present: true, span: { start: 4, end: 5 } } as const;
 * const response = { kind: 'response', value: y, additions: [], span: y.span } as const;
 * printFormula({ kind: 'formula', response, rhs: one, span: { start: 0, end: 5 } }); // 'y ~ 1'
 * ```
 */
export function printFormula(formula: FormulaNode): string {
  const lhs = formula.response === null ? '' : `${printResponse(formula.response)} `;
  return `${lhs}~ ${printTerms(formula.rhs)}`;
}
