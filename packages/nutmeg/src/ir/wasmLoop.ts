// Generates a WebAssembly function (f64x2 SIMD, two rows per step) for the loop of one fused loop, from the loop's statements as data.
//
// fusedLoop.ts records what its JS loop does row by row (domain checks, stores, adjoint adds,
// sums); this file turns that record into one function over the model's WebAssembly memory. The
// invariant values (computed in JS before the loop) arrive as f64 parameters; values that are
// constant within a segment are computed once per segment; everything per row is computed for
// rows i and i+1 in the two lanes of a v128, and an odd last row of a segment (or of the loop)
// runs the same statements in scalar f64. Sums are kept per lane and added at the end of their
// scope, so they may differ from the JS loop's in the last bits (a different summation order);
// every other value is the same IEEE operation on the same operands as in JS.
import type { SNode } from './scalarIr.js';
import { CodeWriter, OP, SIMD, type ValType, type WasmFunction } from './wasmBinary.js';

/** One statement of a loop's row, as data (fusedLoop.ts records them in the order of its JS). */
export type RowStatement =
  | { readonly kind: 'check'; readonly node: SNode; readonly op: '>' | '>=' | '<' | '<=' | 'integer'; readonly bound: SNode }
  | { readonly kind: 'store'; readonly array: string; readonly offset: number; readonly node: SNode }
  /** `adjoint(load) += value` at the row's own index. */
  | { readonly kind: 'addAdjoint'; readonly load: SNode; readonly value: SNode }
  /** `acc += value`: a sum over the segment or over the whole loop. */
  | { readonly kind: 'accumulate'; readonly acc: string; readonly value: SNode };

/** A fused loop's loop as data. */
export interface WasmLoopPlan {
  /** Segments (see FusedLoopSpec.segments): the segment index node and the JS names of the starts and values arrays. */
  readonly segments?: { readonly index: SNode; readonly starts: string; readonly values: string };
  readonly rows: readonly RowStatement[];
  /** Accumulators reset per segment (read by `flushes`). */
  readonly segmentAccumulators: readonly string[];
  /** Accumulators over the whole loop: their totals are written to the results, in this order. */
  readonly globalAccumulators: readonly string[];
  /** After each segment: `adjoint(load) += value`. */
  readonly flushes: readonly { readonly load: SNode; readonly value: SNode }[];
  /** Whether a varying node is constant within a segment. */
  readonly segmentLevel: (node: SNode) => boolean;
  /** Varying nodes whose values are stored (`array[offset + i]`, FusedLoopSpec.known): read, not computed. */
  readonly known: ReadonlyMap<number, { readonly array: string; readonly offset: number }>;
  /** The loop-invariant values the loop reads, passed as f64 parameters after the count. */
  readonly params: readonly SNode[];
}

/** The per-element ops the generated function computes (in both f64x2 and f64). */
const VECTOR_OPS: Record<string, { readonly simd: number; readonly scalar: number } | undefined> = {
  add: { simd: SIMD.f64x2Add, scalar: OP.f64Add },
  sub: { simd: SIMD.f64x2Sub, scalar: OP.f64Sub },
  mul: { simd: SIMD.f64x2Mul, scalar: OP.f64Mul },
  div: { simd: SIMD.f64x2Div, scalar: OP.f64Div },
  neg: { simd: SIMD.f64x2Neg, scalar: OP.f64Neg },
  abs: { simd: SIMD.f64x2Abs, scalar: OP.f64Abs },
  sqrt: { simd: SIMD.f64x2Sqrt, scalar: OP.f64Sqrt },
};

const COMPARE: Record<string, { readonly simd: number; readonly scalar: number }> = {
  '>': { simd: SIMD.f64x2Gt, scalar: OP.f64Gt },
  '>=': { simd: SIMD.f64x2Ge, scalar: OP.f64Ge },
  '<': { simd: SIMD.f64x2Lt, scalar: OP.f64Lt },
  '<=': { simd: SIMD.f64x2Le, scalar: OP.f64Le },
};

/** The plan without its parameters (what {@link collectWasmParams} reads). */
type PlanBody = Omit<WasmLoopPlan, 'params'>;

