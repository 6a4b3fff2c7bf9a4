// Generates the JS of one fused loop: forward values, log-density terms and their reverse pass.
//
// Everything per element is scalar code in local constants; loop-invariant work is hoisted before
// the loop; adjoints that flow into loop invariants are summed in local accumulators and pushed
// through the invariant part once, after the loop. Additive log-density terms that do not vary
// with the element are counted `n` times instead of being computed `n` times. The loop's statements
// are also recorded as data (a WasmLoopPlan), from which wasmLoop.ts generates the same loop in
// WebAssembly.
import { IrBuilder, isConst, type SNode } from './scalarIr.js';
import { SCALAR_OPS } from './scalarOps.js';
import { collectWasmParams, type RowStatement, type WasmLoopPlan } from './wasmLoop.js';

/** A runtime domain check: when it fails, the generated code runs `FusedLoopSpec.onCheckFail`. */
export interface DomainCheck {
  readonly node: SNode;
  readonly op: '>' | '>=' | '<' | '<=' | 'integer';
  readonly bound: SNode;
}

/** What one fused loop computes. */
export interface FusedLoopSpec {
  /**
   * Number of elements (iterations): the constant 1 (a single element, no loop) or a
   * loop-invariant node, usually a {@link IrBuilder.size} so that the source does not spell it.
   */
  readonly n: SNode;
  /** Per-element additive log-density terms; their total over the loop is added to `lpTarget`. */
  readonly lpTerms?: readonly SNode[];
  /** JS lvalue that receives the log-density total (default `lp`). */
  readonly lpTarget?: string;
  /** Forward outputs: `array[offset + i] = node`. */
  readonly stores?: readonly { node: SNode; array: string; offset: number }[];
  /**
   * Nodes whose per-element values are already stored (`array[offset + i]`, e.g. by the node's
   * forward loop): they are read, not recomputed (the derivative of exp(x) is exp(x) itself).
   */
  readonly known?: readonly { node: SNode; array: string; offset: number }[];
  /** Reverse-mode seeds: the adjoint `seed` flows into `node` (per element). */
  readonly seeds?: readonly { node: SNode; seed: SNode }[];
  /** Whether to emit the reverse pass (gradients) of `lpTerms` and `seeds`. */
  readonly gradient: boolean;
  /** Domain checks (support, parameter constraints). */
  readonly checks?: readonly DomainCheck[];
  /** JS statement run when a check fails (default: `return -Infinity;`). */
  readonly onCheckFail?: string;
  /**
   * Rows grouped into segments of equal `index` (an 'index' node such as `county[i]`, whose
   * values are non-decreasing): the loop runs segment by segment, values that depend only on the
   * segment (`alpha[county[i]]`) are loaded once per segment, and adjoints flowing into them are
   * summed in registers and written once per segment instead of once per row.
   */
  readonly segments?: { readonly index: SNode; readonly starts: string; readonly values: string; readonly count: SNode };
}

/** A number as a JS literal (negative numbers parenthesised; NaN, ±Infinity and -0 spelled out). */
function literal(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '(-Infinity)';
  if (Object.is(v, -0)) return '(-0)';
  const s = String(v);
  return v < 0 ? `(${s})` : s;
}

/** Emits one fused loop as a JS block. `b` must be the builder that made the spec's nodes. */
export function emitFusedLoop(b: IrBuilder, spec: FusedLoopSpec): string {
  return emitFusedLoopParts(b, spec).js;
}

/** A fused loop's JS block and, when it has a loop, what a WebAssembly version of the loop needs. */
export interface FusedLoopCode {
  /** The whole block in JS. */
  readonly js: string;
  /** The loop as data (see wasmLoop.ts), and the block with the loop replaced by a call; absent for a single element. */
  readonly wasm?: {
    readonly plan: WasmLoopPlan;
    /**
     * The block with its loop replaced by a call of `fn` (the plan's function: count, then the
     * plan's parameters; 0, or 1 when a domain check failed) and the loop-wide sums read back
     * from `results` (a Float64Array over the function's memory).
     */
    readonly callJs: (fn: string, results: string) => string;
  };
}

