// Runs the fused loops of the log density programs (with and without gradient) as generated WebAssembly: the module's memory layout, the module, and the JS around the calls.
//
// The loops that wasmLoop.ts supports become one function each of one module per compiled model.
// The module has its own memory, which holds, once per model, the data columns and buffers those
// loops read or write (the environment's arrays are replaced by views of it, so the JS programs
// read the same storage), plus θ and the gradient, copied in and out on each call of the program.
// Without WebAssembly with SIMD (an old engine, or a Content-Security-Policy without
// 'wasm-unsafe-eval'), or with the compile option `wasm: false`, the JS loops run instead.
import type { FusedLoopCode } from '../ir/fusedLoop.js';
import { buildModule, CodeWriter, SIMD, type WasmFunction } from '../ir/wasmBinary.js';
import { emitWasmLoop, wasmLoopArrays, wasmLoopUnsupported } from '../ir/wasmLoop.js';
import type { Environment } from './environment.js';

let simdProbe: boolean | undefined;

/** Whether this engine compiles WebAssembly with SIMD (probed once, with a one-function module). */
export function wasmSimdAvailable(): boolean {
  if (simdProbe !== undefined) return simdProbe;
  try {
    const code = new CodeWriter().f64(1).simd(SIMD.f64x2Splat).extractLane(0).op(0x1a).i32(0).i32(0).i32(0).memoryFill().i32(0);
    const bytes = buildModule([{ name: 'probe', params: [], results: ['i32'], locals: [], code }], 1);
    new WebAssembly.Module(bytes);
    simdProbe = true;
  } catch {
    simdProbe = false; // no WebAssembly, no SIMD, or compilation forbidden (CSP)
  }
  return simdProbe;
}

/** A piece of a generated program: JS, a buffer to zero, or a fused loop (JS, and its plan for WebAssembly). */
export type ProgramPiece = string | { readonly zero: string } | FusedLoopCode;

/** A program whose supported loops call WebAssembly. */
export interface WasmProgram {
  /** The program's pieces as JS: loops run in WebAssembly replaced by their calls. */
  readonly blocks: readonly string[];
  /** The program's parameters (θ in, and the gradient out for a gradient program), copied into and out of the module's memory. */
  readonly params: readonly string[];
  /** Statements at the start: `th` (and `g`) become the module's copies, θ is copied in, `g` and the module's adjoint buffers zeroed. */
  readonly prologue: string;
  /** Statements before `return lp`: the gradient copied out. */
  readonly epilogue: string;
  /** How many loops run in WebAssembly. */
  readonly loops: number;
}

/** Byte alignment of each array in the module's memory (a v128). */
const ALIGN = 16;

/** Copies `src` into `dst` in generated code: a loop for short vectors, `set` for long ones (see vectorArena.ts `copyVec`). */
const copy = (dst: string, src: string): string => `if (${src}.length < 24) { for (let i = 0; i < ${src}.length; i++) ${dst}[i] = ${src}[i]; } else ${dst}.set(${src});`;

/** A program to build: its pieces, and whether it computes the gradient (`g` in and out of the module's memory). */
export interface ProgramToBuild {
  readonly pieces: readonly ProgramPiece[];
  readonly gradient: boolean;
}

/** A supported loop of one program. */
type WasmLoop = FusedLoopCode & { wasm: NonNullable<FusedLoopCode['wasm']> };

/**
 * Builds the WebAssembly of the supported loops of a model's programs (one module and one memory
 * for all of them) and moves the arrays they use into the module's memory.
 *
 * @param env - the compilation's environment (its arrays are replaced by views of the module's memory)
 * @param programs - the programs: their pieces (JS, buffers to zero, fused loops with their plans)
 * @param dim - the length of θ and of the gradient
 * @param zeroJs - the JS that zeroes a buffer left outside the module
 * @returns per program, its JS around the calls, or null when it has no supported loop (or no module could be built)
 */
