// Where the benchmarks find things: the repository root and the optional baselines beside it
// (../shared/baselines: hand-written C/JS gradients and rstan runs, not part of the repository).
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the nearest folder upwards holding package.json. */
export const REPO_ROOT = ((): string => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
})();

/**
 * The `shared/` folder: `$NUTMEG_SHARED`, else the nearest `shared/` beside the repository or beside
 * one of its parent folders (a git worktree lives a level deeper than the main checkout).
 */
const SHARED_ROOT = ((): string => {
  if (process.env.NUTMEG_SHARED) return resolve(process.env.NUTMEG_SHARED);
  for (let dir = dirname(REPO_ROOT); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'shared', 'baselines'))) return join(dir, 'shared');
    if (dirname(dir) === dir) return resolve(REPO_ROOT, '..', 'shared');
  }
})();

/** A path inside `shared/`, which lies beside the repository. */
export const sharedPath = (...parts: string[]): string => resolve(SHARED_ROOT, ...parts);

/**
 * A baseline script under `../shared/baselines/`, or undefined when that folder is not beside the
 * repository (a plain clone): then it says on stderr which comparison is skipped, and the
 * benchmark's own figures are still printed.
 *
 * @param bench - the benchmark's name, for the message
 * @param parts - the script's path inside `baselines/`
 * @returns the script's absolute path, or undefined
 */
export function baselineScript(bench: string, ...parts: string[]): string | undefined {
  const path = sharedPath('baselines', ...parts);
  if (existsSync(path)) return path;
  console.error(`${bench} bench: no ${path} (the baselines live outside the repository, in ../shared/baselines): skipping the comparison with it`);
  return undefined;
}