/** Emits one fused loop as a JS block, with the data a WebAssembly version of its loop needs (see {@link FusedLoopCode}). */
export function emitFusedLoopParts(b: IrBuilder, spec: FusedLoopSpec): FusedLoopCode {
  const e = new FusedLoopEmitter(b, spec);
  // The loop counts, defined before the loop (a size node is only a name).
  const count = e.single ? '1' : e.ensure(spec.n);
  const segCount = spec.segments ? e.ensure(spec.segments.count) : '';
  e.emitChecks();
  e.emitStores();
  const lp = e.collectLpTerms();
  const invariantSeeds = spec.gradient ? e.varyingReversePass(lp) : [];
  const flushed = e.emitSums(invariantSeeds);
  // The loop as data, and the names of the invariant values it reads (all defined before the loop).
  const plan = e.single ? undefined : e.wasmPlan();
  const paramNames = plan ? plan.params.map((p) => e.ensure(p)) : [];
  // After the loop: the log-density total, then the invariant reverse pass.
  e.phase = 'post';
  if (lp.hasLp) e.emitLpTotal(lp, flushed);
  if (spec.gradient) e.invariantReversePass(invariantSeeds);
  const js = e.assemble(count, segCount);
  if (!plan) return { js };
  const fail = spec.onCheckFail ?? 'return -Infinity;';
  const callJs = (fn: string, results: string): string => {
    const call = `if (${fn}(${[spec.segments ? segCount : count, ...paramNames].join(', ')}) !== 0) { ${fail} }`;
    const readBack = plan.globalAccumulators.map((acc, k) => `${acc} = ${results}[${k}];`);
    return ['{', ...e.pre, call, ...readBack, ...e.post, '}'].join('\n');
  };
  return { js, wasm: { plan, callJs } };
}

/** Where a sum over the loop goes: the log density, the adjoint of an invariant node, or a per-segment adjoint slot. */
type Sink = { kind: 'lp' } | { kind: 'global'; node: SNode } | { kind: 'segment'; target: string; load: SNode };

/** A reverse-mode seed: the adjoint `seed` flows into `node`. */
type Seed = { node: SNode; seed: SNode };

/** The log-density terms of a loop, split by whether they vary with the element. */
interface LpTerms {
  /** Per-element terms (their sum over the loop is collected as an `lp` sum). */
  readonly varying: readonly SNode[];
  /** The sum of the invariant terms (counted `n` times). */
  readonly root0: SNode;
  readonly hasLp: boolean;
}

/**
 * The state of emitting one fused loop: the code regions (before the loop, per segment, in the
 * loop, after it), the nodes already emitted, and the sums over the loop still to be emitted.
 * Node ids are created in a fixed order by the builder, so the order of the calls below fixes the
 * generated source.
 */
class FusedLoopEmitter {
  /** Loop-invariant code, before the loop. */
  readonly pre: string[] = [];
  /** Per-element code, inside the loop. */
  readonly loop: string[] = [];
  /** Code after the loop (the log-density total and the invariant reverse pass). */
  readonly post: string[] = [];
  /** Per-segment code before a segment's rows. */
  readonly segPre: string[] = [];
  /** Per-segment code after a segment's rows. */
  readonly segPost: string[] = [];
  /** Sums over the loop, collected first and emitted factored by {@link emitSums}. */
  readonly sums: { sink: Sink; value: SNode }[] = [];
  /** The loop's per-row statements as data, in the order of the JS ones (for wasmLoop.ts). */
  readonly rowStatements: RowStatement[] = [];
  /** After each segment: `adjoint(load) += value` (value reads the segment's accumulators). */
  readonly segmentFlushes: { load: SNode; value: SNode }[] = [];
  readonly segmentAccumulators: string[] = [];
  readonly globalAccumulators: string[] = [];
  /** Whether invariant nodes go before the loop (`main`) or after it (`post`). */
  phase: 'main' | 'post' = 'main';
  /** True when the loop has a single element (no loop is emitted). */
  readonly single: boolean;
  private readonly seg: FusedLoopSpec['segments'];
  private readonly segMemo = new Map<number, boolean>();
  private readonly emitted = new Set<number>();
  /** The counter of the local names of inlined functions (`lm…N`). */
  private inlineNames = 0;
  private readonly known: Map<number, { node: SNode; array: string; offset: number }>;

