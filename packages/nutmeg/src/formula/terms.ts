// Term expansion: a formula's syntax tree → R's terms (`*`, `/`, `^` expanded, R's order) and lme4/brms group-level terms.

import { InputError } from '../core/errors.js';
import type { ArithNode, CallNode, FormulaNode, GroupTerm, NameNode, Span, TermNode } from './ast.js';
import { deparseArith, deparseName } from './print.js';

/** A variable of the formula: a column or a call of columns, named by its R text (`x`, `log(x)`, `I(x^2)`). */
export interface FormulaVariable {
  /** R's text of the variable: its term label and the stem of its design-column names. */
  readonly label: string;
  readonly value: NameNode | CallNode;
}

/** One term: an interaction of variables (a main effect has one), labelled as R labels it (`a`, `a:b`). */
export interface FormulaTerm {
  /** R's term label: the variables' labels in formula order, joined by `:`. */
  readonly label: string;
  /** The variables' labels, in the order of their first appearance in the formula. */
  readonly variables: readonly string[];
}

/** The terms of a (sub)formula: intercept flag and the terms in R's order (by order, then appearance). */
export interface TermList {
  readonly intercept: boolean;
  readonly terms: readonly FormulaTerm[];
}

/** One grouping factor's term, after `/` expansion: `(1 + x | g)`, `(1 | g1:g2)`. */
export interface GroupLevelTerm extends TermList {
  /** The grouping factor as brms names it: `g`, or `g1:g2` for an interaction/nesting of factors. */
  readonly group: string;
  /** The columns whose combination defines the groups (`['g1', 'g2']` for `g1:g2`). */
  readonly groupColumns: readonly string[];
  /** `|` (correlated effects) or `||` (uncorrelated). */
  readonly correlated: boolean;
  readonly span: Span;
}

/** The response and its brms addition terms. */
export interface ResponseSpec {
  readonly label: string;
  readonly value: NameNode | CallNode;
  /** `trials(n)`'s argument (a column or a number), for binomial responses. */
  readonly trials: ArithNode | null;
}

/** A formula expanded into terms: what a design matrix and a model are built from. */
export interface ExpandedFormula {
  readonly response: ResponseSpec | null;
  /** Population-level ("fixed") terms. */
  readonly population: TermList;
  /** `offset(...)` expressions, added to the linear predictor. */
  readonly offsets: readonly ArithNode[];
  /** Group-level ("random") terms, in formula order, `/` expanded. */
  readonly groupTerms: readonly GroupLevelTerm[];
  /** Every predictor variable by label (population and group level). */
  readonly variables: ReadonlyMap<string, FormulaVariable>;
}

/** Working state while walking a right-hand side: terms as sets of variable ids. */
interface Walk {
  intercept: boolean | null;
  terms: number[][];
}

/** Collects variables (by label, in order of appearance), offsets and group terms across the walk. */
class Collector {
  readonly variables: FormulaVariable[] = [];
  readonly offsets: ArithNode[] = [];
  readonly groups: GroupTerm[] = [];

  idOf(value: NameNode | CallNode): number {
    const label = deparseArith(value);
    const found = this.variables.findIndex((v) => v.label === label);
    if (found >= 0) return found;
    this.variables.push({ label, value });
    return this.variables.length - 1;
  }
}

/** A term (sorted variable ids) as a key for de-duplication. */
const keyOf = (term: readonly number[]): string => term.join(',');

/** The union of two terms (sorted ids: a:a is a). */
function unite(a: readonly number[], b: readonly number[]): number[] {
  return [...new Set([...a, ...b])].sort((x, y) => x - y);
}

/** Terms of `a` then those of `b` not already in `a`. */
function union(a: readonly number[][], b: readonly number[][]): number[][] {
  const seen = new Set(a.map(keyOf));
  return [...a, ...b.filter((t) => !seen.has(keyOf(t)) && seen.add(keyOf(t)))];
}

/** Every pairwise union of a term of `a` with a term of `b`, de-duplicated. */
function interact(a: readonly number[][], b: readonly number[][]): number[][] {
  return union([], a.flatMap((ta) => b.map((tb) => unite(ta, tb))));
}

function fail(message: string, span: Span): never {
  throw new InputError(`${message} (at characters ${span.start + 1}–${span.end})`);
}

/** Walks a right-hand-side node into terms; `top` is true where group terms and offsets may appear. */
function walk(node: TermNode, c: Collector, top: boolean): Walk {
  switch (node.kind) {
    case 'variable':
      return { intercept: null, terms: [[c.idOf(node.value)]] };
    case 'intercept':
      return { intercept: node.present, terms: [] };
    case 'paren':
      return walk(node.inner, c, top);
    case 'offset':
      if (!top) fail('offset() must be added to the formula, not interacted', node.span);
      c.offsets.push(node.value);
      return { intercept: null, terms: [] };
    case 'group':
      if (!top) fail('a group-level term must be added to the formula, not interacted', node.span);
      c.groups.push(node);
      return { intercept: null, terms: [] };
    case 'add': {
      const left = walk(node.left, c, top);
      const right = walk(node.right, c, top);
      return { intercept: right.intercept ?? left.intercept, terms: union(left.terms, right.terms) };
    }
    case 'remove':
      return remove(node.left === null ? { intercept: null, terms: [] } : walk(node.left, c, top), walk(node.right, c, false));
    default:
      return walkProduct(node, c);
  }
}

