// Reads a pointwise log-likelihood file for `nutmeg loo` and `nutmeg compare`: ArviZ InferenceData JSON with a log_likelihood group, or {"log_lik": [chain][draw][observation]}.
import { InputError, fromArvizJson, looksLikeArvizJson, parseJsonText, shapeSize, type InferenceData } from 'nutmeg';
import { readText } from './readText.js';

/** A checked log-likelihood block, as an InferenceData holding one `log_likelihood` variable. */
export interface LogLikFile {
  /** The file name, as given. */
  readonly file: string;
  /** The results, with exactly the chosen variable in `log_likelihood`. */
  readonly idata: InferenceData;
  /** The chosen variable. */
  readonly varName: string;
  /** Number of observations (elements of the variable). */
  readonly nObs: number;
}

const AXES = ['chain', 'draw', 'observation'] as const;

/** Flattens `log_lik[chain][draw][observation]`, naming the position of any ragged or non-numeric entry. */
function flattenLogLik(value: unknown, file: string): { shape: [number, number, number]; values: Float64Array } {
  const shape: number[] = [];
  let probe = value;
  while (Array.isArray(probe) && shape.length < 4) {
    shape.push(probe.length);
    probe = probe[0];
  }
  if (shape.length !== 3 || shape.some((n) => n === 0)) {
    throw new InputError(`${file}: log_lik: expected non-empty nested arrays [chain][draw][observation], got shape [${shape.join(', ')}]${shape.length > 3 ? '…' : ''}`);
  }
  const values = new Float64Array(shape[0] * shape[1] * shape[2]);
  let k = 0;
  const walk = (v: unknown, depth: number, idx: number[]): void => {
    const at = idx.map((i, a) => `${AXES[a]} ${i}`).join(', ');
    if (depth < 3) {
      if (!Array.isArray(v)) {
        throw new InputError(`${file}: log_lik: ragged array: at ${at}: expected an array of ${shape[depth]} ${AXES[depth]}s, got ${JSON.stringify(v)?.slice(0, 40) ?? String(v)}`);
      }
      if (v.length !== shape[depth]) {
        throw new InputError(`${file}: log_lik: ragged array: at ${at || 'the top'} there are ${v.length} ${AXES[depth]}s where the first has ${shape[depth]}`);
      }
      for (let i = 0; i < v.length; i++) walk(v[i], depth + 1, [...idx, i]);
    } else if (typeof v === 'number') values[k++] = v;
    else if (v === null) values[k++] = NaN; // NaN as Python writes it reads as null
    else throw new InputError(`${file}: log_lik: at ${at}: expected a number, got ${JSON.stringify(v)?.slice(0, 40) ?? String(v)}`);
  };
  walk(value, 0, []);
  return { shape: shape as [number, number, number], values };
}

function fromPlainJson(data: unknown, file: string): InferenceData {
  const obj = data as Record<string, unknown>;
  if (data === null || typeof data !== 'object' || Array.isArray(data) || !('log_lik' in obj)) {
    const keys = data !== null && typeof data === 'object' && !Array.isArray(data) ? Object.keys(obj) : [];
    throw new InputError(
      `${file}: no log-likelihood: expected ArviZ InferenceData JSON with a log_likelihood group, or {"log_lik": [chain][draw][observation]}` +
        (keys.length > 0 ? ` (found keys: ${keys.slice(0, 8).join(', ')})` : ''),
    );
  }
  const { shape, values } = flattenLogLik(obj.log_lik, file);
  return {
    nChains: shape[0],
    nDraws: shape[1],
    groups: { log_likelihood: { vars: { log_lik: { dims: ['observation'], shape: [shape[2]], values } }, attrs: {} } },
    coords: {},
    attrs: {},
  };
}

function pickVariable(idata: InferenceData, file: string, varName: string | undefined): { name: string; idata: InferenceData } {
  const group = idata.groups.log_likelihood;
  if (!group) {
    const skipped = (idata.attrs.skipped_groups as string[] | undefined)?.find((s) => s.startsWith('log_likelihood'));
    if (skipped) throw new InputError(`${file}: the log_likelihood group cannot be used: ${skipped}`);
    const have = Object.keys(idata.groups).join(', ') || 'none';
    throw new InputError(`${file}: no log_likelihood group (groups: ${have}); sample with the pointwise log-likelihood kept`);
  }
  const names = Object.keys(group.vars);
  if (names.length === 0) throw new InputError(`${file}: the log_likelihood group has no variables`);
  if (varName !== undefined && !names.includes(varName)) {
    throw new InputError(`${file}: no log_likelihood variable '${varName}' (variables: ${names.join(', ')})`);
  }
  if (varName === undefined && names.length > 1) {
    throw new InputError(`${file}: the log_likelihood group has ${names.length} variables (${names.join(', ')}); choose one with --var`);
  }
  const name = varName ?? names[0];
  return { name, idata: { ...idata, groups: { log_likelihood: { vars: { [name]: group.vars[name] }, attrs: group.attrs } } } };
}

/** Rejects non-finite values, naming the first one's chain, draw and observation (loo needs finite log-likelihoods). */
function checkFinite(idata: InferenceData, name: string, file: string): number {
  const v = idata.groups.log_likelihood!.vars[name];
  const nObs = shapeSize(v.shape);
  if (idata.nChains * idata.nDraws < 2 || nObs === 0) {
    throw new InputError(`${file}: ${name}: needs at least 2 draws and 1 observation (got ${idata.nChains * idata.nDraws} draws, ${nObs} observations)`);
  }
  for (let j = 0; j < v.values.length; j++) {
    const x = v.values[j];
    if (!Number.isFinite(x)) {
      const obs = j % nObs;
      const draw = Math.floor(j / nObs) % idata.nDraws;
      const chain = Math.floor(j / nObs / idata.nDraws);
      throw new InputError(`${file}: ${name}: chain ${chain}, draw ${draw}, observation ${obs} is ${Number.isNaN(x) ? 'NaN' : x}; every log-likelihood value must be finite`);
    }
  }
  return nObs;
}

/**
 * Reads and checks one log-likelihood file.
 *
 * @param file - path to the JSON file
 * @param varName - the `log_likelihood` variable (needed when there are several)
 * @returns the chosen variable as an InferenceData, with its number of observations
 * @throws InputError naming the file and the culprit: unreadable, not JSON, no log-likelihood,
 *   ragged arrays, non-numeric or non-finite values, unknown or ambiguous variable
 */
export async function readLogLikFile(file: string, varName?: string): Promise<LogLikFile> {
  const text = await readText(file);
  const data = parseJsonText(text, file);
  const full = looksLikeArvizJson(data) ? fromArvizJson(text, file) : fromPlainJson(data, file);
  const { name, idata } = pickVariable(full, file, varName);
  const nObs = checkFinite(idata, name, file);
  return { file, idata, varName: name, nObs };
}
