// An executor that reports the jobs already known to fail (a group whose model could not be built) and passes the rest on.
import type { FitExecutor } from 'nutmeg';

/**
 * Wraps `executor` so that the tasks at the indices of `failures` are not run but reported at once
 * with their error. With it every group keeps its place (and so its seed, `fitSeed(seed, index)`)
 * in the run whether or not the groups before it could be built.
 *
 * @param executor - where the other tasks run
 * @param failures - error by task index
 * @returns the wrapping executor
 */
export function prefailedExecutor(executor: FitExecutor, failures: ReadonlyMap<number, unknown>): FitExecutor {
  return {
    async run(tasks, hooks) {
      for (const t of tasks) if (failures.has(t.index)) hooks.onResult({ index: t.index, error: failures.get(t.index) });
      const rest = tasks.filter((t) => !failures.has(t.index));
      if (rest.length > 0) await executor.run(rest, hooks);
    },
  };
}
