// Generates the JS of one fused loop: forward values, log-density terms and their reverse pass.
//
// Everything per element is scalar code in local constants; loop-invariant work is hoisted before
// the loop; adjoints that flow into loop invariants are summed in local accumulators and pushed
// through the invariant part once, after the loop. Additive log-density terms that do not vary
// with the element are counted `n` times instead of being computed `n` times.
import { IrBuilder, type SNode } from './scalarIr.js';
import { SCALAR_OPS } from './scalarOps.js';

/** A runtime domain check: when it fails, the generated code runs `FusedLoopSpec.onCheckFail`. */
export interface DomainCheck {
  readonly node: SNode;
  readonly op: '>' | '>=' | '<' | '<=' | 'integer';
  readonly bound: SNode;
}

/** What one fused loop computes. */
export interface FusedLoopSpec {
  /** Number of elements (iterations). */
  readonly n: number;
  /** Per-element additive log-density terms; their total over the loop is added to `lpTarget`. */
  readonly lpTerms?: readonly SNode[];
  /** JS lvalue that receives the log-density total (default `lp`). */
  readonly lpTarget?: string;
  /** Forward outputs: `array[offset + i] = node`. */
  readonly stores?: readonly { node: SNode; array: string; offset: number }[];
  /** Reverse-mode seeds: the adjoint `seed` flows into `node` (per element). */
  readonly seeds?: readonly { node: SNode; seed: SNode }[];
  /** Whether to emit the reverse pass (gradients) of `lpTerms` and `seeds`. */
  readonly gradient: boolean;
  /** Domain checks (support, parameter constraints). */
  readonly checks?: readonly DomainCheck[];
  /** JS statement run when a check fails (default: `return -Infinity;`). */
  readonly onCheckFail?: string;
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
  const emitted = new Set<number>();
  let phase: 'main' | 'post' = 'main';
  const n = spec.n;

  const ensure = (node: SNode): string => {
    if (node.op === 'const') return literal(node.value as number);
    if (node.op === 'var') return node.code as string;
    const name = `t${node.id}`;
    if (emitted.has(node.id)) return name;
    let expr: string;
    if (node.op === 'index') expr = node.code as string;
    else if (node.op === 'load') {
      const ref = node.ref!;
      expr = `${ref.array}[${indexCode(ref.offset, node.args[0])}]`;
    } else {
      const def = SCALAR_OPS[node.op];
      if (!def) throw new Error(`internal: unknown scalar op '${node.op}'`);
      expr = def.emit(...node.args.map(ensure));
    }
    const region = node.level === 1 ? loop : phase === 'main' ? pre : post;
    region.push(`const ${name} = ${expr};`);
    emitted.add(node.id);
    return name;
  };
  const indexCode = (offset: number, idx: SNode | undefined): string => {
    if (!idx) return String(offset);
    const s = ensure(idx);
    return offset === 0 ? s : `${offset} + ${s}`;
  };
  const adjointTarget = (node: SNode): string | null => {
    const ref = node.ref!;
    if (!ref.adjoint) return null;
    return `${ref.adjoint}[${indexCode(ref.offset, node.args[0])}]`;
  };

  // Domain checks first, so that nothing below runs on invalid values.
  const fail = spec.onCheckFail ?? 'return -Infinity;';
  for (const ch of spec.checks ?? []) {
    const x = ensure(ch.node);
    const bound = ensure(ch.bound);
    const cond = ch.op === 'integer' ? `Number.isInteger(${x})` : `${x} ${ch.op} ${bound}`;
    const stmt = `if (!(${cond})) { ${fail} }`;
    (ch.node.level === 1 || ch.bound.level === 1 ? loop : pre).push(stmt);
  }

  for (const st of spec.stores ?? []) loop.push(`${st.array}[${indexCode(st.offset, n === 1 ? undefined : b.index('i'))}] = ${ensure(st.node)};`);

  const terms = spec.lpTerms ?? [];
  const varying = terms.filter((t) => t.level === 1);
  const invariant = terms.filter((t) => t.level === 0);
  const root1 = b.sum(varying);
  const root0 = b.sum(invariant);
  const lpTarget = spec.lpTarget ?? 'lp';
  const lpAcc = `s${root1.id}_${root0.id}`;
  const hasLp = terms.length > 0;
  if (hasLp && root1.op !== 'const') {
    pre.push(`let ${lpAcc} = 0;`);
    loop.push(`${lpAcc} += ${ensure(root1)};`);
  }

  // Reverse pass over the varying part.
  const accumulators = new Map<number, { node: SNode; name: string }>();
  const invariantSeeds: { node: SNode; seed: SNode }[] = [];
  if (spec.gradient) {
    const seeds1: { node: SNode; seed: SNode }[] = [];
    for (const s of spec.seeds ?? []) (s.node.level === 1 || s.seed.level === 1 ? seeds1 : invariantSeeds).push(s);
    if (hasLp && root1.op !== 'const') seeds1.push({ node: root1, seed: b.c(1) });
    if (hasLp && root0.op !== 'const') invariantSeeds.push({ node: root0, seed: b.c(n) });
    // Level-1 reverse: contributions into level-0 nodes go to accumulators (or are counted n times).
    reversePass(b, seeds1, 1, (stmtTarget, value) => loop.push(`${stmtTarget} += ${ensure(value)};`), adjointTarget, (arg, c) => {
      if (c.level === 0) {
        invariantSeeds.push({ node: arg, seed: b.mul(b.c(n), c) });
        return;
      }
      let acc = accumulators.get(arg.id);
      if (!acc) {
        acc = { node: arg, name: `acc${arg.id}` };
        accumulators.set(arg.id, acc);
        pre.push(`let ${acc.name} = 0;`);
      }
      loop.push(`${acc.name} += ${ensure(c)};`);
    });
  }

  // Assemble: pre, the loop, then the invariant reverse pass.
  phase = 'post';
  if (hasLp) {
    const parts: string[] = [];
    if (root1.op !== 'const') parts.push(lpAcc);
    if (root0.op === 'const') {
      if (root0.value !== 0) parts.push(literal(n * (root0.value as number)));
    } else parts.push(n === 1 ? ensure(root0) : `${n} * ${ensure(root0)}`);
    if (parts.length > 0) post.push(`${lpTarget} += ${parts.join(' + ')};`);
  }
  if (spec.gradient) {
    for (const acc of accumulators.values()) invariantSeeds.push({ node: acc.node, seed: b.variable(acc.name) });
    reversePass(b, invariantSeeds, 0, (target, value) => post.push(`${target} += ${ensure(value)};`), adjointTarget, () => {
      throw new Error('internal: invariant node with a varying argument');
    });
  }

  const body: string[] = ['{', ...pre];
  if (loop.length > 0) {
    if (n === 1) body.push('{ const i = 0;', ...loop, '}');
    else body.push(`for (let i = 0; i < ${n}; i++) {`, ...loop, '}');
  }
  body.push(...post, '}');
  return body.join('\n');
}

/**
 * Reverse-mode accumulation over the nodes of one level, from the given seeds, in decreasing id
 * order (ids are a topological order: arguments are always built before their users).
 */
function reversePass(
  b: IrBuilder,
  seeds: readonly { node: SNode; seed: SNode }[],
  level: 0 | 1,
  emitAdd: (target: string, value: SNode) => void,
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
      if (target) emitAdd(target, g);
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
