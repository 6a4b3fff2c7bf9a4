// Numeric values of formula expressions over the selected rows: columns, arithmetic, log/exp/sqrt/…, I() and R's scale().

import { InputError } from '../core/errors.js';
import type { ArithNode, CallNode, FunctionName } from './ast.js';
import { deparseArith } from './print.js';
import { getColumn, type DataTable } from './table.js';
import { exp, log, log1p, pow } from '../core/libm/index.js';

/** Centre and scale of one `scale(...)` call, as R computes them: the mean and the sd (n − 1 denominator). */
export interface ScaleParameters {
  readonly center: number;
  readonly scale: number;
}

/** What evaluation needs: the data, the rows, which columns are categorical, and `scale()` parameters. */
export interface EvaluationContext {
  readonly table: DataTable;
  readonly rows: Int32Array;
  /** Columns that are categorical (strings, or numbers declared categorical): not usable in arithmetic. */
  readonly categorical: ReadonlySet<string>;
  /** `scale()` parameters by the call's R text: read if present (new data), else computed and stored. */
  readonly scales: Map<string, ScaleParameters>;
}

/** Elementwise functions by name (R's semantics: `log` of a negative number is NaN, caught by the caller). */
const ELEMENTWISE: Partial<Record<FunctionName, (x: number) => number>> = {
  // nutmeg's own exp/log (core/libm): the same bits in every engine, so a formula gives the same model everywhere.
  log,
  log2: Math.log2,
  log10: Math.log10,
  log1p,
  exp,
  sqrt: Math.sqrt,
  abs: Math.abs,
  I: (x) => x,
};

const BINARY: Record<'+' | '-' | '*' | '/' | '^', (a: number, b: number) => number> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
  '^': pow,
};

/** A numeric column at the selected rows, or an InputError for text or a categorical column. */
function numericColumn(name: string, ctx: EvaluationContext): Float64Array {
  const column = getColumn(ctx.table, name);
  if (ctx.categorical.has(name)) throw new InputError(`column ${JSON.stringify(name)} is categorical and cannot be used in arithmetic or a function`);
  return Float64Array.from(ctx.rows, (r) => {
    const v = column[r];
    if (typeof v !== 'number') throw new InputError(`column ${JSON.stringify(name)} holds text (${JSON.stringify(String(v).slice(0, 40))} at data row ${r + 1}) where numbers are needed`);
    return v;
  });
}

/** Mean and sd (n − 1) of the values, as R's `scale()`. */
function scaleParameters(values: Float64Array, text: string): ScaleParameters {
  const n = values.length;
  let mean = 0;
  for (const v of values) mean += v;
  mean /= n;
  let ss = 0;
  for (const v of values) ss += (v - mean) ** 2;
  const sd = Math.sqrt(ss / (n - 1));
  if (!(sd > 0) || !Number.isFinite(sd)) throw new InputError(`${text}: the values have no spread (sd ${sd}), so they cannot be scaled`);
  return { center: mean, scale: sd };
}

function evaluateCall(node: CallNode, ctx: EvaluationContext): Float64Array {
  const arg = evaluateNumeric(node.args[0], ctx);
  if (node.fn === 'scale') {
    const text = deparseArith(node);
    let p = ctx.scales.get(text);
    if (p === undefined) ctx.scales.set(text, (p = scaleParameters(arg, text)));
    const { center, scale } = p;
    return arg.map((v) => (v - center) / scale);
  }
  const f = ELEMENTWISE[node.fn];
  if (f === undefined) throw new InputError(`${node.fn}() may only appear at the top level of the formula`);
  return arg.map(f);
}

/**
 * The values of a numeric expression at the selected rows (may contain NaN or ±Inf, e.g. `log(0)`:
 * the caller names the row).
 *
 * @param node - a value expression (`x`, `log(x)`, `I(x^2)`, `scale(x)`, a number)
 * @param ctx - data, rows, categorical columns and `scale()` parameters
 * @returns one value per selected row
 * @throws InputError for unknown columns, text in a numeric column, a categorical column in arithmetic
 *
 * @example
 * ```ts
 * const x = { kind: 'name', name: 'x', quoted: false, span: { start: 0, end: 1 } } as const;
 * const ctx = { table: { x: [1, 2, 3] }, rows: Int32Array.of(0, 1, 2), categorical: new Set<string>(), scales: new Map() };
 * evaluateNumeric({ kind: 'call', fn: 'scale', args: [x], span: x.span }, ctx); // [-1, 0, 1]
 * ```
 */
export function evaluateNumeric(node: ArithNode, ctx: EvaluationContext): Float64Array {
  switch (node.kind) {
    case 'name':
      return numericColumn(node.name, ctx);
    case 'number':
      return new Float64Array(ctx.rows.length).fill(node.value);
    case 'paren':
      return evaluateNumeric(node.inner, ctx);
    case 'unary': {
      const v = evaluateNumeric(node.operand, ctx);
      return node.op === '-' ? v.map((x) => -x) : v;
    }
    case 'binary': {
      const a = evaluateNumeric(node.left, ctx);
      const b = evaluateNumeric(node.right, ctx);
      const f = BINARY[node.op];
      return a.map((x, i) => f(x, b[i]));
    }
    case 'call':
      return evaluateCall(node, ctx);
  }
}

/**
 * Every column name an expression reads.
 *
 * @param node - a value expression
 * @returns the names, possibly repeated
 */
export function columnsOf(node: ArithNode): string[] {
  switch (node.kind) {
    case 'name':
      return [node.name];
    case 'number':
      return [];
    case 'paren':
      return columnsOf(node.inner);
    case 'unary':
      return columnsOf(node.operand);
    case 'binary':
      return [...columnsOf(node.left), ...columnsOf(node.right)];
    case 'call':
      return node.args.flatMap(columnsOf);
  }
}
