// The plain draws JSON format, {"<name>": [[chain 0 draws], [chain 1 draws], …], …}, read into and written from InferenceData.
import { checkInferenceData } from '../posterior/inferenceDataArgument.js';
import { stringArgument } from '../core/argumentChecks.js';
import { InputError } from '../core/errors.js';
import { type InferenceData, shapeSize, type VariableArray } from '../posterior/inferenceData.js';
import { flattenNested, parseJsonText, setOwn, shortList, shortName } from './nestedArrays.js';

/** `alpha[0]`, `L[1,2]`: a name with 0-based integer indices. */
const ELEMENT_KEY = /^(.+)\[(\d+(?:\s*,\s*\d+)*)\]$/;

interface Pending {
  name: string;
  /** Element index → flat (chain, draw) values; for a whole variable, element key ''. */
  elements: Map<string, { index: number[]; values: Float64Array; extraShape: number[] }>;
  scalar: boolean;
}

/**
 * Reads the plain draws JSON format: an object whose keys are parameter names and whose values
 * are `draws[chain][draw]`. Elements of a vector or array parameter are written as separate keys
 * `"alpha[0]"`, `"alpha[1]"`, … (0-based; `"L[0,1]"` for matrices) and are gathered back into one
 * variable; a value nested deeper than chain × draw is taken as a whole array variable.
 *
 * @param text - JSON text
 * @param fileName - named in error messages
 * @returns InferenceData with a `posterior` group
 * @throws InputError naming the file, variable and position of bad JSON, ragged chains, non-numeric
 *   cells, missing elements, or variables with different numbers of chains or draws
 * @example
 * const idata = fromDrawsJson('{"mu": [[0.1, 0.3], [0.2, 0.0]]}', 'draws.json');
 * idata.nChains; // 2
 */
export function fromDrawsJson(text: string, fileName?: string): InferenceData {
  stringArgument(text, 'text', 'fromDrawsJson', "the JSON file's contents, e.g. readFileSync(path, 'utf8')");
  const file = fileName ?? 'draws JSON';
  const data = parseJsonText(text, file);
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new InputError(`${file}: expected an object {"<name>": [[chain 0 draws], [chain 1 draws], …]}, got ${Array.isArray(data) ? 'an array' : typeof data}`);
  }
  const entries = Object.entries(data as Record<string, unknown>);
  if (entries.length === 0) throw new InputError(`${file}: no variables`);
  let nChains = -1;
  let nDraws = -1;
  let first = '';
  const vars = new Map<string, Pending>();
  for (const [key, value] of entries) {
    const where = { file, what: `variable '${shortName(key)}'` };
    if (!Array.isArray(value)) {
      throw new InputError(`${file}: variable '${shortName(key)}': expected draws[chain][draw] (an array of chains), got ${value === null ? 'null' : typeof value}`);
    }
    if (value.length > 0 && !Array.isArray(value[0])) {
      throw new InputError(`${file}: variable '${shortName(key)}': expected draws[chain][draw], an array of chains each an array of draws; got a flat array (wrap a single chain in [ ])`);
    }
    const { shape, values } = flattenNested(value, where, ['chain', 'draw'], false);
    const [c, d] = [shape[0], shape[1] ?? 0];
    if (nChains < 0) {
      [nChains, nDraws, first] = [c, d, key];
    } else if (c !== nChains || d !== nDraws) {
      throw new InputError(
        `${file}: variable '${shortName(key)}' has ${c} chains × ${d} draws, but '${shortName(first)}' has ${nChains} × ${nDraws}; all variables must have the same chains and draws`,
      );
    }
    const m = ELEMENT_KEY.exec(key);
    const name = m ? m[1] : key;
    const index = m ? m[2].split(',').map((s) => Number(s.trim())) : [];
    let p = vars.get(name);
    if (!p) {
      p = { name, elements: new Map(), scalar: !m };
      vars.set(name, p);
    } else if (p.scalar || !m) {
      throw new InputError(`${file}: variable '${shortName(name)}' is given both whole and by element ('${shortName(key)}')`);
    }
    p.elements.set(index.join(','), { index, values, extraShape: shape.slice(2) });
  }
  const posterior: Record<string, VariableArray> = {};
  for (const p of vars.values()) setOwn(posterior, p.name, assemble(p, nChains, nDraws, file));
  return { nChains, nDraws, groups: { posterior: { vars: posterior, attrs: {} } }, coords: {}, attrs: { source: file } };
}