export function wasmPrograms(env: Environment, programs: readonly ProgramToBuild[], dim: number, zeroJs: (name: string) => string): (WasmProgram | null)[] {
  const none = programs.map(() => null);
  if (!wasmSimdAvailable()) return none;
  const isFloat = (name: string): boolean => name === 'th' || name === 'g' || env.values[name] instanceof Float64Array;
  const loops = programs.map((p) => p.pieces.filter((q): q is WasmLoop => typeof q !== 'string' && 'js' in q && q.wasm !== undefined && wasmLoopUnsupported(q.wasm.plan, isFloat) === null));
  const all = loops.flat();
  if (all.length === 0) return none;
  // The layout: θ, the gradient, the results, then every array a loop uses.
  let next = 0;
  const place = (bytes: number): number => {
    const at = next;
    next += Math.ceil(Math.max(bytes, 8) / ALIGN) * ALIGN;
    return at;
  };
  const address = new Map<string, number>([
    ['th', place(8 * dim)],
    ['g', place(8 * dim)],
  ]);
  const resultCount = Math.max(1, ...all.map((l) => l.wasm.plan.globalAccumulators.length));
  const results = place(8 * resultCount);
  const moved: { name: string; at: number; kind: 'f64' | 'i32' }[] = [];
  for (const l of all) {
    const { floats, ints } = wasmLoopArrays(l.wasm.plan);
    for (const [names, kind] of [[floats, 'f64'], [ints, 'i32']] as const) {
      for (const name of names) {
        if (address.has(name)) continue;
        const at = place((env.values[name] as Float64Array | Int32Array).byteLength);
        address.set(name, at);
        moved.push({ name, at, kind });
      }
    }
  }
  const layout = { address: (name: string) => address.get(name)!, integer: (name: string) => (/^\d+$/.test(name) ? Number(name) : (env.values[name] as number)), results };
  const fnName = (p: number, k: number): string => `wl${p}_${k}`;
  let instance: WebAssembly.Instance;
  let memory: WebAssembly.Memory;
  const cleared = new Set<string>();
  try {
    const functions: WasmFunction[] = loops.flatMap((ls, p) => ls.map((l, k) => emitWasmLoop(l.wasm.plan, fnName(p, k), layout)));
    // Zeroing the gradient and the buffers in the module: one memory.fill each (TypedArray.fill has a fixed cost of tens of ns).
    const clear = new CodeWriter();
    for (const p of programs.filter((q) => q.gradient).flatMap((q) => q.pieces)) {
      if (typeof p === 'string' || !('zero' in p) || !address.has(p.zero) || cleared.has(p.zero)) continue;
      cleared.add(p.zero);
      const bytes = p.zero === 'g' ? 8 * dim : (env.values[p.zero] as Float64Array).byteLength;
      clear.i32(address.get(p.zero)!).i32(0).i32(bytes).memoryFill();
    }
    functions.push({ name: 'clear', params: [], results: [], locals: [], code: clear });
    const pages = Math.ceil(next / 65536) + 1;
    const module = new WebAssembly.Module(buildModule(functions, pages));
    memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
    instance = new WebAssembly.Instance(module, { env: { memory } });
  } catch {
    return none; // WebAssembly unavailable or forbidden here: the JS loops run
  }
  const buffer = memory.buffer;
  for (const { name, at, kind } of moved) {
    const old = env.values[name] as Float64Array | Int32Array;
    const view = kind === 'f64' ? new Float64Array(buffer, at, old.length) : new Int32Array(buffer, at, old.length);
    view.set(old);
    env.values[name] = view;
  }
  env.values.wth = new Float64Array(buffer, address.get('th')!, dim);
  env.values.wg = new Float64Array(buffer, address.get('g')!, dim);
  env.values.wres = new Float64Array(buffer, results, resultCount);
  env.values.wclear = instance.exports.clear;
  loops.forEach((ls, p) => ls.forEach((_l, k) => (env.values[fnName(p, k)] = instance.exports[fnName(p, k)])));
  return programs.map(({ pieces, gradient }, p) => {
    if (loops[p].length === 0) return null;
    const blocks = pieces.map((q) => {
      if (typeof q === 'string') return q;
      if ('zero' in q) return cleared.has(q.zero) ? '' : zeroJs(q.zero);
      const k = loops[p].indexOf(q as WasmLoop);
      return k >= 0 ? q.wasm!.callJs(fnName(p, k), 'wres') : q.js;
    });
    if (!gradient) return { blocks, params: ['thIn'], prologue: `const th = wth;\n${copy('wth', 'thIn')}`, epilogue: '', loops: loops[p].length };
    return { blocks, params: ['thIn', 'gOut'], prologue: `const th = wth, g = wg;\n${copy('wth', 'thIn')}\nwclear();`, epilogue: copy('gOut', 'wg'), loops: loops[p].length };
  });
}
