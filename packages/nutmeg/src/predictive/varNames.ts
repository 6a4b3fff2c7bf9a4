// Which variables a predictive function returns: the observed ones by default, or the names asked for, checked.
import { OptionError } from '../core/errors.js';
import type { ModelSpec, VariableSpec } from '../graph/graph.js';

/**
 * The variables named in `varNames` (default: every observed variable), in model order.
 *
 * @throws OptionError naming an unknown name, or one of a kind the function cannot produce
 */
export function pickVariables(spec: ModelSpec, varNames: readonly string[] | undefined, allowed: readonly VariableSpec['kind'][]): VariableSpec[] {
  if (varNames === undefined) return spec.variables.filter((v) => v.kind === 'observed');
  if (!Array.isArray(varNames)) throw new OptionError('varNames', `must be an array of variable names, got ${JSON.stringify(varNames)}`);
  for (const name of varNames) {
    const v = spec.variables.find((x) => x.name === name);
    if (!v) throw new OptionError('varNames', `the model has no variable '${name}' (its variables: ${spec.variables.map((x) => x.name).join(', ')})`);
    if (!allowed.includes(v.kind)) throw new OptionError('varNames', `'${name}' is ${v.kind === 'data' ? 'data' : `a ${v.kind} variable`}; this function gives ${allowed.join(' and ')} variables`);
  }
  return spec.variables.filter((v) => varNames.includes(v.name));
}
