// The scalar ops of the IR: JS emission, numeric evaluation and gradient rules, registered as data.
import { digamma, expit, lgamma, log1pexp, trigamma } from '../math/special.js';
import { IrBuilder, SCALAR_OP_EVAL, type SNode } from './scalarIr.js';
import { exp, log, log1p, expm1, pow, sin, cos, tanh, cosh, LIBM_IO, expIO, logIO, log1pIO } from '../core/libm/index.js';
import { LIBM_INLINE_SCOPE, inlineExp, inlineExpit, inlineLog1p, inlineLog1pexp, type FreshName } from '../core/libm/inline.js';

/**
 * One scalar op. `emit` returns a JS expression from the argument expressions; `grad` returns, for
 * each argument, the adjoint contribution `g · ∂out/∂arg` as IR (or null when there is none).
 */
export interface ScalarOp {
  readonly arity: number;
  readonly emit: (...args: string[]) => string;
  readonly eval: (...xs: number[]) => number;
  readonly grad: (b: IrBuilder, out: SNode, g: SNode) => (SNode | null)[];
  /**
   * Statements that set the declared variable `out` to the op of `a` (a name or literal), written
   * into the fused loop in place of a call (core/libm/inline.ts: the same bits as `eval`).
   */
  readonly inline?: (out: string, a: string, fresh: FreshName) => string;
}

/**
 * Functions that generated code calls by name (passed in as closure constants). The elementary
 * functions are nutmeg's own (core/libm), not `Math`'s: engines' `Math.exp`, `Math.log`, … differ in
 * the last bit, and a seed must give the same draws in Node and in every browser.
 */
export const SCALAR_FUNCTIONS = { lgamma, digamma, trigamma, log1pexp, expit, exp, log, log1p, expm1, pow, sin, cos, tanh, cosh, libmIO: LIBM_IO, expIO, logIO, log1pIO, ...LIBM_INLINE_SCOPE } as const;

/** A call of exp, log or log1p through `libmIO` (core/libm/index.ts): no boxed double, inlined or not. */
const viaIO = (fn: 'expIO' | 'logIO' | 'log1pIO', a: string): string => `(libmIO[0] = ${a}, ${fn}(), libmIO[0])`;

const A = (n: SNode, k: number): SNode => n.args[k];

/** The op table. Add an op here and every fused loop can use and differentiate it. */
export const SCALAR_OPS: Record<string, ScalarOp> = {
  add: { arity: 2, emit: (a, b) => `(${a} + ${b})`, eval: (a, b) => a + b, grad: (_b, _o, g) => [g, g] },
  sub: { arity: 2, emit: (a, b) => `(${a} - ${b})`, eval: (a, b) => a - b, grad: (b, _o, g) => [g, b.neg(g)] },
  mul: {
    arity: 2,
    emit: (a, b) => `(${a} * ${b})`,
    eval: (a, b) => a * b,
    grad: (b, o, g) => [b.mul(g, A(o, 1)), b.mul(g, A(o, 0))],
  },
  div: {
    arity: 2,
    emit: (a, b) => `(${a} / ${b})`,
    eval: (a, b) => a / b,
    grad: (b, o, g) => [b.div(g, A(o, 1)), b.neg(b.div(b.mul(g, o), A(o, 1)))],
  },
  neg: { arity: 1, emit: (a) => `(-${a})`, eval: (a) => -a, grad: (b, _o, g) => [b.neg(g)] },
  recip: { arity: 1, emit: (a) => `(1 / ${a})`, eval: (a) => 1 / a, grad: (b, o, g) => [b.neg(b.mul(g, b.square(o)))] },
  square: { arity: 1, emit: (a) => `(${a} * ${a})`, eval: (a) => a * a, grad: (b, o, g) => [b.mul(b.c(2), b.mul(g, A(o, 0)))] },
  exp: { arity: 1, emit: (a) => viaIO('expIO', a), eval: exp, grad: (b, o, g) => [b.mul(g, o)], inline: inlineExp },
  log: { arity: 1, emit: (a) => viaIO('logIO', a), eval: log, grad: (b, o, g) => [b.div(g, A(o, 0))] },
  log1p: { arity: 1, emit: (a) => viaIO('log1pIO', a), eval: log1p, grad: (b, o, g) => [b.div(g, b.add(b.c(1), A(o, 0)))], inline: inlineLog1p },
  expm1: { arity: 1, emit: (a) => `expm1(${a})`, eval: expm1, grad: (b, o, g) => [b.mul(g, b.add(o, b.c(1)))] },
  sqrt: { arity: 1, emit: (a) => `Math.sqrt(${a})`, eval: Math.sqrt, grad: (b, o, g) => [b.div(b.mul(b.c(0.5), g), o)] },
  pow: {
    arity: 2,
    emit: (a, b) => `pow(${a}, ${b})`,
    eval: pow,
    grad: (b, o, g) => {
      const x = A(o, 0);
      const y = A(o, 1);
      const dx = y.op === 'const' ? b.mul(b.mul(g, y), b.op('pow', x, b.c((y.value as number) - 1))) : b.mul(b.mul(g, y), b.op('pow', x, b.sub(y, b.c(1))));
      const dy = y.param ? b.mul(b.mul(g, o), b.log(x)) : null;
      return [dx, dy];
    },
  },
  abs: { arity: 1, emit: (a) => `Math.abs(${a})`, eval: Math.abs, grad: (b, o, g) => [b.mul(g, b.op('sign', A(o, 0)))] },
  sign: { arity: 1, emit: (a) => `Math.sign(${a})`, eval: Math.sign, grad: () => [null] },
  lgamma: { arity: 1, emit: (a) => `lgamma(${a})`, eval: lgamma, grad: (b, o, g) => [b.mul(g, b.op('digamma', A(o, 0)))] },
  digamma: { arity: 1, emit: (a) => `digamma(${a})`, eval: digamma, grad: (b, o, g) => [b.mul(g, b.op('trigamma', A(o, 0)))] },
  trigamma: { arity: 1, emit: (a) => `trigamma(${a})`, eval: trigamma, grad: () => [null] },
  /** softplus: log(1 + e^x), stable in both tails. */
  log1pexp: { arity: 1, emit: (a) => `log1pexp(${a})`, eval: log1pexp, grad: (b, o, g) => [b.mul(g, b.op('logistic', A(o, 0)))], inline: inlineLog1pexp },
  /** The logistic function (inverse logit), 1 / (1 + e^-x). */
  logistic: {
    arity: 1,
    emit: (a) => `expit(${a})`,
    eval: expit,
    grad: (b, o, g) => [b.mul(g, b.mul(o, b.sub(b.c(1), o)))],
    inline: inlineExpit,
  },
  tanh: { arity: 1, emit: (a) => `tanh(${a})`, eval: tanh, grad: (b, o, g) => [b.mul(g, b.sub(b.c(1), b.square(o)))] },
  sin: { arity: 1, emit: (a) => `sin(${a})`, eval: sin, grad: (b, o, g) => [b.mul(g, b.op('cos', A(o, 0)))] },
  cos: { arity: 1, emit: (a) => `cos(${a})`, eval: cos, grad: (b, o, g) => [b.neg(b.mul(g, b.op('sin', A(o, 0))))] },
};

for (const [name, op] of Object.entries(SCALAR_OPS)) SCALAR_OP_EVAL[name] = op.eval;
