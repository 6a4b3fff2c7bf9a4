// Shared helpers of the `nutmeg fit` tests: a temporary directory of small CSV files and a run that captures stdout and stderr.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, type FitDependencies } from '../src/fit/command.js';

/** A fresh temporary directory. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `nutmeg-${prefix}-`));
}

/** Writes `text` to `dir/name` and returns the path. */
export function writeText(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** The outcome of one command run. */
export interface RunResult {
  code: number;
  out: string;
  err: string;
}

/** Runs `nutmeg fit` with `argv`, capturing its output. */
export async function fit(argv: string[], deps: FitDependencies = {}): Promise<RunResult> {
  let out = '';
  let err = '';
  const code = await run(argv, { out: (s) => (out += s), err: (s) => (err += s) }, { sampleOptions: { progress: false }, ...deps });
  return { code, out, err };
}

/** A small data set for y ~ x + (1 | g): 6 groups of 8 rows, a deterministic linear trend with group offsets. */
export function gaussianCsv(): string {
  const rows = ['y,x,g,note'];
  for (let i = 0; i < 48; i++) {
    const x = (i % 8) / 7;
    const g = 'abcdef'[i % 6];
    const y = 1 + 2 * x + [0.5, -0.3, 0.2, 0, 0.4, -0.6][i % 6] + 0.3 * Math.sin(i * 1.7);
    rows.push(`${y.toFixed(4)},${x.toFixed(4)},${g},${i === 3 ? '' : 'ok'}`);
  }
  return rows.join('\n') + '\n';
}

/**
 * gaussianCsv's rows with a column x2 that is x plus ±0.001: with both in the formula their
 * coefficients are almost perfectly correlated, so NUTS takes ~300 leapfrog steps per draw (~0.25 ms)
 * and a long run stays in its drawing phase for seconds while its threads send few checkpoint
 * blocks (every 100 draws). For Ctrl-C tests, which must land in that phase: on gaussianCsv itself
 * 20,000 draws take ~0.6 s, and a signal sent as drawing starts sometimes came after the end.
 */
export function collinearCsv(): string {
  const rows = ['y,x,x2,g'];
  for (let i = 0; i < 48; i++) {
    const x = (i % 8) / 7;
    const y = 1 + 2 * x + [0.5, -0.3, 0.2, 0, 0.4, -0.6][i % 6] + 0.3 * Math.sin(i * 1.7);
    rows.push(`${y.toFixed(4)},${x.toFixed(4)},${(x + 1e-3 * Math.cos(i * 2.3)).toFixed(6)},${'abcdef'[i % 6]}`);
  }
  return rows.join('\n') + '\n';
}

/** Fast sampler settings. */
export const FAST = ['--chains', '2', '--draws', '100', '--tune', '100', '--seed', '7'];
