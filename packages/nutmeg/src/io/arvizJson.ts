// InferenceData ↔ JSON in the layout of ArviZ's InferenceData.to_json / az.from_json.
import { checkInferenceData } from '../posterior/inferenceDataArgument.js';
import { stringArgument } from '../core/argumentChecks.js';
import { InputError } from '../core/errors.js';
import {
  type CoordValues,
  type Group,
  type GroupName,
  type InferenceData,
  shapeSize,
  type VariableArray,
} from '../posterior/inferenceData.js';
import { arvizJsonChunks, GROUP_ORDER, SAMPLED_GROUPS } from './arvizJsonWriter.js';
import { flattenNested, getOwn, parseJsonText, setOwn, shortList, shortName, show } from './nestedArrays.js';

export { arvizJsonChunks } from './arvizJsonWriter.js';

/**
 * Serialises results as ArviZ's `InferenceData.to_json` does (`to_dict` layout): one key per group
 * holding `{var: nested lists}` (chain, draw, … for sampled groups), `<group>_attrs`, and top-level
 * `coords`, `dims` and `attrs`. The file loads in Python with `az.from_json`. Numbers of chains and
 * draws are implied by the shapes. Non-finite values are written as `null` (JSON has no NaN).
 *
 * Unlike ArviZ, `dims` lists the dims of every variable that has element axes, also those without
 * coords (e.g. `alpha_dim_0`), so that a round trip keeps dim names.
 *
 * The whole text is one string, which V8 caps at 2^29 − 24 characters (about 25 million numbers):
 * to write a file of any size, pass {@link arvizJsonChunks} to `writeFileAtomic` (`nutmeg/node`).
 *
 * @param idata - results
 * @returns JSON text
 * @throws OptionError when `idata` is not InferenceData; RangeError (`Invalid string length`) when
 *   the text would exceed V8's string limit (write such results with {@link arvizJsonChunks})
 * @example
 * declare const idata: InferenceData; // e.g. from sample()
 * const text = toArvizJson(idata);
 * const back = fromArvizJson(text); // same groups, shapes, values, coords
 */
export function toArvizJson(idata: InferenceData): string {
  checkInferenceData(idata, 'toArvizJson');
  return [...arvizJsonChunks(idata)].join('');
}

/**
 * Reads results from ArviZ JSON (`InferenceData.to_json`, or `toArvizJson`). Groups nutmeg does not
 * model (e.g. `prior_predictive`, `warmup_posterior`) are skipped. `null` values are read as NaN,
 * and the bare `NaN`/`Infinity` that Python writes are accepted.
 *
 * @param text - JSON text
 * @param fileName - named in error messages
 * @returns the results
 * A sampled group whose numbers of chains and draws differ from the posterior's (e.g. a prior of
 * 1 × 500 draws) is skipped, since nutmeg keeps one count for all sampled groups; its name is
 * listed in `attrs.skipped_groups`.
 *
 * @throws InputError naming the file, group, variable and position of malformed content, or
 *   variables of one group with different numbers of chains or draws
 */