/** The nodes the plan's statements read (values, check operands, flush values). */
function statementNodes(plan: PlanBody): SNode[] {
  const out: SNode[] = [];
  for (const st of plan.rows) {
    if (st.kind === 'check') out.push(st.node, st.bound);
    else if (st.kind === 'store') out.push(st.node);
    else out.push(st.value);
  }
  for (const f of plan.flushes) out.push(f.value);
  return out;
}

/**
 * The loop-invariant nodes (other than constants and accumulators) the loop reads: the
 * parameters of its function, in the order first met.
 */
export function collectWasmParams(plan: PlanBody): SNode[] {
  const params: SNode[] = [];
  const seen = new Set<number>();
  const visit = (n: SNode): void => {
    if (seen.has(n.id)) return;
    seen.add(n.id);
    if (n.op === 'const' || n.op === 'var' || plan.known.has(n.id)) return;
    if (isParam(n)) {
      params.push(n);
      return;
    }
    for (const a of n.args) visit(a);
  };
  statementNodes(plan).forEach(visit);
  return params;
}

/** Whether `n` reads an accumulator (a 'var'): such a loop-invariant node is computed after a segment, not passed in. */
function readsAccumulator(n: SNode): boolean {
  return n.op === 'var' || n.args.some(readsAccumulator);
}

/** A loop-invariant value computed before the loop (a parameter of the function). */
const isParam = (n: SNode): boolean => n.level === 0 && n.op !== 'const' && !readsAccumulator(n);

/** Whether `n` is the loop's row index `i` (a load at it reads contiguous elements). */
const isRowIndex = (n: SNode | undefined): boolean => n !== undefined && n.op === 'index' && n.code === 'i';

/**
 * Why the loop cannot be generated (an op outside the supported set, a gather other than by
 * segment, an array that is read and written, …), or null when it can.
 *
 * @param isFloatArray - whether a JS name is a Float64Array the loop may read or write
 */
export function wasmLoopUnsupported(plan: WasmLoopPlan, isFloatArray: (name: string) => boolean): string | null {
  const read = new Set<string>();
  const written = new Set<string>();
  const seen = new Set<number>();
  let reason: string | null = null;
  const visit = (n: SNode): void => {
    if (reason || seen.has(n.id) || isParam(n) || n.op === 'const' || n.op === 'var') return;
    seen.add(n.id);
    const stored = plan.known.get(n.id);
    if (stored) {
      if (!isFloatArray(stored.array)) reason = `array ${stored.array} is not a Float64Array`;
      read.add(stored.array);
      return;
    }
    if (n.op === 'load') {
      const idx = n.args[0];
      if (!isRowIndex(idx) && !idx?.strided && !(plan.segments && idx === plan.segments.index)) reason = 'a gather by an index other than the segment';
      else if (!isFloatArray(n.ref!.array)) reason = `array ${n.ref!.array} is not a Float64Array`;
      read.add(n.ref!.array);
      return;
    }
    if (n.op === 'index') {
      reason = 'an index used as a value';
      return;
    }
    if (!VECTOR_OPS[n.op] && n.op !== 'recip' && n.op !== 'square') {
      reason = `op '${n.op}'`;
      return;
    }
    n.args.forEach(visit);
  };
  statementNodes(plan).forEach(visit);
  for (const st of plan.rows) {
    if (st.kind === 'check' && st.op === 'integer') reason ??= 'an integer check';
    if (st.kind === 'store') written.add(st.array);
    if (st.kind === 'addAdjoint') written.add(st.load.ref!.adjoint!);
    if (st.kind === 'addAdjoint' && !isRowIndex(st.load.args[0])) reason ??= 'an adjoint add by a gather';
  }
  for (const f of plan.flushes) written.add(f.load.ref!.adjoint!);
  for (const name of written) {
    if (!isFloatArray(name)) reason ??= `array ${name} is not a Float64Array`;
    if (read.has(name)) reason ??= `array ${name} is both read and written`;
  }
  return reason;
}

/** Where the generated function finds things in memory (byte addresses) and the values of named integers. */
export interface WasmLoopLayout {
  /** Byte address of element 0 of the array of this JS name. */
  address(array: string): number;
  /** The value of a data-dependent integer (a load offset held in the environment). */
  integer(name: string): number;
  /** Byte address of the results (one f64 per global accumulator). */
  readonly results: number;
}

