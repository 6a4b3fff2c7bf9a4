// The `data` option of predict: numbers checked and shaped, group indices given as labels mapped to positions, new levels collected.
import { OptionError } from '../core/errors.js';
import type { CoordValues } from '../core/types.js';
import { toFlatArray } from '../graph/graphBuilder.js';
import type { ModelSpec } from '../graph/graph.js';
import type { DataValues } from './forwardSpec.js';

/** New data values for `predict`: numbers, arrays, nested arrays, or labels for a group index. */
export type NewDataValue = number | ArrayLike<number> | readonly (readonly number[])[] | readonly (string | number)[];

/** The new data as the forward model takes them, with the labels of groups not in the fitted data. */
export interface ResolvedData {
  readonly data: Record<string, DataValues>;
  readonly newLevels: Record<string, string[]>;
}

/**
 * Checks and converts `predict`'s data. Values of a group index (`m.data(…, { indexInto })`) may be
 * labels of its coords or 0-based positions; an unknown label is a new level (appended after the
 * fitted ones) when `allowNewLevels`, else an error naming the row.
 *
 * @throws OptionError naming the data container, the row and the value
 */
export function resolveNewData(spec: ModelSpec, given: Readonly<Record<string, NewDataValue>>, allowNewLevels: boolean): ResolvedData {
  if (typeof given !== 'object' || given === null) throw new OptionError('data', 'must be an object of new data by name, e.g. { floor: [0, 1] }');
  const data: Record<string, DataValues> = {};
  const newLevels: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(given)) {
    const v = spec.variables.find((x) => x.name === name);
    if (v?.indexInto === undefined) {
      try {
        data[name] = toFlatArray(value, `data.${name}`);
      } catch (e) {
        throw new OptionError(`data.${name}`, (e as Error).message.replace(/^data\.[^:]*: /, ''));
      }
      continue;
    }
    const levels = spec.coords[v.indexInto] ?? [];
    const added = (newLevels[v.indexInto] ??= []);
    data[name] = { values: positions(name, v.indexInto, levels, added, value, allowNewLevels), shape: [lengthOf(value)] };
  }
  return { data, newLevels: Object.fromEntries(Object.entries(newLevels).filter(([, l]) => l.length > 0)) };
}

function lengthOf(value: unknown): number {
  return Array.isArray(value) || ArrayBuffer.isView(value) ? (value as ArrayLike<unknown>).length : 1;
}

/** The positions of a group index's values: fitted labels and positions, then new labels after them. */
function positions(name: string, dim: string, levels: CoordValues, added: string[], value: unknown, allowNewLevels: boolean): Float64Array {
  const list = Array.isArray(value) || ArrayBuffer.isView(value) ? Array.from(value as ArrayLike<unknown>) : [value];
  const known = new Map<string, number>(levels.map((l, i) => [String(l), i]));
  return Float64Array.from(list, (x, row) => {
    if (typeof x === 'number') {
      if (Number.isInteger(x) && x >= 0 && x < levels.length) return x;
      throw new OptionError(`data.${name}`, `row ${row} holds ${x}, not a position of '${dim}' (0…${levels.length - 1}); give a new group by a label`);
    }
    if (typeof x !== 'string') throw new OptionError(`data.${name}`, `row ${row} holds ${JSON.stringify(x)}; expected a label of '${dim}' or a position`);
    const k = known.get(x);
    if (k !== undefined) return k;
    if (!allowNewLevels) {
      throw new OptionError(`data.${name}`, `row ${row} holds '${x}', which is not a level of '${dim}' in the fitted data; pass allowNewLevels: true to draw its effects from the fitted population distribution`);
    }
    let j = added.indexOf(x);
    if (j < 0) j = added.push(x) - 1;
    return levels.length + j;
  });
}
