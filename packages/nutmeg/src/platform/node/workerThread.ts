// Starting a worker thread with the Node flags of the process that a thread may have: none about the entry (loaders, --input-type), no V8 or process-wide flags.
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Node flags about the process's own entry: those that preload modules or register loaders
 * (`--import`, `--require`/`-r`, `--loader`/`--experimental-loader`) and `--input-type`, the
 * type of code given by `-e` or stdin.
 */
const ENTRY_FLAGS = new Set(['--import', '--require', '-r', '--loader', '--experimental-loader', '--input-type']);

/**
 * The process's Node flags without those about its own entry. A worker inherits
 * `process.execArgv`, so under `tsx script.ts` (or `node --import tsx`) every chain worker would
 * load the TypeScript loader first (~0.1 s per fresh worker on the radon model, measured) although
 * the built worker is plain JavaScript, and under `node --input-type=module -e …` Node refuses to
 * run the worker's file at all; other flags (`--enable-source-maps`, `--conditions`) are kept.
 *
 * @param execArgv - the parent's flags
 * @returns the flags for a built worker
 */
export function withoutEntryFlags(execArgv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const flag = execArgv[i];
    const eq = flag.indexOf('=');
    if (ENTRY_FLAGS.has(eq > 0 ? flag.slice(0, eq) : flag)) {
      if (eq < 0) i++; // the value is the next argument
      continue;
    }
    out.push(flag);
  }
  return out;
}

/** Flags of this process that Node refused for a worker thread, learnt at the first refusal. */
const refused = new Set<string>();

/**
 * The flags Node named in an `ERR_WORKER_INVALID_EXEC_ARGV` error ("Initiated Worker with invalid
 * execArgv flags: --max-old-space-size=4096, --stack-size=900"), or none when the message has
 * another form.
 */
export function refusedFlags(message: string): string[] {
  const m = /invalid execArgv flags: (.*)$/.exec(message);
  return m ? m[1].split(', ').filter((f) => f.length > 0) : [];
}

/**
 * A new worker thread (`new Worker(entry, options)`) that inherits the process's Node flags, less
 * those a thread cannot take. Node refuses a worker whose `execArgv` holds a V8 flag
 * (`node --max-old-space-size=8192 script.js`, `--stack-size`) or a process-wide one; V8's flags
 * already hold for every thread of the process, so they are left out (learnt from the first
 * refusal, then never tried again) and the thread starts. The flags about the process's entry are
 * left out as well ({@link withoutEntryFlags}).
 *
 * @param entry - the worker's module (or code, with `eval: true`)
 * @param options - Worker options other than `execArgv`
 * @returns the started worker
 * @throws whatever `new Worker` throws for another reason than the flags
 * @example
 * ```ts
 * const w = startWorkerThread(new URL('./job.js', import.meta.url), { workerData: { n: 3 } });
 * w.on('message', (m) => console.log(m));
 * ```
 */
export function startWorkerThread(entry: URL | string, options: Omit<WorkerOptions, 'execArgv'> = {}): Worker {
  const inherited = withoutEntryFlags(process.execArgv);
  const allowed = (): string[] => inherited.filter((f) => !refused.has(f));
  try {
    return new Worker(entry, { ...options, execArgv: allowed() });
  } catch (e) {
    if ((e as { code?: unknown }).code !== 'ERR_WORKER_INVALID_EXEC_ARGV') throw e;
    const named = refusedFlags((e as Error).message);
    // A message of another form (another Node version): none of the flags are passed on.
    for (const f of named.length > 0 ? named : inherited) refused.add(f);
  }
  try {
    return new Worker(entry, { ...options, execArgv: allowed() });
  } catch (e) {
    if ((e as { code?: unknown }).code !== 'ERR_WORKER_INVALID_EXEC_ARGV') throw e;
    for (const f of inherited) refused.add(f);
    return new Worker(entry, { ...options, execArgv: [] });
  }
}