/** Locals of one function, by type, after its parameters. */
class Locals {
  readonly types: ValType[] = [];
  constructor(private readonly paramCount: number) {}
  add(t: ValType): number {
    this.types.push(t);
    return this.paramCount + this.types.length - 1;
  }
  /** The local of type `t` kept for `key` in `byKey`, added on first use. */
  for(byKey: Map<number, number>, key: number, t: ValType): number {
    let local = byKey.get(key);
    if (local === undefined) byKey.set(key, (local = this.add(t)));
    return local;
  }
}

/** How a node is computed: for two rows in a v128, one row in an f64, once per segment, or after a segment from the accumulators. */
type Mode = 'vector' | 'scalar' | 'segment' | 'flush';

/**
 * Generates the function of one loop: `(count: i32, ...params: f64) → i32` (0, or 1 when a domain
 * check failed), `count` being the number of rows, or of segments for a segmented loop.
 *
 * @param plan - the loop, as recorded by fusedLoop.ts (check {@link wasmLoopUnsupported} first)
 * @param name - the export name
 * @param layout - addresses of the arrays and the results
 * @returns the function, for {@link buildModule}
 */
export function emitWasmLoop(plan: WasmLoopPlan, name: string, layout: WasmLoopLayout): WasmFunction {
  return new WasmLoopEmitter(plan, layout).emit(name);
}

/** The state of generating one loop's function. */
class WasmLoopEmitter {
  private readonly locals: Locals;
  private readonly paramIndex = new Map<number, number>();
  /** Splatted parameters and segment values, made before the loop or per segment. */
  private readonly paramSplats = new Map<number, number>();
  private readonly segmentScalars = new Map<number, number>();
  private readonly segmentSplats = new Map<number, number>();
  /** Locals of each accumulator: lanes (v128) and the scalar tail (f64), and its total after a segment. */
  private readonly acc = new Map<string, { vec: number; scalar: number; total: number }>();
  private readonly iLocal: number;
  private readonly byteLocal: number;
  private readonly hiLocal: number;
  private readonly segLocal: number;
  private readonly segByteLocal: number;
  /** Node values computed so far in the code being written (per body). */
  private memo = new Map<number, number>();
  /** Per body: the byte offset of row i of a strided array (i · 8 · stride), by stride. */
  private rowBytes = new Map<string, number>();

  constructor(
    private readonly plan: WasmLoopPlan,
    private readonly layout: WasmLoopLayout,
  ) {
    this.locals = new Locals(1 + plan.params.length);
    plan.params.forEach((p, k) => this.paramIndex.set(p.id, 1 + k));
    this.iLocal = this.locals.add('i32');
    this.byteLocal = this.locals.add('i32');
    this.hiLocal = this.locals.add('i32');
    this.segLocal = this.locals.add('i32');
    this.segByteLocal = this.locals.add('i32');
    for (const a of [...plan.segmentAccumulators, ...plan.globalAccumulators]) {
      this.acc.set(a, { vec: this.locals.add('v128'), scalar: this.locals.add('f64'), total: this.locals.add('f64') });
    }
  }

