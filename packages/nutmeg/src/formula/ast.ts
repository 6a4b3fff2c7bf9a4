// The syntax tree of a parsed model formula (what formula.peggy builds): every node carries its source span.

/** Half-open character range `[start, end)` of a node in the formula text (UTF-16 offsets). */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** A column name; `quoted` when it was written in backquotes (`` `my var` ``). */
export interface NameNode {
  readonly kind: 'name';
  readonly name: string;
  readonly quoted: boolean;
  readonly span: Span;
}

/** A numeric literal inside a call (`x^2`, `log(x + 1)`). */
export interface NumberNode {
  readonly kind: 'number';
  readonly value: number;
  readonly span: Span;
}

/** The functions a formula may call; `offset` only at the top level of the right-hand side. */
export type FunctionName = 'log' | 'log2' | 'log10' | 'log1p' | 'exp' | 'sqrt' | 'abs' | 'scale' | 'I' | 'offset';

/** A call such as `log(x)`, `scale(x)`, `I(x^2)`: exactly one argument. */
export interface CallNode {
  readonly kind: 'call';
  readonly fn: FunctionName;
  readonly args: readonly ArithNode[];
  readonly span: Span;
}

/** Arithmetic inside a call: `+ - * / ^` as in R (so `-x^2` is `-(x^2)`). */
export interface BinaryNode {
  readonly kind: 'binary';
  readonly op: '+' | '-' | '*' | '/' | '^';
  readonly left: ArithNode;
  readonly right: ArithNode;
  readonly span: Span;
}

/** Unary sign inside a call. */
export interface UnaryNode {
  readonly kind: 'unary';
  readonly op: '+' | '-';
  readonly operand: ArithNode;
  readonly span: Span;
}

/** Parentheses inside a call, kept because R keeps them in column names (`I((x+1)^2)`). */
export interface ArithParenNode {
  readonly kind: 'paren';
  readonly inner: ArithNode;
  readonly span: Span;
}

/** A value expression: what calls take and what a response or predictor variable is. */
export type ArithNode = NameNode | NumberNode | CallNode | BinaryNode | UnaryNode | ArithParenNode;

/** A predictor: a column or a call of one (`x`, `log(x)`, `I(x^2)`). */
export interface VariableTerm {
  readonly kind: 'variable';
  readonly value: NameNode | CallNode;
  readonly span: Span;
}

/** `0` (no intercept) or `1` (intercept). */
export interface InterceptTerm {
  readonly kind: 'intercept';
  readonly present: boolean;
  readonly span: Span;
}

/** `offset(expr)`: a fixed addition to the linear predictor. */
export interface OffsetTerm {
  readonly kind: 'offset';
  readonly value: ArithNode;
  readonly span: Span;
}

/** `a + b`. */
export interface AddTerm {
  readonly kind: 'add';
  readonly left: TermNode;
  readonly right: TermNode;
  readonly span: Span;
}

/** `a - b` (remove b's terms), or `- b` with `left` null (`- 1` removes the intercept). */
export interface RemoveTerm {
  readonly kind: 'remove';
  readonly left: TermNode | null;
  readonly right: TermNode;
  readonly span: Span;
}

/** `a * b` = `a + b + a:b`. */
export interface CrossTerm {
  readonly kind: 'cross';
  readonly left: TermNode;
  readonly right: TermNode;
  readonly span: Span;
}

/** `a / b` = `a + a:b` (R's nesting among population-level terms). */
export interface NestTerm {
  readonly kind: 'nest';
  readonly left: TermNode;
  readonly right: TermNode;
  readonly span: Span;
}

/** `a : b`. */
export interface InteractionTerm {
  readonly kind: 'interaction';
  readonly left: TermNode;
  readonly right: TermNode;
  readonly span: Span;
}

/** `(a + b + c)^2`: all interactions up to order `exponent`. */
export interface PowerTerm {
  readonly kind: 'power';
  readonly base: TermNode;
  readonly exponent: number;
  readonly span: Span;
}

/** Parenthesised terms `(a + b)`. */
export interface ParenTerm {
  readonly kind: 'paren';
  readonly inner: TermNode;
  readonly span: Span;
}

/** A grouping factor: `/`-separated parts, each a `:`-joined list of names (`g1:g2`, `g1/g2`). */
export interface GroupFactorNode {
  readonly nesting: readonly (readonly NameNode[])[];
  readonly span: Span;
}

/** `(terms | group)` (correlated) or `(terms || group)` (uncorrelated). */
export interface GroupTerm {
  readonly kind: 'group';
  readonly terms: TermNode;
  readonly correlated: boolean;
  readonly group: GroupFactorNode;
  readonly span: Span;
}

/** Any node of a formula's right-hand side. */
export type TermNode =
  | VariableTerm
  | InterceptTerm
  | OffsetTerm
  | AddTerm
  | RemoveTerm
  | CrossTerm
  | NestTerm
  | InteractionTerm
  | PowerTerm
  | ParenTerm
  | GroupTerm;

/** A brms addition term on the response: `trials(n)`. */
export interface AdditionNode {
  readonly kind: 'addition';
  readonly fn: 'trials';
  readonly arg: ArithNode;
  readonly span: Span;
}

/** The left-hand side: `y`, `log(y)`, `successes | trials(n)`. */
export interface ResponseNode {
  readonly kind: 'response';
  readonly value: NameNode | CallNode;
  readonly additions: readonly AdditionNode[];
  readonly span: Span;
}

/** A whole formula `response ~ rhs`; `response` is null for a one-sided `~ rhs`. */
export interface FormulaNode {
  readonly kind: 'formula';
  readonly response: ResponseNode | null;
  readonly rhs: TermNode;
  readonly span: Span;
}
