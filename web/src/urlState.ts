// The page's state in its URL (`?data=radon&model=…` or `?formula=…&family=…`, chains/draws/tune/seed, autorun): parsed with checks, written back as the user changes things.
import { FAMILIES, type FamilyName } from 'nutmeg';
import { RADON_MODEL_NAMES, type RadonModelName } from './radonModels.js';

/** Where the data comes from: the embedded radon table or a CSV the user opened (not shareable by link). */
export type DataSource = 'radon' | 'file';

/** Everything a link reproduces. */
export interface AppState {
  readonly data: DataSource;
  /** A radon tutorial model by its CLI name, or null in formula mode. */
  readonly model: RadonModelName | null;
  /** brms formula (formula mode). */
  readonly formula: string;
  readonly family: FamilyName;
  /** Prior strings (`normal(0, 1): b`), one per `prior` parameter. */
  readonly priors: readonly string[];
  readonly chains: number;
  readonly draws: number;
  readonly tune: number;
  readonly seed: number;
  /** Start sampling on load. */
  readonly autorun: boolean;
}

/** The state of a plain visit. */
export const DEFAULT_STATE: AppState = {
  data: 'radon',
  model: 'hierarchical_noncentered',
  formula: 'log_radon ~ floor + (1 + floor | county)',
  family: 'gaussian',
  priors: [],
  chains: 4,
  draws: 1000,
  tune: 1000,
  seed: 1,
  autorun: false,
};

/** Bounds of the sampler settings (per chain; a browser tab is not a cluster). */
export const LIMITS = {
  chains: { min: 1, max: 16 },
  draws: { min: 1, max: 20000 },
  tune: { min: 0, max: 20000 },
  seed: { min: 0, max: 2 ** 32 - 1 },
} as const;

/** The longest formula or prior a link may carry (characters). */
const MAX_TEXT = 2000;

/** A state read from a URL, and what was wrong with it (each problem fell back to the default). */
export interface ParsedState {
  readonly state: AppState;
  readonly problems: readonly string[];
}

function integerParam(params: URLSearchParams, name: keyof typeof LIMITS, problems: string[]): number {
  const raw = params.get(name);
  const fallback = DEFAULT_STATE[name];
  if (raw === null) return fallback;
  const { min, max } = LIMITS[name];
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
    problems.push(`${name}: expected a whole number from ${min} to ${max}, got ${JSON.stringify(raw.slice(0, 40))}; using ${fallback}`);
    return fallback;
  }
  return n;
}

function textParam(params: URLSearchParams, name: string, problems: string[]): string | null {
  const raw = params.get(name);
  if (raw === null) return null;
  if (raw.length > MAX_TEXT) {
    problems.push(`${name}: longer than ${MAX_TEXT} characters; ignored`);
    return null;
  }
  return raw;
}

/**
 * Reads the state from a query string. Unknown values fall back to the defaults, each with a
 * problem message (shown to the user as text).
 *
 * @param search - `location.search`
 * @returns the state and the problems found
 */
export function parseState(search: string): ParsedState {
  const params = new URLSearchParams(search);
  const problems: string[] = [];
  const data = params.get('data');
  if (data !== null && data !== 'radon') problems.push(`data: only 'radon' can be loaded from a link (open a CSV file with the Data panel); got ${JSON.stringify(data.slice(0, 40))}`);
  const formula = textParam(params, 'formula', problems);
  const modelRaw = params.get('model');
  let model: RadonModelName | null = formula === null ? DEFAULT_STATE.model : null;
  if (modelRaw !== null) {
    if ((RADON_MODEL_NAMES as readonly string[]).includes(modelRaw)) model = modelRaw as RadonModelName;
    else problems.push(`model: expected one of ${RADON_MODEL_NAMES.join(', ')}, got ${JSON.stringify(modelRaw.slice(0, 40))}`);
  }
  const familyRaw = params.get('family');
  let family = DEFAULT_STATE.family;
  if (familyRaw !== null) {
    if (Object.hasOwn(FAMILIES, familyRaw)) family = familyRaw as FamilyName;
    else problems.push(`family: expected one of ${Object.keys(FAMILIES).join(', ')}, got ${JSON.stringify(familyRaw.slice(0, 40))}`);
  }
  const priors = params.getAll('prior').filter((p) => p.length <= MAX_TEXT).slice(0, 50);
  const state: AppState = {
    data: 'radon',
    model: formula !== null && modelRaw === null ? null : model,
    formula: formula ?? DEFAULT_STATE.formula,
    family,
    priors,
    chains: integerParam(params, 'chains', problems),
    draws: integerParam(params, 'draws', problems),
    tune: integerParam(params, 'tune', problems),
    seed: integerParam(params, 'seed', problems),
    autorun: params.get('autorun') === '1',
  };
  return { state, problems };
}

/**
 * The query string of a state (what a link needs to reproduce the fit; `autorun` is left out, so
 * reloading does not start sampling again unless the link asked for it).
 *
 * @param state - the state
 * @returns `?…`
 */
export function stateToSearch(state: AppState): string {
  const params = new URLSearchParams();
  params.set('data', state.data);
  if (state.model !== null) params.set('model', state.model);
  else {
    params.set('formula', state.formula);
    params.set('family', state.family);
    for (const p of state.priors) params.append('prior', p);
  }
  params.set('chains', String(state.chains));
  params.set('draws', String(state.draws));
  params.set('tune', String(state.tune));
  params.set('seed', String(state.seed));
  return `?${params.toString()}`;
}