  constructor(
    private readonly b: IrBuilder,
    private readonly spec: FusedLoopSpec,
  ) {
    this.seg = spec.segments;
    const n = spec.n;
    if (n.level !== 0 || n.param) throw new Error('internal: a loop count must be a loop-invariant, parameter-free node');
    this.single = isConst(n, 1);
    this.known = new Map((spec.known ?? []).map((k) => [k.node.id, k]));
  }

  /** True for a varying node that is constant within a segment. */
  segmentLevel(node: SNode): boolean {
    const seg = this.seg;
    if (!seg || node.level === 0) return false;
    const known = this.segMemo.get(node.id);
    if (known !== undefined) return known;
    let r: boolean;
    if (node === seg.index) r = true;
    else if (node.op === 'index' || node.op === 'var') r = false;
    else r = node.args.every((a) => a.level === 0 || this.segmentLevel(a));
    this.segMemo.set(node.id, r);
    return r;
  }

  /** The JS expression of `node`: a literal or a name, emitting its definition (once) in its region. */
  ensure(node: SNode): string {
    if (node.op === 'const') return literal(node.value as number);
    if (node.op === 'var' || node.op === 'size') return node.code as string;
    const name = `t${node.id}`;
    if (this.emitted.has(node.id)) return name;
    const seg = this.seg;
    let expr: string;
    const stored = this.known.get(node.id);
    if (stored) expr = `${stored.array}[${this.indexCode(stored.offset, this.single || node.level === 0 ? undefined : this.b.index('i'))}]`;
    else if (seg && node === seg.index) expr = `${seg.values}[s]`;
    else if (node.op === 'index') expr = node.code as string;
    else if (node.op === 'load') {
      const ref = node.ref!;
      expr = `${ref.array}[${this.indexCode(ref.offset, node.args[0])}]`;
    } else {
      const def = SCALAR_OPS[node.op];
      if (!def) throw new Error(`internal: unknown scalar op '${node.op}'`);
      const args = node.args.map((a) => this.ensure(a));
      if (def.inline && node.level === 1) {
        // Written in place in the row loop (core/libm/inline.ts): no call for V8 to decline to
        // inline. Work outside the rows (exp(log_sigma) once per call) keeps the call: inlined
        // there it made the function ~2× longer, so a fresh compile ran interpreted longer and
        // TurboFan took longer to compile it, which costs each worker's first chain more than
        // the ~4% it saves per call once optimized (radon non-centered: ~15% less sampling wall).
        this.region(node).push(`let ${name} = 0; ${def.inline(name, args[0], () => String(this.inlineNames++))}`);
        this.emitted.add(node.id);
        return name;
      }
      expr = def.emit(...args);
    }
    this.region(node).push(`const ${name} = ${expr};`);
    this.emitted.add(node.id);
    return name;
  }

  /** The code region where `node`'s definition goes: before the loop, per segment, in the loop, or after it. */
  private region(node: SNode): string[] {
    return node.level === 1 ? (this.segmentLevel(node) ? this.segPre : this.loop) : this.phase === 'main' ? this.pre : this.post;
  }

  /** Emits `node` as a temporary in `region` when it reads accumulators (then it cannot be hoisted). */
  ensureIn(region: string[], node: SNode): string {
    if (node.op === 'const' || node.op === 'var' || node.op === 'size') return this.ensure(node);
    if (!readsVariable(node)) return this.ensure(node);
    const name = `u${node.id}`;
    // Once per region: two sinks can share a total (mu = a[g] + b[g] gives a and b one adjoint).
    let defined = this.definedIn.get(region);
    if (!defined) this.definedIn.set(region, (defined = new Set()));
    if (defined.has(node.id)) return name;
    const expr = SCALAR_OPS[node.op].emit(...node.args.map((a) => this.ensureIn(region, a)));
    region.push(`const ${name} = ${expr};`);
    defined.add(node.id);
    return name;
  }

  /** Per region, the nodes ensureIn has defined there. */
  private readonly definedIn = new WeakMap<string[], Set<number>>();

