// Where the benchmarks find things: the repository root and the shared baselines beside it,
// whether they run from the TypeScript sources or from the build (dist/bench).
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the nearest folder upwards holding package.json. */
export const REPO_ROOT = ((): string => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
})();

/** A path inside `shared/`, which lies beside the repository. */
export const sharedPath = (...parts: string[]): string => resolve(REPO_ROOT, '..', 'shared', ...parts);
