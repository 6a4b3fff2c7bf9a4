// A minimal WebAssembly binary writer: instruction bytes for one function body, and a module of such functions over one imported memory.
//
// Only what the generated fused loops need (i32 and f64 scalars, f64x2 SIMD, structured control,
// loads and stores); written directly as bytes so that compiling a model needs no assembler at run
// time. Opcodes are those of the WebAssembly 2.0 core specification (SIMD is prefix 0xfd).

/** A value type of a local or parameter. */
export type ValType = 'i32' | 'f64' | 'v128';

const VALTYPE_BYTE: Record<ValType, number> = { i32: 0x7f, f64: 0x7c, v128: 0x7b };

/** Scalar opcodes used by the generated loops. */
export const OP = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  else: 0x05,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  return: 0x0f,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  i32Load: 0x28,
  f64Load: 0x2b,
  f64Store: 0x39,
  i32Const: 0x41,
  f64Const: 0x44,
  i32Eqz: 0x45,
  i32LtS: 0x48,
  i32GtS: 0x4a,
  f64Eq: 0x61,
  f64Lt: 0x63,
  f64Gt: 0x64,
  f64Le: 0x65,
  f64Ge: 0x66,
  i32Add: 0x6a,
  i32Mul: 0x6c,
  i32Shl: 0x74,
  f64Abs: 0x99,
  f64Neg: 0x9a,
  f64Sqrt: 0x9f,
  f64Add: 0xa0,
  f64Sub: 0xa1,
  f64Mul: 0xa2,
  f64Div: 0xa3,
} as const;

/** SIMD opcodes (after the 0xfd prefix) used by the generated loops. */
export const SIMD = {
  v128Load: 0x00,
  v128Store: 0x0b,
  f64x2Splat: 0x14,
  f64x2ExtractLane: 0x21,
  f64x2ReplaceLane: 0x22,
  f64x2Eq: 0x47,
  f64x2Lt: 0x49,
  f64x2Gt: 0x4a,
  f64x2Le: 0x4b,
  f64x2Ge: 0x4c,
  i64x2AllTrue: 0xc3,
  f64x2Abs: 0xec,
  f64x2Neg: 0xed,
  f64x2Sqrt: 0xef,
  f64x2Add: 0xf0,
  f64x2Sub: 0xf1,
  f64x2Mul: 0xf2,
  f64x2Div: 0xf3,
} as const;

/** The block type of a block, loop or if without results. */
export const BLOCK_VOID = 0x40;

/** Appends an unsigned LEB128 integer. */
function pushU32(out: number[], value: number): void {
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
}

/** Appends a signed LEB128 32-bit integer. */
function pushI32(out: number[], value: number): void {
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return;
  }
}

const f64Bytes = new Float64Array(1);
const f64Octets = new Uint8Array(f64Bytes.buffer);

/** The instructions of one function body, appended in order. */
export class CodeWriter {
  readonly bytes: number[] = [];

  /** A scalar instruction without immediates. */
  op(code: number): this {
    this.bytes.push(code);
    return this;
  }
  /** A SIMD instruction without immediates. */
  simd(code: number): this {
    this.bytes.push(0xfd);
    pushU32(this.bytes, code);
    return this;
  }
  /** `memory.fill` of memory 0 (dest, value, length on the stack). */
  memoryFill(): this {
    this.bytes.push(0xfc);
    pushU32(this.bytes, 11);
    this.bytes.push(0x00);
    return this;
  }
  /** `f64x2.extract_lane lane`. */
  extractLane(lane: 0 | 1): this {
    this.simd(SIMD.f64x2ExtractLane);
    this.bytes.push(lane);
    return this;
  }
  /** `f64x2.replace_lane lane`. */
  replaceLane(lane: 0 | 1): this {
    this.simd(SIMD.f64x2ReplaceLane);
    this.bytes.push(lane);
    return this;
  }
  /** A load or store (`code` scalar, or SIMD when `simd`) with its alignment exponent and constant byte offset. */
  memory(code: number, align: number, offset: number, simd = false): this {
    if (simd) this.simd(code);
    else this.bytes.push(code);
    pushU32(this.bytes, align);
    pushU32(this.bytes, offset);
    return this;
  }
  /** An instruction with one unsigned immediate (local index, branch depth). */
  index(code: number, k: number): this {
    this.bytes.push(code);
    pushU32(this.bytes, k);
    return this;
  }
  /** `block`, `loop` or `if` without results. */
  open(code: number): this {
    this.bytes.push(code, BLOCK_VOID);
    return this;
  }
  i32(value: number): this {
    this.bytes.push(OP.i32Const);
    pushI32(this.bytes, value);
    return this;
  }
  f64(value: number): this {
    this.bytes.push(OP.f64Const);
    f64Bytes[0] = value;
    for (let k = 0; k < 8; k++) this.bytes.push(f64Octets[k]);
    return this;
  }
  get(local: number): this {
    return this.index(OP.localGet, local);
  }
  set(local: number): this {
    return this.index(OP.localSet, local);
  }
}

/** One exported function of a module. */
export interface WasmFunction {
  readonly name: string;
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
  /** Locals after the parameters. */
  readonly locals: readonly ValType[];
  /** The body's instructions, without the final `end`. */
  readonly code: CodeWriter;
}

/** A section: its id, then its byte length, then its content. */
function section(out: number[], id: number, content: number[]): void {
  out.push(id);
  pushU32(out, content.length);
  for (const b of content) out.push(b);
}

function pushName(out: number[], name: string): void {
  pushU32(out, name.length);
  for (let k = 0; k < name.length; k++) out.push(name.charCodeAt(k));
}

/**
 * The bytes of a module that imports `env.memory` (at least `minPages` pages of 64 KiB) and
 * exports `functions` by name.
 *
 * @param functions - the functions, each with its own type
 * @param minPages - the memory's minimum size in pages
 * @returns the module's binary
 */
export function buildModule(functions: readonly WasmFunction[], minPages: number): Uint8Array<ArrayBuffer> {
  const out: number[] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const types: number[] = [];
  pushU32(types, functions.length);
  for (const f of functions) {
    types.push(0x60);
    pushU32(types, f.params.length);
    for (const t of f.params) types.push(VALTYPE_BYTE[t]);
    pushU32(types, f.results.length);
    for (const t of f.results) types.push(VALTYPE_BYTE[t]);
  }
  section(out, 1, types);
  const imports: number[] = [1];
  pushName(imports, 'env');
  pushName(imports, 'memory');
  imports.push(0x02, 0x00);
  pushU32(imports, minPages);
  section(out, 2, imports);
  const funcs: number[] = [];
  pushU32(funcs, functions.length);
  functions.forEach((_f, k) => pushU32(funcs, k));
  section(out, 3, funcs);
  const exports: number[] = [];
  pushU32(exports, functions.length);
  functions.forEach((f, k) => {
    pushName(exports, f.name);
    exports.push(0x00);
    pushU32(exports, k);
  });
  section(out, 7, exports);
  const code: number[] = [];
  pushU32(code, functions.length);
  for (const f of functions) {
    const body: number[] = [];
    pushU32(body, f.locals.length);
    for (const t of f.locals) {
      body.push(1);
      body.push(VALTYPE_BYTE[t]);
    }
    for (const b of f.code.bytes) body.push(b);
    body.push(OP.end);
    pushU32(code, body.length);
    for (const b of body) code.push(b);
  }
  section(out, 10, code);
  return new Uint8Array(out);
}