  /** The index expression `offset + idx` (just `offset` without an index node). */
  indexCode(offset: number | string, idx: SNode | undefined): string {
    if (!idx) return String(offset);
    const s = this.ensure(idx);
    return offset === 0 ? s : `${offset} + ${s}`;
  }

  /** The adjoint slot of a load, or null when its array has no adjoint. */
  adjointTarget(node: SNode): string | null {
    const ref = node.ref!;
    if (!ref.adjoint) return null;
    return `${ref.adjoint}[${this.indexCode(ref.offset, node.args[0])}]`;
  }

  /** Domain checks first, so that nothing below runs on invalid values. */
  emitChecks(): void {
    const fail = this.spec.onCheckFail ?? 'return -Infinity;';
    for (const ch of this.spec.checks ?? []) {
      const x = this.ensure(ch.node);
      const bound = this.ensure(ch.bound);
      const cond = ch.op === 'integer' ? `Number.isInteger(${x})` : `${x} ${ch.op} ${bound}`;
      const stmt = `if (!(${cond})) { ${fail} }`;
      const varying = ch.node.level === 1 || ch.bound.level === 1;
      (varying ? this.loop : this.pre).push(stmt);
      if (varying) this.rowStatements.push({ kind: 'check', node: ch.node, op: ch.op, bound: ch.bound });
    }
  }

  /** The forward outputs, stored per element. */
  emitStores(): void {
    for (const st of this.spec.stores ?? []) {
      this.rowStatements.push({ kind: 'store', array: st.array, offset: st.offset, node: st.node });
      this.loop.push(`${st.array}[${this.indexCode(st.offset, this.single ? undefined : this.b.index('i'))}] = ${this.ensure(st.node)};`);
    }
  }

  /**
   * Splits the log-density terms into varying and invariant ones; the varying ones become sums
   * over the loop. Sums are collected first, then emitted factored: a contribution c·w with c
   * constant over the sum accumulates only w (shared by every sum of the same w) and is
   * multiplied by c once, after the loop (Σ c·w_i = c·Σ w_i).
   */
  collectLpTerms(): LpTerms {
    const terms = this.spec.lpTerms ?? [];
    const varying = terms.filter((t) => t.level === 1);
    const invariant = terms.filter((t) => t.level === 0);
    const root0 = this.b.sum(invariant);
    const hasLp = terms.length > 0;
    for (const t of varying) this.sums.push({ sink: { kind: 'lp' }, value: t });
    return { varying, root0, hasLp };
  }

  /**
   * The reverse pass over the varying part: adjoints of per-element loads are added in the loop
   * (or summed per segment); contributions to invariant nodes become sums or, when invariant
   * themselves, seeds counted `n` times.
   *
   * @returns the seeds of the invariant reverse pass found so far
   */
  varyingReversePass(lp: LpTerms): Seed[] {
    const { b, spec, seg } = this;
    const n = spec.n;
    const invariantSeeds: Seed[] = [];
    const seeds1: Seed[] = [];
    for (const sd of spec.seeds ?? []) (sd.node.level === 1 || sd.seed.level === 1 ? seeds1 : invariantSeeds).push(sd);
    for (const t of lp.varying) seeds1.push({ node: t, seed: b.c(1) });
    if (lp.hasLp && lp.root0.op !== 'const') invariantSeeds.push({ node: lp.root0, seed: n });
    const addVarying = (target: string, value: SNode, load: SNode): void => {
      if (seg && load.args[0] && this.segmentLevel(load.args[0])) this.sums.push({ sink: { kind: 'segment', target, load }, value });
      else {
        this.loop.push(`${target} += ${this.ensure(value)};`);
        this.rowStatements.push({ kind: 'addAdjoint', load, value });
      }
    };
    reversePass(b, seeds1, 1, addVarying, (node) => this.adjointTarget(node), (arg, c) => {
      // An invariant contribution is the same for each of the n elements.
      if (c.level === 0) invariantSeeds.push({ node: arg, seed: b.mul(n, c) });
      else this.sums.push({ sink: { kind: 'global', node: arg }, value: c });
    });
    return invariantSeeds;
  }

