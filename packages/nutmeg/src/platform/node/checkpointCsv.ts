// The CmdStan CSV a checkpointing chain streams: the header CmdStan writes, then rows of constrained values appended block by block.
import type { CompiledModel } from '../../compiler/compiledModel.js';
import { STAN_SAMPLE_STATS } from '../../io/stanCsv.js';
import { flatten } from '../../io/drawsJson.js';
import type { IterationRows } from '../../inference/chain/checkpoint.js';
import { NUTMEG_VERSION } from '../../workflow/version.js';

/** What the header says about the run (CmdStan's configuration comments). */
export interface CsvRunInfo {
  readonly chain: number;
  readonly draws: number;
  readonly tune: number;
  readonly saveWarmup: boolean;
  readonly seed: number;
  readonly targetAccept: number;
  readonly maxTreeDepth: number;
  readonly sampler: string;
  readonly metric: 'diag' | 'dense';
}

/** A number as CmdStan writes it, with round-trip precision (`String(x)`), `nan`, `inf`, `-inf`. */
function formatNumber(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  return String(v);
}

/** Column-major multi-indices of a shape (Stan's order: first index fastest). */
function columnMajor(shape: readonly number[]): number[][] {
  const k = shape.reduce((a, b) => a * b, 1);
  const out: number[][] = [];
  for (let f = 0; f < k; f++) {
    const idx: number[] = [];
    let rest = f;
    for (const s of shape) {
      idx.push(rest % s);
      rest = Math.floor(rest / s);
    }
    out.push(idx);
  }
  return out;
}

/**
 * The CSV writer of one run: the header of a chain's file and its rows of iterations. Columns:
 * CmdStan's sampler columns present among `statNames` (`lp__`, `accept_stat__`, …), then every
 * element of every free and deterministic variable, named CmdStan's way (`alpha.1`, 1-based,
 * column-major), constrained by `layout.constrain`.
 *
 * @param layout - the model (names, shapes, constraining)
 * @param statNames - the sampler's statistics, ArviZ names
 * @returns `header(info)` and `rows(block)`
 */
export function checkpointCsv(layout: CompiledModel, statNames: readonly string[]) {
  const stats = STAN_SAMPLE_STATS.filter(([, arviz]) => statNames.includes(arviz));
  // Each column: its variable's index in `layout.variables` and its element (row-major) in that variable.
  const columns: { name: string; variable: number; flat: number }[] = [];
  const sizes = layout.variables.map((v) => v.shape.reduce((a, b) => a * b, 1));
  layout.variables.forEach((v, k) => {
    if (v.shape.length === 0) columns.push({ name: v.name, variable: k, flat: 0 });
    else for (const idx of columnMajor(v.shape)) columns.push({ name: `${v.name}.${idx.map((i) => i + 1).join('.')}`, variable: k, flat: flatten(idx, v.shape) });
  });
  const names = [...stats.map(([stan]) => stan), ...columns.map((c) => c.name)];
  const d = layout.dim;
  return {
    /** The comment block and column row of a chain's file. */
    header(info: CsvRunInfo): string {
      const lines = [
        `# model = nutmeg`,
        '# method = sample (Default)',
        '#   sample',
        `#     num_samples = ${info.draws}`,
        `#     num_warmup = ${info.tune}`,
        `#     save_warmup = ${info.saveWarmup ? 1 : 0}`,
        '#     thin = 1',
        '#     adapt',
        '#       engaged = 1',
        `#       delta = ${info.targetAccept}`,
        '#     algorithm = hmc (Default)',
        '#       hmc',
        `#         engine = ${info.sampler === 'nuts' ? 'nuts' : 'static'}`,
        ...(info.sampler === 'nuts' ? ['#           nuts', `#             max_depth = ${info.maxTreeDepth}`] : []),
        `#         metric = ${info.metric}_e`,
        `# id = ${info.chain + 1}`,
        '# random',
        `#   seed = ${info.seed}`,
        `# nutmeg_version = ${NUTMEG_VERSION}`,
        names.join(','),
      ];
      return lines.join('\n') + '\n';
    },
    /** CmdStan's adaptation comments, written between the warm-up rows and the draws. */
    adaptation(stepSize: number, inverseMetric: Float64Array, metric: 'diag' | 'dense'): string {
      const lines = ['# Adaptation terminated', `# Step size = ${formatNumber(stepSize)}`];
      if (metric === 'dense') {
        lines.push('# Elements of inverse mass matrix:');
        for (let i = 0; i < d; i++) lines.push(`# ${Array.from(inverseMetric.subarray(i * d, (i + 1) * d), formatNumber).join(', ')}`);
      } else {
        lines.push('# Diagonal elements of inverse mass matrix:', `# ${Array.from(inverseMetric, formatNumber).join(', ')}`);
      }
      return lines.join('\n') + '\n';
    },
    /** The rows of `block`, constrained (all at once: compiled models do it without allocating per row), one line each. */
    rows(block: IterationRows): string {
      if (block.rows === 0) return '';
      const values = sizes.map((n) => new Float64Array(n * block.rows));
      layout.constrainRows(block.positions, block.rows, values, 0);
      const lines = new Array<string>(block.rows);
      const cells = new Array<string>(names.length);
      for (let r = 0; r < block.rows; r++) {
        let j = 0;
        for (const [, arviz] of stats) cells[j++] = formatNumber(block.stats[arviz][r]);
        for (const c of columns) cells[j++] = formatNumber(values[c.variable][r * sizes[c.variable] + c.flat]);
        lines[r] = cells.join(',');
      }
      return lines.join('\n') + '\n';
    },
  };
}
