// The generated programs of a model: log density with gradient, log density, log density per variable, constrained outputs.
import { sizeOf, type TermSpec } from '../graph/graph.js';
import type { CompileContext, Mode } from './context.js';
import { backwardStage, forwardStage, termStage } from './fuse.js';
import { gaussianLinearTerms } from './gaussianLinear.js';
import { backwardGroups, fusedForwards, groupTerms, plan } from './plan.js';
import { wasmPrograms, type ProgramPiece } from './wasmLoops.js';

/** The compiled functions of one model (raw: NaN and +Infinity are not yet mapped to -Infinity). */
export interface Programs {
  /** Log density at `th`; its gradient is written to `g`. */
  readonly logDensityGrad: (th: Float64Array, g: Float64Array) => number;
  readonly logDensity: (th: Float64Array) => number;
  /** Writes each variable's log density term to `out` (in order of first appearance in the terms). */
  readonly byVariable: (th: Float64Array, out: Float64Array) => number;
  /** Leaves every output node's values in its buffer `v{id}` (parameters stay in `th`). */
  readonly outputs: (th: Float64Array) => number;
}

/**
 * Zeroes a buffer in generated code: a loop for short buffers (TypedArray.prototype.fill has a
 * fixed cost of tens of ns, more than the whole gradient of a small model), `fill` for long ones.
 */
const zeroBuffer = (name: string): string => `if (${name}.length < 64) { for (let i = 0; i < ${name}.length; i++) ${name}[i] = 0; } else ${name}.fill(0);`;

/**
 * The body of one generated program: zeroed adjoints, forward stages, term loops (with fused
 * forward stages), backward stages in reverse order.
 *
 * @param termList - the terms summed into the log density
 * @param outputs - nodes whose values must be left in buffers
 */
function programBody(ctx: CompileContext, mode: Mode, termList: readonly TermSpec[], outputs: readonly number[]): string {
  return [...piecesJs(programPieces(ctx, mode, termList, outputs)), 'return lp;'].join('\n');
}

/** The JS of pieces (loops in JS). */
const piecesJs = (pieces: readonly ProgramPiece[]): string[] => pieces.map((p) => (typeof p === 'string' ? p : 'zero' in p ? zeroBuffer(p.zero) : p.js));

/** The pieces of {@link programBody} (without its `return lp;`): JS, zeroed buffers, and loops with what WebAssembly needs. */
function programPieces(ctx: CompileContext, mode: Mode, termListIn: readonly TermSpec[], outputs: readonly number[]): ProgramPiece[] {
  const gradient = mode === 'grad';
  // The log density and its gradient run Gaussian-linear likelihoods from per-group statistics
  // (gaussianLinear.ts), after every term loop (their inputs are complete then) and before the backward stages.
  const rewritten = mode === 'grad' || mode === 'value' ? [...gaussianLinearTerms(ctx).values()].filter((r) => termListIn.includes(r.term)) : [];
  const termList = rewritten.length === 0 ? termListIn : termListIn.filter((t) => !rewritten.some((r) => r.term === t));
  const { materialized } = plan(ctx, termList, [...outputs, ...rewritten.flatMap((r) => r.inputs)], false);
  const order = [...materialized].sort((x, y) => x - y);
  const code: ProgramPiece[] = [];
  if (gradient) {
    code.push({ zero: 'g' });
    for (const id of order) code.push({ zero: ctx.env.buffer(`a${id}`, sizeOf(ctx.nodes[id].shape)) });
  }
  code.push('let lp = 0;');
  const groups = groupTerms(ctx, termList);
  // Fused forward stages only where a failed check returns at once (byVariable goes on to the
  // next term, which could then read a half-written buffer).
  const fused = mode === 'grad' || mode === 'value' ? fusedForwards(ctx, order, groups, materialized) : new Map<number, number[]>();
  const fusedIds = new Set([...fused.values()].flat());
  for (const id of order) if (!fusedIds.has(id)) code.push(forwardStage(ctx, id, materialized, mode));
  if (mode === 'byVariable') {
    const names = [...new Set(termList.map((t) => t.variable))];
    groups.forEach((group, k) => {
      const slot = names.indexOf(group[0].variable);
      code.push(`term${k}: ${termStage(ctx, group, materialized, mode, `out[${slot}]`, `out[${slot}] = -Infinity; break term${k};`).js}`);
    });
  } else {
    groups.forEach((group, k) => code.push(termStage(ctx, group, materialized, mode, 'lp', 'return -Infinity;', fused.get(k))));
    for (const r of rewritten) code.push(r.emit(materialized, gradient, 'lp', 'return -Infinity;'));
  }
  if (gradient) for (const ids of backwardGroups(ctx, order, materialized)) code.push(backwardStage(ctx, ids, materialized));
  return code;
}

/**
 * The log density programs, with and without the gradient: their loops in WebAssembly where
 * wasmLoops.ts supports them (unless the compilation's `wasm` option is false), otherwise in JS.
 */
function compileLogDensities(ctx: CompileContext): Pick<Programs, 'logDensityGrad' | 'logDensity'> {
  const { env, spec } = ctx;
  const grad = programPieces(ctx, 'grad', spec.terms, []);
  const value = programPieces(ctx, 'value', spec.terms, []);
  const [wasmGrad, wasmValue] = ctx.wasm
    ? wasmPrograms(
        env,
        [
          { pieces: grad, gradient: true },
          { pieces: value, gradient: false },
        ],
        spec.dim,
        zeroBuffer,
      )
    : [null, null];
  const build = <T>(pieces: ProgramPiece[], params: string[], wasm: typeof wasmGrad): T =>
    wasm ? env.compile<T>([...wasm.params], [wasm.prologue, ...wasm.blocks, wasm.epilogue, 'return lp;'].join('\n')) : env.compile<T>(params, [...piecesJs(pieces), 'return lp;'].join('\n'));
  return { logDensityGrad: build(grad, ['th', 'g'], wasmGrad), logDensity: build(value, ['th'], wasmValue) };
}

/**
 * Generates and compiles the four programs of a model (after folding and the data checks).
 *
 * @param outputNodes - the nodes of the free variables and deterministics, in result order
 */
export function compilePrograms(ctx: CompileContext, outputNodes: readonly number[]): Programs {
  const { env, spec } = ctx;
  const { logDensityGrad, logDensity } = compileLogDensities(ctx);
  const byVariable = env.compile<Programs['byVariable']>(['th', 'out'], zeroBuffer('out') + '\n' + programBody(ctx, 'byVariable', spec.terms, []));
  const outputs = env.compile<Programs['outputs']>(['th'], programBody(ctx, 'outputs', [], outputNodes));
  return { logDensityGrad, logDensity, byVariable, outputs };
}
