// Runs the fused loops of the gradient program as generated WebAssembly: the module's memory layout, the module, and the JS around the calls.
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
  /** The program's parameters (θ in, gradient out), copied into and out of the module's memory. */
  readonly params: readonly [string, string];
  /** Statements at the start: `th` and `g` become the module's copies, θ is copied in, `g` and the module's adjoint buffers zeroed. */
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

/**
 * Builds the WebAssembly of the supported loops among a program's pieces and moves the arrays they
 * use into the module's memory.
 *
 * @param env - the compilation's environment (its arrays are replaced by views of the module's memory)
 * @param pieces - the program's pieces: JS strings, and fused loops with their plans
 * @param dim - the length of θ and of the gradient
 * @param zeroJs - the JS that zeroes a buffer left outside the module
 * @returns the program's JS around the calls, or null when no loop is supported or the module cannot be built
 */
export function wasmProgram(env: Environment, pieces: readonly ProgramPiece[], dim: number, zeroJs: (name: string) => string): WasmProgram | null {
  if (!wasmSimdAvailable()) return null;
  const isFloat = (name: string): boolean => name === 'th' || name === 'g' || env.values[name] instanceof Float64Array;
  const loops = pieces.filter((p): p is FusedLoopCode & { wasm: NonNullable<FusedLoopCode['wasm']> } => typeof p !== 'string' && 'js' in p && p.wasm !== undefined && wasmLoopUnsupported(p.wasm.plan, isFloat) === null);
  if (loops.length === 0) return null;
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
  const results = place(8 * Math.max(1, ...loops.map((l) => l.wasm.plan.globalAccumulators.length)));
  const moved: { name: string; at: number; kind: 'f64' | 'i32' }[] = [];
  for (const l of loops) {
    const { floats, ints } = wasmLoopArrays(l.wasm.plan);
    for (const [names, kind] of [[floats, 'f64'], [ints, 'i32']] as const) {
      for (const name of names) {
        if (address.has(name)) continue;
        const arr = env.values[name] as Float64Array | Int32Array;
        const at = place(arr.byteLength);
        address.set(name, at);
        moved.push({ name, at, kind });
      }
    }
  }
  const layout = { address: (name: string) => address.get(name)!, integer: (name: string) => (/^\d+$/.test(name) ? Number(name) : (env.values[name] as number)), results };
  let instance: WebAssembly.Instance;
  let memory: WebAssembly.Memory;
  try {
    const functions: WasmFunction[] = loops.map((l, k) => emitWasmLoop(l.wasm.plan, `loop${k}`, layout));
    // Zeroing the gradient and the buffers in the module: one memory.fill each (TypedArray.fill has a fixed cost of tens of ns).
    const clear = new CodeWriter();
    for (const p of pieces) {
      if (typeof p === 'string' || !('zero' in p) || !address.has(p.zero)) continue;
      const bytes = p.zero === 'g' ? 8 * dim : (env.values[p.zero] as Float64Array).byteLength;
      clear.i32(address.get(p.zero)!).i32(0).i32(bytes).memoryFill();
    }
    functions.push({ name: 'clear', params: [], results: [], locals: [], code: clear });
    const pages = Math.ceil(next / 65536) + 1;
    const module = new WebAssembly.Module(buildModule(functions, pages));
    memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
    instance = new WebAssembly.Instance(module, { env: { memory } });
  } catch {
    return null; // WebAssembly unavailable or forbidden here: the JS loops run
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
  env.values.wres = new Float64Array(buffer, results, Math.max(1, ...loops.map((l) => l.wasm.plan.globalAccumulators.length)));
  loops.forEach((_l, k) => (env.values[`wl${k}`] = instance.exports[`loop${k}`]));
  env.values.wclear = instance.exports.clear;
  const blocks = pieces.map((p) => {
    if (typeof p === 'string') return p;
    if ('zero' in p) return address.has(p.zero) ? '' : zeroJs(p.zero);
    const k = loops.indexOf(p as (typeof loops)[number]);
    return k >= 0 ? p.wasm!.callJs(`wl${k}`, 'wres') : p.js;
  });
  return { blocks, params: ['thIn', 'gOut'], prologue: `const th = wth, g = wg;\n${copy('wth', 'thIn')}\nwclear();`, epilogue: copy('gOut', 'wg'), loops: loops.length };
}