  emit(name: string): WasmFunction {
    const { plan } = this;
    const vector = new CodeWriter();
    this.memo = new Map();
    this.rowBody(vector, 'vector');
    this.rowBytes = new Map();
    const scalar = new CodeWriter();
    this.memo = new Map();
    this.rowBody(scalar, 'scalar');
    const flush = new CodeWriter();
    this.memo = new Map();
    if (plan.segments) this.flushBody(flush);
    const segmentStart = new CodeWriter();
    this.memo = new Map();
    if (plan.segments) this.segmentPrologue(segmentStart);
    const c = new CodeWriter();
    // Before the loop: parameters splatted, loop-wide sums zeroed.
    for (const [id, local] of this.paramSplats) c.get(this.paramIndex.get(id)!).simd(SIMD.f64x2Splat).set(local);
    this.zero(c, plan.globalAccumulators);
    if (plan.segments) {
      const starts = this.layout.address(plan.segments.starts);
      const values = this.layout.address(plan.segments.values);
      c.open(OP.block);
      c.get(0).op(OP.i32Eqz).index(OP.brIf, 0);
      c.open(OP.loop);
      c.get(this.segLocal).i32(2).op(OP.i32Shl).memory(OP.i32Load, 2, starts).set(this.iLocal);
      c.get(this.segLocal).i32(2).op(OP.i32Shl).memory(OP.i32Load, 2, starts + 4).set(this.hiLocal);
      c.get(this.segLocal).i32(2).op(OP.i32Shl).memory(OP.i32Load, 2, values).i32(3).op(OP.i32Shl).set(this.segByteLocal);
      append(c, segmentStart);
      this.zero(c, plan.segmentAccumulators);
      this.rows(c, vector, scalar);
      for (const a of plan.segmentAccumulators) this.total(c, a);
      append(c, flush);
      c.get(this.segLocal).i32(1).op(OP.i32Add).set(this.segLocal);
      c.get(this.segLocal).get(0).op(OP.i32LtS).index(OP.brIf, 0);
      c.op(OP.end).op(OP.end);
    } else {
      c.i32(0).set(this.iLocal);
      c.get(0).set(this.hiLocal);
      this.rows(c, vector, scalar);
    }
    plan.globalAccumulators.forEach((a, k) => {
      c.i32(0);
      this.total(c, a);
      c.get(this.acc.get(a)!.total).memory(OP.f64Store, 3, this.layout.results + 8 * k);
    });
    c.i32(0);
    return { name, params: ['i32', ...plan.params.map((): ValType => 'f64')], results: ['i32'], locals: this.locals.types, code: c };
  }

  /** Sets the lanes and the scalar tail of each accumulator to 0. */
  private zero(c: CodeWriter, accs: readonly string[]): void {
    for (const a of accs) {
      const l = this.acc.get(a)!;
      c.f64(0).simd(SIMD.f64x2Splat).set(l.vec).f64(0).set(l.scalar);
    }
  }

  /** total = (lane 0 + lane 1) + scalar tail. */
  private total(c: CodeWriter, a: string): void {
    const l = this.acc.get(a)!;
    c.get(l.vec).extractLane(0).get(l.vec).extractLane(1).op(OP.f64Add).get(l.scalar).op(OP.f64Add).set(l.total);
  }

  /** Rows i … hi-1: two at a time while two remain, then the odd last one. */
  private rows(c: CodeWriter, vector: CodeWriter, scalar: CodeWriter): void {
    c.open(OP.block).open(OP.loop);
    c.get(this.iLocal).i32(2).op(OP.i32Add).get(this.hiLocal).op(OP.i32GtS).index(OP.brIf, 1);
    c.get(this.iLocal).i32(3).op(OP.i32Shl).set(this.byteLocal);
    append(c, vector);
    c.get(this.iLocal).i32(2).op(OP.i32Add).set(this.iLocal);
    c.index(OP.br, 0);
    c.op(OP.end).op(OP.end);
    c.get(this.iLocal).get(this.hiLocal).op(OP.i32LtS).open(OP.if);
    c.get(this.iLocal).i32(3).op(OP.i32Shl).set(this.byteLocal);
    append(c, scalar);
    c.op(OP.end);
  }

