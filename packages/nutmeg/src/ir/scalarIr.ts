// The scalar IR: hash-consed per-element expressions that fused loops are generated from.
//
// A fused loop of the compiled model computes, for each element i, a small scalar expression
// DAG (the forward pass) and its reverse-mode adjoints. Both are built here as `SNode`s: every
// node knows whether it varies with the loop index (`level` 1) or is loop-invariant (`level` 0,
// hoisted out of the loop), and whether it depends on parameters at all (data-only work can be
// done once at compile time). Hash-consing gives common-subexpression elimination for free, and
// the builder folds constants and simplifies the trivial cases that reverse mode produces.

/** Where a load reads from, and where its adjoint goes. */
export interface LoadRef {
  /** JS name of the array read. */
  readonly array: string;
  /**
   * Offset added to the index: a number, or the JS name of an integer held in the environment
   * (a data-dependent offset, kept out of the generated source; see {@link IrBuilder.size}).
   */
  readonly offset: number | string;
  /** JS name of the array its adjoint is added to, or undefined for constants (data). */
  readonly adjoint?: string;
  /** Whether the loaded value depends on model parameters. */
  readonly param: boolean;
  /**
   * Where the log of the loaded value is stored, when the array holds exp of it elementwise (a
   * positive parameter's exp transform, `sigma = exp(θ)`): `log(sigma)` then reads θ, saving a
   * logarithm and its derivative (see {@link IrBuilder.op}).
   */
  readonly logOf?: LoadRef;
}

/** A node of the scalar IR. */
export interface SNode {
  readonly id: number;
  /** Operation name: 'const', 'size', 'load', 'index', 'var', or an op of `SCALAR_OPS`. */
  readonly op: string;
  readonly args: readonly SNode[];
  /** 1 when the value changes with the loop index, 0 when loop-invariant. */
  readonly level: 0 | 1;
  /** True when the value depends on model parameters. */
  readonly param: boolean;
  /** Value of a 'const'. */
  readonly value?: number;
  /** Load source ('load' only). */
  readonly ref?: LoadRef;
  /** JS code of an 'index' (an integer expression of the loop variable `i`), a 'var' or 'size' name. */
  readonly code?: string;
  /**
   * An 'index' that is `i · stride + offset` (`stride` the name of an integer in the environment):
   * a strided read, such as element j of row i of a row-major matrix (ir/wasmLoop.ts reads it so).
   */
  readonly strided?: { readonly stride: string; readonly offset: number };
}

/** Builds hash-consed scalar IR nodes with constant folding and algebraic simplification. */
export class IrBuilder {
  private readonly table = new Map<string, SNode>();
  private nextId = 0;

  private make(op: string, args: readonly SNode[], extra: Partial<SNode>, key: string): SNode {
    const found = this.table.get(key);
    if (found) return found;
    let level: 0 | 1 = extra.level ?? 0;
    let param = extra.param ?? false;
    for (const a of args) {
      if (a.level === 1) level = 1;
      if (a.param) param = true;
    }
    const node: SNode = { id: this.nextId++, op, args, ...extra, level, param };
    this.table.set(key, node);
    return node;
  }

  /** A numeric constant. */
  c(value: number): SNode {
    return this.make('const', [], { value }, `c:${Object.is(value, -0) ? '-0' : value}`);
  }

  /**
   * A data-dependent size (an element count) held in the environment under `name`: loop-invariant
   * and opaque to constant folding, so that the generated source does not depend on its value and
   * models that differ only in data sizes share their source (V8 then reuses its compiled code).
   */
  size(name: string): SNode {
    return this.make('size', [], { code: name }, `n:${name}`);
  }

  /** A load `array[offset + index]`; `index` undefined means a scalar (offset only). */
  load(ref: LoadRef, index?: SNode): SNode {
    const key = `l:${ref.array}:${ref.offset}:${index ? index.id : '-'}:${ref.adjoint ?? ''}`;
    return this.make('load', index ? [index] : [], { ref, param: ref.param, level: index ? index.level : 0 }, key);
  }

  /** An integer index expression in the loop variable `i` (level 1) or a constant one (level 0). */
  index(code: string, varying = true): SNode {
    return this.make('index', [], { code, level: varying ? 1 : 0 }, `i:${code}`);
  }

  /** The index `i · stride + offset` (`stride` names an integer in the environment): element `offset` of row i of a row-major matrix. */
  stridedIndex(stride: string, offset: number): SNode {
    const code = offset === 0 ? `i * ${stride}` : `i * ${stride} + ${offset}`;
    return this.make('index', [], { code, level: 1, strided: { stride, offset } }, `i:${code}`);
  }

  /** A named JS local (an accumulator), loop-invariant. */
  variable(name: string, param = true): SNode {
    return this.make('var', [], { code: name, param }, `v:${name}`);
  }

