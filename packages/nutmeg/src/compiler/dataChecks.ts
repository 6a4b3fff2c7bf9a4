// Compile-time domain checks: constraints that involve only data (an observed count ≥ 0, a constant scale > 0) are verified once, with a precise error.
import { ModelError } from '../core/errors.js';
import { emitFusedLoop, type DomainCheck } from '../ir/fusedLoop.js';
import { IrBuilder, type SNode } from '../ir/scalarIr.js';
import type { ElementwiseDistribution } from '../distributions/distribution.js';
import { ELEMENTWISE, type CompileContext } from './context.js';
import { countOf } from './integers.js';
import { makeLowering } from './lower.js';
import { plan } from './plan.js';

/**
 * Runs every data-only domain check of every distribution term (parameter-dependent ones run in
 * the generated programs).
 *
 * @throws ModelError naming the variable, the value or parameter, the rule and the first element that violates it
 */
export function checkDataConstraints(ctx: CompileContext): void {
  const checkPlan = plan(ctx, ctx.spec.terms, [], false).materialized;
  for (const t of ctx.spec.terms) {
    if (t.kind !== 'dist') continue;
    const b = new IrBuilder();
    const { lower } = makeLowering(ctx, b, checkPlan, false);
    const x = lower(t.value, t.value);
    const p: Record<string, SNode> = {};
    for (const [k, id] of Object.entries(t.params)) p[k] = lower(id, t.value);
    const dist = ELEMENTWISE[t.dist];
    const all = dist.logp(b, x, p).checks;
    const describe = checkDescriber(dist, Object.keys(p));
    all.forEach((c, k) => {
      if (c.node.param || c.bound.param) return;
      const fn = ctx.env.compile<() => number>([], emitFusedLoop(b, { n: countOf(ctx, b, t.value), gradient: false, checks: [c], onCheckFail: `return typeof i === 'number' ? i : 0;` }) + '\nreturn -1;');
      const bad = fn();
      if (bad >= 0) {
        const isObserved = ctx.spec.variables.some((v) => v.name === t.variable && v.kind === 'observed');
        throw new ModelError(`${dist.name} '${t.variable}': ${describe(c, k, isObserved)} (violated at element ${bad})`, t.variable);
      }
    });
  }
}

/**
 * Words for check `k` of a family: which of value and parameters it is about and what it requires.
 * The same checks are built over placeholders to tell (equal constants share one IR node, so
 * identity on the real nodes cannot tell mu = 0 from sigma = 0).
 */
function checkDescriber(dist: ElementwiseDistribution, paramNames: readonly string[]): (c: DomainCheck, k: number, isObserved: boolean) => string {
  const pb = new IrBuilder();
  const xh = pb.variable('__value');
  const ph: Record<string, SNode> = {};
  for (const key of paramNames) ph[key] = pb.variable(`__${key}`);
  const placeholderChecks = dist.logp(pb, xh, ph).checks;
  const mentions = (node: SNode, target: SNode): boolean => node === target || node.args.some((a) => mentions(a, target));
  const subjectOf = (node: SNode): string | undefined => (mentions(node, xh) ? 'value' : Object.keys(ph).find((key) => mentions(node, ph[key])));
  return (c, k, isObserved) => {
    const pc = placeholderChecks[k];
    const who = subjectOf(pc.node) ?? subjectOf(pc.bound) ?? `check ${k}`;
    const subject = who === 'value' ? (isObserved ? 'observed value' : 'value') : `parameter '${who}'`;
    const boundName = subjectOf(pc.bound);
    const boundValue = c.bound.op === 'const' ? String(c.bound.value) : undefined;
    const bound = boundName === 'value' ? 'the value' : boundName && boundValue ? `${boundValue} (${boundName})` : (boundValue ?? boundName ?? 'its bound');
    const rule = c.op === 'integer' ? 'must be an integer' : `must be ${c.op} ${bound}`;
    return `${subject} ${rule}`;
  };
}