export function fromArvizJson(text: string, fileName?: string): InferenceData {
  stringArgument(text, 'text', 'fromArvizJson', "the JSON file's contents, e.g. readFileSync(path, 'utf8')");
  const file = fileName ?? 'ArviZ JSON';
  const data = parseJsonText(text, file);
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new InputError(`${file}: expected an ArviZ InferenceData JSON object with groups such as "posterior"`);
  }
  const obj = data as Record<string, unknown>;
  const dimsSpec = asRecord(obj.dims, file, 'dims');
  const coordsSpec = asRecord(obj.coords, file, 'coords');
  const coords: Record<string, CoordValues> = {};
  for (const [d, values] of Object.entries(coordsSpec)) {
    if (!Array.isArray(values) || !values.every((x) => typeof x === 'string' || typeof x === 'number')) {
      throw new InputError(`${file}: coords.${shortName(d)}: expected an array of strings or numbers`);
    }
    setOwn(coords, d, values as (string | number)[]);
  }
  let nChains = -1;
  let nDraws = -1;
  let firstSampled = '';
  const skipped: string[] = [];
  const groups: Partial<Record<GroupName, Group>> = {};
  for (const name of GROUP_ORDER) {
    if (!(name in obj)) continue;
    const sampled = SAMPLED_GROUPS.includes(name);
    const gvars = asRecord(obj[name], file, name);
    const vars: Record<string, VariableArray> = {};
    // Chains and draws of this group, set by its first variable; all its variables must agree.
    let gChains = -1;
    let gDraws = -1;
    let gFirst = '';
    for (const [vn, value] of Object.entries(gvars)) {
      const where = { file, what: `${name}.${shortName(vn)}` };
      const { shape, values } = flattenNested(value, where, sampled ? ['chain', 'draw'] : []);
      let elementShape = shape;
      if (sampled) {
        if (shape.length < 2) {
          throw new InputError(`${file}: ${name}.${shortName(vn)}: expected (chain, draw, …) nested arrays, got ${shape.length} axis`);
        }
        if (gChains < 0) {
          [gChains, gDraws, gFirst] = [shape[0], shape[1], `${name}.${shortName(vn)}`];
        } else if (shape[0] !== gChains || shape[1] !== gDraws) {
          throw new InputError(
            `${file}: ${name}.${shortName(vn)} has ${shape[0]} chains × ${shape[1]} draws, but ${gFirst} has ${gChains} × ${gDraws}`,
          );
        }
        elementShape = shape.slice(2);
      }
      const given = getOwn(dimsSpec, vn);
      let dims: string[];
      if (given === undefined) dims = elementShape.map((_, a) => `${vn}_dim_${a}`);
      else if (!Array.isArray(given) || !given.every((x) => typeof x === 'string') || given.length !== elementShape.length) {
        throw new InputError(`${file}: dims.${shortName(vn)}: expected ${elementShape.length} dim names for shape [${shortList(elementShape)}], got ${show(given)}`);
      } else dims = given as string[];
      for (let a = 0; a < dims.length; a++) {
        const labels = getOwn(coords, dims[a]);
        if (labels && labels.length !== elementShape[a]) {
          throw new InputError(`${file}: ${name}.${shortName(vn)}: dim '${shortName(dims[a])}' has ${elementShape[a]} entries but coords.${shortName(dims[a])} has ${labels.length}`);
        }
      }
      if (values.length !== (sampled ? shape[0] * shape[1] : 1) * shapeSize(elementShape)) {
        throw new InputError(`${file}: ${name}.${shortName(vn)}: inconsistent shape`);
      }
      setOwn(vars, vn, { dims, shape: elementShape, values });
    }
    if (sampled && gChains >= 0) {
      if (nChains < 0) [nChains, nDraws, firstSampled] = [gChains, gDraws, gFirst];
      else if (gChains !== nChains || gDraws !== nDraws) {
        // nutmeg keeps one chain and draw count for all sampled groups (a prior is often 1 × 500).
        skipped.push(`${name} (${gChains} chains × ${gDraws} draws, ${firstSampled} has ${nChains} × ${nDraws})`);
        continue;
      }
    }
    groups[name] = { vars, attrs: asRecord(obj[`${name}_attrs`], file, `${name}_attrs`) };
  }
  if (nChains < 0) {
    if (Object.keys(groups).length === 0) {
      throw new InputError(`${file}: no InferenceData groups found (expected keys such as "posterior", "sample_stats")`);
    }
    nChains = 0;
    nDraws = 0;
  }
  const attrs = asRecord(obj.attrs, file, 'attrs');
  return { nChains, nDraws, groups, coords, attrs: skipped.length > 0 ? { ...attrs, skipped_groups: skipped } : attrs };
}

/** An optional JSON object member; absent or null gives {}. */
function asRecord(v: unknown, file: string, what: string): Record<string, unknown> {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw new InputError(`${file}: ${what}: expected an object`);
  return v as Record<string, unknown>;
}

/**
 * True when parsed JSON looks like ArviZ InferenceData (has a `posterior` or `sample_stats` key
 * holding an object, or `*_attrs` keys), rather than the plain draws format.
 *
 * @param data - parsed JSON
 */
export function looksLikeArvizJson(data: unknown): boolean {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return false;
  const o = data as Record<string, unknown>;
  const isObj = (v: unknown): boolean => v !== null && typeof v === 'object' && !Array.isArray(v);
  return (
    GROUP_ORDER.some((g) => isObj(o[g])) || Object.keys(o).some((k) => k.endsWith('_attrs') && isObj(o[k]))
  );
}