  /**
   * Emits the sums: one accumulator per (scope, w); per-segment sums are added to their adjoint
   * slot after each segment, global ones become seeds of the invariant reverse pass.
   *
   * @returns the factored parts of each sink (the `lp` entry is the varying log-density total)
   */
  emitSums(invariantSeeds: Seed[]): Map<string, { sink: Sink; parts: SNode[] }> {
    const b = this.b;
    const accumulators = new Map<string, string>();
    const flushed = new Map<string, { sink: Sink; parts: SNode[] }>();
    const sinkKey = (k: Sink): string => (k.kind === 'lp' ? 'lp' : k.kind === 'global' ? `g${k.node.id}` : `s:${k.target}`);
    for (const { sink, value } of this.sums) {
      const scope = sink.kind === 'segment' ? 'segment' : 'global';
      const constant = (x: SNode): boolean => x.level === 0 || (scope === 'segment' && this.segmentLevel(x));
      const { factor, rest } = factorize(b, value, constant);
      const key = `${scope}:${rest.id}`;
      let acc = accumulators.get(key);
      if (!acc) {
        acc = `${scope === 'segment' ? 'sa' : 'ga'}${accumulators.size}`;
        accumulators.set(key, acc);
        (scope === 'segment' ? this.segPre : this.pre).push(`let ${acc} = 0;`);
        this.loop.push(`${acc} += ${this.ensure(rest)};`);
        (scope === 'segment' ? this.segmentAccumulators : this.globalAccumulators).push(acc);
        this.rowStatements.push({ kind: 'accumulate', acc, value: rest });
      }
      const entry = flushed.get(sinkKey(sink)) ?? { sink, parts: [] };
      entry.parts.push(b.mul(factor, b.variable(acc)));
      flushed.set(sinkKey(sink), entry);
    }
    for (const { sink, parts } of flushed.values()) {
      if (sink.kind === 'segment') {
        const total = b.sum(parts);
        this.segPost.push(`${sink.target} += ${this.ensureIn(this.segPost, total)};`);
        this.segmentFlushes.push({ load: sink.load, value: total });
      } else if (sink.kind === 'global') invariantSeeds.push({ node: sink.node, seed: b.sum(parts) });
    }
    return flushed;
  }

  /** Adds the loop's log-density total (the varying sum plus n times the invariant terms) to `lpTarget`. */
  emitLpTotal(lp: LpTerms, flushed: ReadonlyMap<string, { sink: Sink; parts: SNode[] }>): void {
    const b = this.b;
    const parts: string[] = [];
    const lpSum = flushed.get('lp');
    if (lpSum) parts.push(this.ensure(b.sum(lpSum.parts)));
    const total = b.mul(this.spec.n, lp.root0);
    if (!isConst(total, 0)) parts.push(total.op === 'mul' ? `${this.ensure(total.args[0])} * ${this.ensure(total.args[1])}` : this.ensure(total));
    if (parts.length > 0) this.post.push(`${this.spec.lpTarget ?? 'lp'} += ${parts.join(' + ')};`);
  }

  /** The reverse pass over the loop-invariant part, once, after the loop. */
  invariantReversePass(invariantSeeds: readonly Seed[]): void {
    reversePass(this.b, invariantSeeds, 0, (target, value) => this.post.push(`${target} += ${this.ensure(value)};`), (node) => this.adjointTarget(node), () => {
      throw new Error('internal: invariant node with a varying argument');
    });
  }

  /** The loop as data (see wasmLoop.ts), after {@link emitSums}. */
  wasmPlan(): WasmLoopPlan {
    const seg = this.seg;
    const plan = {
      segments: seg ? { index: seg.index, starts: seg.starts, values: seg.values } : undefined,
      rows: this.rowStatements,
      segmentAccumulators: this.segmentAccumulators,
      globalAccumulators: this.globalAccumulators,
      flushes: this.segmentFlushes,
      segmentLevel: (node: SNode) => this.segmentLevel(node),
      known: new Map([...this.known].filter(([, k]) => k.node.level === 1).map(([id, k]) => [id, { array: k.array, offset: k.offset }])),
    };
    return { ...plan, params: collectWasmParams(plan) };
  }