/** `a - b`: b's terms removed; `- 1` removes the intercept, `- 0` restores it (as in R). */
function remove(left: Walk, right: Walk): Walk {
  const gone = new Set(right.terms.map(keyOf));
  const intercept = right.intercept === null ? left.intercept : !right.intercept;
  return { intercept, terms: left.terms.filter((t) => !gone.has(keyOf(t))) };
}

/** `a:b`, `a*b`, `a/b`, `(…)^n`: R's expansions (intercepts inside them are ignored, as in R). */
function walkProduct(node: Extract<TermNode, { kind: 'cross' | 'nest' | 'interaction' | 'power' }>, c: Collector): Walk {
  if (node.kind === 'power') {
    const base = walk(node.base, c, false).terms;
    let terms = base;
    for (let k = 1; k < node.exponent; k++) terms = union(terms, interact(terms, base));
    return { intercept: null, terms };
  }
  const left = walk(node.left, c, false).terms;
  const right = walk(node.right, c, false).terms;
  if (node.kind === 'interaction') return { intercept: null, terms: interact(left, right) };
  if (node.kind === 'cross') return { intercept: null, terms: union(union(left, right), interact(left, right)) };
  // a/b = a + (all of a's variables):b
  const all = left.reduce((acc, t) => unite(acc, t), [] as number[]);
  return { intercept: null, terms: union(left, interact([all], right)) };
}

/** R's order: by the number of variables, stably; labels list variables in order of first appearance. */
function toTermList(w: Walk, c: Collector, defaultIntercept: boolean): TermList {
  const sorted = [...w.terms].filter((t) => t.length > 0).sort((a, b) => a.length - b.length);
  const terms = sorted.map((t) => {
    const variables = t.map((id) => c.variables[id].label);
    return { label: variables.join(':'), variables };
  });
  return { intercept: w.intercept ?? defaultIntercept, terms };
}

/** `(terms | g1/g2)` → one group-level term per nesting level: g1, g1:g2. */
function expandGroup(node: GroupTerm, c: Collector): GroupLevelTerm[] {
  const list = toTermList(walk(node.terms, c, false), c, true);
  const out: GroupLevelTerm[] = [];
  const columns: string[] = [];
  for (const part of node.group.nesting) {
    columns.push(...part.map((n) => n.name));
    const group = [...columns].map(deparseName).join(':');
    out.push({ ...list, group, groupColumns: [...columns], correlated: node.correlated, span: node.span });
  }
  return out;
}

/**
 * Expands a parsed formula into R's terms: `a*b` → `a + b + a:b`, `a/b` → `a + a:b`, `(a+b)^2`,
 * removals (`- a`, `- 1`), intercept (`0 +`, `1 +`, default present), terms sorted by order as R's
 * `terms()` does (main effects, then two-way interactions, …; formula order within an order). Group
 * terms `(lhs | g1/g2)` become `(lhs | g1) + (lhs | g1:g2)`; `||` marks them uncorrelated.
 *
 * @param formula - a tree from {@link parseFormula}
 * @returns the response, population-level terms, offsets, group-level terms and variables
 * @throws InputError for a group term or offset inside an interaction
 *
 * @example
 * ```ts
 * const y = { kind: 'name', name: 'y', quoted: false, span: { start: 0, end: 1 } } as const;
 * const x = { kind: 'variable', value: { ...y, name: 'x' }, span: y.span } as const;
 * const expanded = expandFormula({ kind: 'formula', response: null, rhs: x, span: y.span });
 * expanded.population.terms.map((t) => t.label); // ['x']
 * ```
 */
export function expandFormula(formula: FormulaNode): ExpandedFormula {
  const c = new Collector();
  if (formula.response !== null) c.idOf(formula.response.value);
  const population = toTermList(walk(formula.rhs, c, true), c, true);
  const groupTerms = c.groups.flatMap((g) => expandGroup(g, c));
  const responseLabel = formula.response === null ? null : deparseArith(formula.response.value);
  const variables = new Map(c.variables.filter((v) => v.label !== responseLabel).map((v) => [v.label, v]));
  const response = formula.response === null ? null : {
    label: responseLabel!,
    value: formula.response.value,
    trials: formula.response.additions.find((a) => a.fn === 'trials')?.arg ?? null,
  };
  return { response, population, offsets: c.offsets, groupTerms, variables };
}