  /** The row's statements, for two rows (`vector`) or one (`scalar`). */
  private rowBody(c: CodeWriter, mode: 'vector' | 'scalar'): void {
    const vec = mode === 'vector';
    for (const st of this.plan.rows) {
      if (st.kind === 'check') {
        const cmp = COMPARE[st.op];
        this.value(c, st.node, mode);
        this.value(c, st.bound, mode);
        if (vec) c.simd(cmp.simd).simd(SIMD.i64x2AllTrue);
        else c.op(cmp.scalar);
        c.op(OP.i32Eqz).open(OP.if).i32(1).op(OP.return).op(OP.end);
      } else if (st.kind === 'store') {
        const at = this.layout.address(st.array) + 8 * st.offset;
        c.get(this.byteLocal);
        this.value(c, st.node, mode);
        if (vec) c.memory(SIMD.v128Store, 3, at, true);
        else c.memory(OP.f64Store, 3, at);
      } else if (st.kind === 'addAdjoint') {
        const at = this.adjointAddress(st.load);
        c.get(this.byteLocal).get(this.byteLocal);
        if (vec) c.memory(SIMD.v128Load, 3, at, true);
        else c.memory(OP.f64Load, 3, at);
        this.value(c, st.value, mode);
        if (vec) c.simd(SIMD.f64x2Add).memory(SIMD.v128Store, 3, at, true);
        else c.op(OP.f64Add).memory(OP.f64Store, 3, at);
      } else {
        const l = this.acc.get(st.acc)!;
        const target = vec ? l.vec : l.scalar;
        c.get(target);
        this.value(c, st.value, mode);
        if (vec) c.simd(SIMD.f64x2Add);
        else c.op(OP.f64Add);
        c.set(target);
      }
    }
  }

  /** After a segment's rows: adjoint(load) += value, at the segment's index. */
  private flushBody(c: CodeWriter): void {
    for (const f of this.plan.flushes) {
      const at = this.adjointAddress(f.load);
      c.get(this.segByteLocal).get(this.segByteLocal).memory(OP.f64Load, 3, at);
      this.value(c, f.value, 'flush');
      c.op(OP.f64Add).memory(OP.f64Store, 3, at);
    }
  }

  /** Computes, at a segment's start, the segment values the bodies read (in the order first read). */
  private segmentPrologue(c: CodeWriter): void {
    for (const [id, local] of [...this.segmentScalars]) {
      const node = this.findSegmentNode(id);
      this.segmentValue(c, node);
      c.set(local);
      const splat = this.segmentSplats.get(id);
      if (splat !== undefined) c.get(local).simd(SIMD.f64x2Splat).set(splat);
    }
  }

  private readonly segmentNodes = new Map<number, SNode>();
  private findSegmentNode(id: number): SNode {
    return this.segmentNodes.get(id)!;
  }

  /** Pushes a segment-level node's value (computing its arguments into the prologue as needed). */
  private segmentValue(c: CodeWriter, node: SNode): void {
    if (node.op === 'const') {
      c.f64(node.value as number);
      return;
    }
    if (node.level === 0) {
      c.get(this.paramIndex.get(node.id)!);
      return;
    }
    const done = this.memo.get(node.id);
    if (done !== undefined) {
      c.get(done);
      return;
    }
    if (node.op === 'load') {
      c.get(this.segByteLocal).memory(OP.f64Load, 3, this.loadAddress(node));
    } else this.apply(c, node, 'scalar', (a) => this.segmentValue(c, a));
    const local = this.segmentScalars.get(node.id) ?? this.locals.add('f64');
    c.index(OP.localTee, local);
    this.memo.set(node.id, local);
  }

  /** Byte address of element 0 of a load's array, plus its offset. */
  private loadAddress(load: SNode): number {
    const ref = load.ref!;
    return this.layout.address(ref.array) + 8 * this.offset(ref.offset);
  }

  private adjointAddress(load: SNode): number {
    const ref = load.ref!;
    return this.layout.address(ref.adjoint!) + 8 * this.offset(ref.offset);
  }

  private offset(o: number | string): number {
    return typeof o === 'number' ? o : this.layout.integer(o);
  }

