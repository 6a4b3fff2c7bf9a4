// Generates the JS of one fused loop: forward values, log-density terms and their reverse pass.
//
// Everything per element is scalar code in local constants; loop-invariant work is hoisted before
// the loop; adjoints that flow into loop invariants are summed in local accumulators and pushed
// through the invariant part once, after the loop. Additive log-density terms that do not vary
// with the element are counted `n` times instead of being computed `n` times.
import { IrBuilder, isConst, type SNode } from './scalarIr.js';
import { SCALAR_OPS } from './scalarOps.js';

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
  const pre: string[] = [];
  const loop: string[] = [];
  const post: string[] = [];
  const segPre: string[] = [];
  const segPost: string[] = [];
  const seg = spec.segments;
  const segMemo = new Map<number, boolean>();
  /** True for a varying node that is constant within a segment. */
  const segmentLevel = (node: SNode): boolean => {
    if (!seg || node.level === 0) return false;
    const known = segMemo.get(node.id);
    if (known !== undefined) return known;
    let r: boolean;
    if (node === seg.index) r = true;
    else if (node.op === 'index' || node.op === 'var') r = false;
    else r = node.args.every((a) => a.level === 0 || segmentLevel(a));
    segMemo.set(node.id, r);
    return r;
  };
  const emitted = new Set<number>();
  let phase: 'main' | 'post' = 'main';
  const n = spec.n;
  if (n.level !== 0 || n.param) throw new Error('internal: a loop count must be a loop-invariant, parameter-free node');
  const single = isConst(n, 1);
  const known = new Map((spec.known ?? []).map((k) => [k.node.id, k]));

  const ensure = (node: SNode): string => {
    if (node.op === 'const') return literal(node.value as number);
    if (node.op === 'var' || node.op === 'size') return node.code as string;
    const name = `t${node.id}`;
    if (emitted.has(node.id)) return name;
    let expr: string;
    const stored = known.get(node.id);
    if (stored) expr = `${stored.array}[${indexCode(stored.offset, single || node.level === 0 ? undefined : b.index('i'))}]`;
    else if (seg && node === seg.index) expr = `${seg.values}[s]`;
    else if (node.op === 'index') expr = node.code as string;
    else if (node.op === 'load') {
      const ref = node.ref!;
      expr = `${ref.array}[${indexCode(ref.offset, node.args[0])}]`;
    } else {
      const def = SCALAR_OPS[node.op];
      if (!def) throw new Error(`internal: unknown scalar op '${node.op}'`);
      expr = def.emit(...node.args.map(ensure));
    }
    const region = node.level === 1 ? (segmentLevel(node) ? segPre : loop) : phase === 'main' ? pre : post;
    region.push(`const ${name} = ${expr};`);
    emitted.add(node.id);
    return name;
  };
  /** Emits `node` as a temporary in `region` when it reads accumulators (then it cannot be hoisted). */
  const ensureIn = (region: string[], node: SNode): string => {
    if (node.op === 'const' || node.op === 'var' || node.op === 'size') return ensure(node);
    if (!readsVariable(node)) return ensure(node);
    const expr = SCALAR_OPS[node.op].emit(...node.args.map((a) => ensureIn(region, a)));
    const name = `u${node.id}`;
    region.push(`const ${name} = ${expr};`);
    return name;
  };
  const indexCode = (offset: number | string, idx: SNode | undefined): string => {
    if (!idx) return String(offset);
    const s = ensure(idx);
    return offset === 0 ? s : `${offset} + ${s}`;
  };
  const adjointTarget = (node: SNode): string | null => {
    const ref = node.ref!;
    if (!ref.adjoint) return null;
    return `${ref.adjoint}[${indexCode(ref.offset, node.args[0])}]`;
  };

  // The loop counts, defined before the loop (a size node is only a name).
  const count = single ? '1' : ensure(n);
  const segCount = seg ? ensure(seg.count) : '';

  // Domain checks first, so that nothing below runs on invalid values.
  const fail = spec.onCheckFail ?? 'return -Infinity;';
  for (const ch of spec.checks ?? []) {
    const x = ensure(ch.node);
    const bound = ensure(ch.bound);
    const cond = ch.op === 'integer' ? `Number.isInteger(${x})` : `${x} ${ch.op} ${bound}`;
    const stmt = `if (!(${cond})) { ${fail} }`;
    (ch.node.level === 1 || ch.bound.level === 1 ? loop : pre).push(stmt);
  }

  for (const st of spec.stores ?? []) loop.push(`${st.array}[${indexCode(st.offset, single ? undefined : b.index('i'))}] = ${ensure(st.node)};`);

  // Sums over the loop are collected first, then emitted factored: a contribution c·w with c
  // constant over the sum accumulates only w (shared by every sum of the same w) and is multiplied
  // by c once, after the loop (Σ c·w_i = c·Σ w_i).
  type Sink = { kind: 'lp' } | { kind: 'global'; node: SNode } | { kind: 'segment'; target: string };
  const sums: { sink: Sink; value: SNode }[] = [];

  const terms = spec.lpTerms ?? [];
  const varying = terms.filter((t) => t.level === 1);
  const invariant = terms.filter((t) => t.level === 0);
  const root0 = b.sum(invariant);
  const lpTarget = spec.lpTarget ?? 'lp';
  const hasLp = terms.length > 0;
  for (const t of varying) sums.push({ sink: { kind: 'lp' }, value: t });

  // Reverse pass over the varying part.
  const invariantSeeds: { node: SNode; seed: SNode }[] = [];
  if (spec.gradient) {
    const seeds1: { node: SNode; seed: SNode }[] = [];
    for (const sd of spec.seeds ?? []) (sd.node.level === 1 || sd.seed.level === 1 ? seeds1 : invariantSeeds).push(sd);
    for (const t of varying) seeds1.push({ node: t, seed: b.c(1) });
    if (hasLp && root0.op !== 'const') invariantSeeds.push({ node: root0, seed: n });
    const addVarying = (target: string, value: SNode, load: SNode): void => {
      if (seg && load.args[0] && segmentLevel(load.args[0])) sums.push({ sink: { kind: 'segment', target }, value });
      else loop.push(`${target} += ${ensure(value)};`);
    };
    reversePass(b, seeds1, 1, addVarying, adjointTarget, (arg, c) => {
      // An invariant contribution is the same for each of the n elements.
      if (c.level === 0) invariantSeeds.push({ node: arg, seed: b.mul(n, c) });
      else sums.push({ sink: { kind: 'global', node: arg }, value: c });
    });
  }

  // Emit the sums: one accumulator per (scope, w).
  const accumulators = new Map<string, string>();
  const flushed = new Map<string, { sink: Sink; parts: SNode[] }>();
  const sinkKey = (k: Sink): string => (k.kind === 'lp' ? 'lp' : k.kind === 'global' ? `g${k.node.id}` : `s:${k.target}`);
  for (const { sink, value } of sums) {
    const scope = sink.kind === 'segment' ? 'segment' : 'global';
    const constant = (x: SNode): boolean => x.level === 0 || (scope === 'segment' && segmentLevel(x));
    const { factor, rest } = factorize(b, value, constant);
    const key = `${scope}:${rest.id}`;
    let acc = accumulators.get(key);
    if (!acc) {
      acc = `${scope === 'segment' ? 'sa' : 'ga'}${accumulators.size}`;
      accumulators.set(key, acc);
      (scope === 'segment' ? segPre : pre).push(`let ${acc} = 0;`);
      loop.push(`${acc} += ${ensure(rest)};`);
    }
    const entry = flushed.get(sinkKey(sink)) ?? { sink, parts: [] };
    entry.parts.push(b.mul(factor, b.variable(acc)));
    flushed.set(sinkKey(sink), entry);
  }
  for (const { sink, parts } of flushed.values()) {
    if (sink.kind === 'segment') {
      segPost.push(`${sink.target} += ${ensureIn(segPost, b.sum(parts))};`);
    } else if (sink.kind === 'global') invariantSeeds.push({ node: sink.node, seed: b.sum(parts) });
  }

  // Assemble: pre, the loop, then the invariant reverse pass.
  phase = 'post';
  if (hasLp) {
    const parts: string[] = [];
    const lpSum = flushed.get('lp');
    if (lpSum) parts.push(ensure(b.sum(lpSum.parts)));
    const total = b.mul(n, root0);
    if (!isConst(total, 0)) parts.push(total.op === 'mul' ? `${ensure(total.args[0])} * ${ensure(total.args[1])}` : ensure(total));
    if (parts.length > 0) post.push(`${lpTarget} += ${parts.join(' + ')};`);
  }
  if (spec.gradient) {
    reversePass(b, invariantSeeds, 0, (target, value) => post.push(`${target} += ${ensure(value)};`), adjointTarget, () => {
      throw new Error('internal: invariant node with a varying argument');
    });
  }

  const body: string[] = ['{', ...pre];
  if (seg) {
    body.push(
      `for (let s = 0; s < ${segCount}; s++) {`,
      `const lo = ${seg.starts}[s], hi = ${seg.starts}[s + 1];`,
      ...segPre,
      'for (let i = lo; i < hi; i++) {',
      ...loop,
      '}',
      ...segPost,
      '}',
    );
  } else if (loop.length > 0) {
    if (single) body.push('{ const i = 0;', ...loop, '}');
    else body.push(`for (let i = 0; i < ${count}; i++) {`, ...loop, '}');
  }
  body.push(...post, '}');
  return body.join('\n');
}

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