  /** The block: code before the loop, the loop (by segment, single element or plain), code after it. */
  assemble(count: string, segCount: string): string {
    const seg = this.seg;
    const body: string[] = ['{', ...this.pre];
    if (seg) {
      body.push(
        `for (let s = 0; s < ${segCount}; s++) {`,
        `const lo = ${seg.starts}[s], hi = ${seg.starts}[s + 1];`,
        ...this.segPre,
        'for (let i = lo; i < hi; i++) {',
        ...this.loop,
        '}',
        ...this.segPost,
        '}',
      );
    } else if (this.loop.length > 0) {
      if (this.single) body.push('{ const i = 0;', ...this.loop, '}');
      else body.push(`for (let i = 0; i < ${count}; i++) {`, ...this.loop, '}');
    }
    body.push(...this.post, '}');
    return body.join('\n');
  }
}

/** True when `node` reads a variable (an accumulator) directly or through its arguments. */
function readsVariable(node: SNode): boolean {
  return node.op === 'var' || node.args.some(readsVariable);
}

/**
 * Splits `value` into factor · rest, where the factor collects every multiplicative part that
 * `constant` accepts (so it can be applied once after a sum) and rest is what varies.
 */
export function factorize(b: IrBuilder, value: SNode, constant: (x: SNode) => boolean): { factor: SNode; rest: SNode } {
  if (constant(value)) return { factor: value, rest: b.c(1) };
  switch (value.op) {
    case 'mul': {
      const x = factorize(b, value.args[0], constant);
      const y = factorize(b, value.args[1], constant);
      return { factor: b.mul(x.factor, y.factor), rest: b.mul(x.rest, y.rest) };
    }
    case 'neg': {
      const x = factorize(b, value.args[0], constant);
      return { factor: b.neg(x.factor), rest: x.rest };
    }
    case 'square': {
      const x = factorize(b, value.args[0], constant);
      if (x.factor.op === 'const' && x.factor.value === 1) return { factor: x.factor, rest: value };
      return { factor: b.square(x.factor), rest: b.square(x.rest) };
    }
    default:
      return { factor: b.c(1), rest: value };
  }
}

/**
 * Reverse-mode accumulation over the nodes of one level, from the given seeds, in decreasing id
 * order (ids are a topological order: arguments are always built before their users).
 */
function reversePass(
  b: IrBuilder,
  seeds: readonly { node: SNode; seed: SNode }[],
  level: 0 | 1,
  emitAdd: (target: string, value: SNode, load: SNode) => void,
  adjointTarget: (load: SNode) => string | null,
  toOtherLevel: (arg: SNode, contribution: SNode) => void,
): void {
  const contribs = new Map<number, SNode[]>();
  const nodes = new Map<number, SNode>();
  const visit = (node: SNode): void => {
    if (nodes.has(node.id) || node.level !== level || !node.param) return;
    nodes.set(node.id, node);
    for (const a of node.args) visit(a);
  };
  for (const s of seeds) {
    if (!s.node.param) continue;
    if (s.node.level !== level) {
      toOtherLevel(s.node, s.seed);
      continue;
    }
    visit(s.node);
    const list = contribs.get(s.node.id) ?? [];
    list.push(s.seed);
    contribs.set(s.node.id, list);
  }
  const order = [...nodes.values()].sort((x, y) => y.id - x.id);
  for (const node of order) {
    const cs = contribs.get(node.id);
    if (!cs || cs.length === 0) continue;
    const g = b.sum(cs);
    if (node.op === 'load') {
      const target = adjointTarget(node);
      if (target) emitAdd(target, g, node);
      continue;
    }
    if (node.op === 'index' || node.op === 'const' || node.op === 'var') continue;
    const rule = SCALAR_OPS[node.op];
    const parts = rule.grad(b, node, g);
    node.args.forEach((arg, k) => {
      const c = parts[k];
      if (!c || !arg.param) return;
      if (arg.level === level) {
        const list = contribs.get(arg.id) ?? [];
        list.push(c);
        contribs.set(arg.id, list);
      } else toOtherLevel(arg, c);
    });
  }
}