  /** Pushes `node`'s value in `mode` (a v128 of two rows, or an f64). */
  private value(c: CodeWriter, node: SNode, mode: Mode): void {
    const vec = mode === 'vector';
    if (node.op === 'const') {
      c.f64(node.value as number);
      if (vec) c.simd(SIMD.f64x2Splat);
      return;
    }
    if (node.op === 'var') {
      c.get(this.acc.get(node.code as string)!.total);
      return;
    }
    if (isParam(node)) {
      const p = this.paramIndex.get(node.id)!;
      c.get(vec ? this.locals.for(this.paramSplats, node.id, 'v128') : p);
      return;
    }
    if (this.plan.segments && this.plan.segmentLevel(node)) {
      // Computed once per segment, in the prologue.
      this.segmentNodes.set(node.id, node);
      const s = this.locals.for(this.segmentScalars, node.id, 'f64');
      c.get(vec ? this.locals.for(this.segmentSplats, node.id, 'v128') : s);
      return;
    }
    const done = this.memo.get(node.id);
    if (done !== undefined) {
      c.get(done);
      return;
    }
    const stored = this.plan.known.get(node.id);
    if (stored) {
      const at = this.layout.address(stored.array) + 8 * stored.offset;
      c.get(this.byteLocal);
      if (vec) c.memory(SIMD.v128Load, 3, at, true);
      else c.memory(OP.f64Load, 3, at);
    } else if (node.op === 'load' && node.args[0]?.strided) this.stridedLoad(c, node, vec);
    else if (node.op === 'load') {
      c.get(this.byteLocal);
      if (vec) c.memory(SIMD.v128Load, 3, this.loadAddress(node), true);
      else c.memory(OP.f64Load, 3, this.loadAddress(node));
    } else this.apply(c, node, mode, (a) => this.value(c, a, mode));
    const local = this.locals.add(vec ? 'v128' : 'f64');
    c.index(OP.localTee, local);
    this.memo.set(node.id, local);
  }

  /** Pushes a strided load (element `offset` of row i, and of row i+1 in lane 1). */
  private stridedLoad(c: CodeWriter, node: SNode, vec: boolean): void {
    const { stride, offset } = node.args[0].strided!;
    const rowBytes = 8 * this.offset(stride);
    let rowLocal = this.rowBytes.get(stride);
    if (rowLocal === undefined) {
      rowLocal = this.locals.add('i32');
      this.rowBytes.set(stride, rowLocal);
      c.get(this.iLocal).i32(rowBytes).op(OP.i32Mul).set(rowLocal);
    }
    const at = this.loadAddress(node) + 8 * offset;
    c.get(rowLocal).memory(OP.f64Load, 3, at);
    if (vec) c.simd(SIMD.f64x2Splat).get(rowLocal).memory(OP.f64Load, 3, at + rowBytes).replaceLane(1);
  }

  /** Pushes an op of `node` applied to its arguments (pushed by `arg`). */
  private apply(c: CodeWriter, node: SNode, mode: Mode, arg: (a: SNode) => void): void {
    const vec = mode === 'vector';
    const x = node.args[0];
    if (node.op === 'recip') {
      c.f64(1);
      if (vec) c.simd(SIMD.f64x2Splat);
      arg(x);
      if (vec) c.simd(SIMD.f64x2Div);
      else c.op(OP.f64Div);
      return;
    }
    if (node.op === 'square') {
      arg(x);
      arg(x);
      if (vec) c.simd(SIMD.f64x2Mul);
      else c.op(OP.f64Mul);
      return;
    }
    const op = VECTOR_OPS[node.op];
    if (!op) throw new Error(`internal: op '${node.op}' in a WebAssembly loop`);
    node.args.forEach(arg);
    if (vec) c.simd(op.simd);
    else c.op(op.scalar);
  }
}

/** Appends the instructions of `b` to `a`. */
function append(a: CodeWriter, b: CodeWriter): void {
  for (const x of b.bytes) a.bytes.push(x);
}

/** The JS names of the arrays a loop reads or writes (its memory must hold them), with the index arrays of its segments. */
export function wasmLoopArrays(plan: WasmLoopPlan): { floats: Set<string>; ints: Set<string> } {
  const floats = new Set<string>();
  const seen = new Set<number>();
  const visit = (n: SNode): void => {
    if (seen.has(n.id) || n.level === 0) return;
    seen.add(n.id);
    const stored = plan.known.get(n.id);
    if (stored) {
      floats.add(stored.array);
      return;
    }
    if (n.op === 'load') floats.add(n.ref!.array);
    n.args.forEach(visit);
  };
  statementNodes(plan).forEach(visit);
  for (const st of plan.rows) {
    if (st.kind === 'store') floats.add(st.array);
    if (st.kind === 'addAdjoint') floats.add(st.load.ref!.adjoint!);
  }
  for (const f of plan.flushes) floats.add(f.load.ref!.adjoint!);
  const ints = new Set<string>(plan.segments ? [plan.segments.starts, plan.segments.values] : []);
  return { floats, ints };
}