/** Gathers the elements of one variable into a row-major (chain, draw, …element) array. */
function assemble(p: Pending, nChains: number, nDraws: number, file: string): VariableArray {
  if (p.scalar) {
    const e = p.elements.get('')!;
    return { dims: e.extraShape.map((_, a) => `${p.name}_dim_${a}`), shape: e.extraShape, values: e.values };
  }
  const list = [...p.elements.values()];
  const rank = list[0].index.length;
  for (const e of list) {
    if (e.index.length !== rank) {
      throw new InputError(`${file}: variable '${shortName(p.name)}': elements have different numbers of indices (${shortName(p.name)}[${shortList(list[0].index, ',')}] and ${shortName(p.name)}[${shortList(e.index, ',')}])`);
    }
    if (e.extraShape.length > 0) {
      throw new InputError(`${file}: variable '${shortName(p.name)}[${shortList(e.index, ',')}]': an element must hold draws[chain][draw] of numbers`);
    }
  }
  const shape = new Array<number>(rank).fill(0);
  for (const e of list) for (let a = 0; a < rank; a++) shape[a] = Math.max(shape[a], e.index[a] + 1);
  const k = shapeSize(shape);
  if (list.length !== k) {
    const missing: string[] = [];
    for (let f = 0; f < k && missing.length < 3; f++) {
      const idx = unflatten(f, shape);
      if (!p.elements.has(idx.join(','))) missing.push(`${shortName(p.name)}[${shortList(idx, ',')}]`);
    }
    throw new InputError(`${file}: variable '${shortName(p.name)}': element ${missing.join(', ')} is missing (the largest indices imply shape [${shortList(shape)}])`);
  }
  const values = new Float64Array(nChains * nDraws * k);
  for (const e of list) {
    const f = flatten(e.index, shape);
    for (let cd = 0; cd < nChains * nDraws; cd++) values[cd * k + f] = e.values[cd];
  }
  return { dims: shape.map((_, a) => `${p.name}_dim_${a}`), shape, values };
}

/** Row-major flat index of a multi-index. */
export function flatten(index: readonly number[], shape: readonly number[]): number {
  let f = 0;
  for (let a = 0; a < shape.length; a++) f = f * shape[a] + index[a];
  return f;
}

/** Multi-index of a row-major flat index. */
export function unflatten(f: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  let rest = f;
  for (let a = shape.length - 1; a >= 0; a--) {
    idx[a] = rest % shape[a];
    rest = Math.floor(rest / shape[a]);
  }
  return idx;
}

/**
 * Writes a sampled group (default `posterior`) in the plain draws JSON format, one key per
 * element (`"alpha[0]"`, 0-based), NaN written as null.
 *
 * @param idata - results
 * @param group - a sampled group (default `posterior`)
 * @returns JSON text
 * @throws InputError when the group is missing
 */
export function toDrawsJson(idata: InferenceData, group: 'posterior' | 'sample_stats' | 'prior' | 'posterior_predictive' | 'log_likelihood' = 'posterior'): string {
  checkInferenceData(idata, 'toDrawsJson');
  if (typeof group !== 'string' || !Object.hasOwn(idata.groups, group)) throw new InputError(`toDrawsJson: the results have no '${String(group)}' group`);
  const g = idata.groups[group];
  if (!g) throw new InputError(`toDrawsJson: the results have no '${group}' group`);
  const out: Record<string, (number | null)[][]> = {};
  for (const [name, v] of Object.entries(g.vars)) {
    const k = shapeSize(v.shape);
    for (let e = 0; e < k; e++) {
      const key = v.shape.length === 0 ? name : `${name}[${unflatten(e, v.shape).join(',')}]`;
      const chains: (number | null)[][] = [];
      for (let c = 0; c < idata.nChains; c++) {
        const row: (number | null)[] = new Array(idata.nDraws);
        for (let d = 0; d < idata.nDraws; d++) {
          const x = v.values[(c * idata.nDraws + d) * k + e];
          row[d] = Number.isFinite(x) ? x : null;
        }
        chains.push(row);
      }
      setOwn(out, key, chains);
    }
  }
  return JSON.stringify(out);
}