  /** Applies a scalar op (see SCALAR_OPS), folding constants. */
  op(name: string, ...args: SNode[]): SNode {
    const def = SCALAR_OP_EVAL[name];
    if (def && args.every((a) => a.op === 'const')) return this.c(def(...args.map((a) => a.value as number)));
    // log(1 − σ(u)) = −softplus(u): exact where 1 − σ(u) rounds to 0 (u ≳ 37), e.g. a Beta prior
    // through the logit transform.
    if (name === 'log1p' && args[0].op === 'neg' && args[0].args[0].op === 'logistic') return this.neg(this.op('log1pexp', args[0].args[0].args[0]));
    // log(exp(θ)) = θ: the log of a stored exp transform reads the parameter itself (the log of a
    // scale in a density's normaliser: −log σ of every Normal and the like). Not bit for bit the
    // log of the rounded exp, but within an ulp of it, and its derivative is exactly 1.
    if (name === 'log' && args[0].op === 'load' && args[0].ref?.logOf) return this.load(args[0].ref.logOf, args[0].args[0]);
    return this.make(name, args, {}, `${name}(${args.map((a) => a.id).join(',')})`);
  }

  add(a: SNode, b: SNode): SNode {
    if (isConst(a, 0)) return b;
    if (isConst(b, 0)) return a;
    if (b.op === 'neg') return this.sub(a, b.args[0]);
    if (a.op === 'neg') return this.sub(b, a.args[0]);
    return a.id <= b.id ? this.op('add', a, b) : this.op('add', b, a);
  }
  sub(a: SNode, b: SNode): SNode {
    if (isConst(b, 0)) return a;
    if (isConst(a, 0)) return this.neg(b);
    if (b.op === 'neg') return this.add(a, b.args[0]);
    return this.op('sub', a, b);
  }
  mul(a: SNode, b: SNode): SNode {
    if (isConst(a, 0) || isConst(b, 0)) return this.c(0);
    if (isConst(a, 1)) return b;
    if (isConst(b, 1)) return a;
    if (isConst(a, -1)) return this.neg(b);
    if (isConst(b, -1)) return this.neg(a);
    if (b.op === 'const' && a.op !== 'const') return this.mul(b, a);
    // c1 * (c2 * x) → (c1 c2) * x
    if (a.op === 'const' && b.op === 'mul' && b.args[0].op === 'const') return this.mul(this.c((a.value as number) * (b.args[0].value as number)), b.args[1]);
    if (a.op === 'const' && b.op === 'neg') return this.mul(this.c(-(a.value as number)), b.args[0]);
    if (a.op === 'neg' && b.op === 'neg') return this.mul(a.args[0], b.args[0]);
    if (a.op === 'neg') return this.neg(this.mul(a.args[0], b));
    if (b.op === 'neg') return this.neg(this.mul(a, b.args[0]));
    if (a === b) return this.square(a);
    return a.op === 'const' || a.id <= b.id ? this.op('mul', a, b) : this.op('mul', b, a);
  }
  div(a: SNode, b: SNode): SNode {
    if (isConst(b, 1)) return a;
    if (isConst(a, 0)) return this.c(0);
    if (b.op === 'const' && b.value !== 0) return this.mul(this.c(1 / (b.value as number)), a);
    // Division by a loop invariant: multiply by its (hoisted) reciprocal instead.
    if (b.level === 0 && a.level === 1) return this.mul(this.recip(b), a);
    if (isConst(a, 1)) return this.recip(b);
    return this.op('div', a, b);
  }
  neg(a: SNode): SNode {
    if (a.op === 'neg') return a.args[0];
    if (a.op === 'const') return this.c(-(a.value as number));
    return this.op('neg', a);
  }
  recip(a: SNode): SNode {
    if (a.op === 'recip') return a.args[0];
    return this.op('recip', a);
  }
  square(a: SNode): SNode {
    return this.op('square', a);
  }
  log(a: SNode): SNode {
    if (a.op === 'exp') return a.args[0];
    // log σ(u) = −softplus(−u): exact where σ(u) underflows or rounds to 1.
    if (a.op === 'logistic') return this.neg(this.op('log1pexp', this.neg(a.args[0])));
    return this.op('log', a);
  }
  exp(a: SNode): SNode {
    if (a.op === 'log') return a.args[0];
    return this.op('exp', a);
  }
  /** Sum of a list (0 for an empty list). */
  sum(xs: readonly SNode[]): SNode {
    let s = this.c(0);
    for (const x of xs) s = this.add(s, x);
    return s;
  }
}

/** Whether `a` is the constant `v`. */
export function isConst(a: SNode, v: number): boolean {
  return a.op === 'const' && a.value === v;
}

/** Numeric evaluation of the ops that may be constant-folded (filled by scalarOps.ts). */
export const SCALAR_OP_EVAL: Record<string, (...xs: number[]) => number> = {};
