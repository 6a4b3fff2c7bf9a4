// Small fit jobs for the queue tests, a worker process launcher, and the bit-for-bit comparison of two runs.
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Model, Normal, HalfNormal, type FitJob, type FitOutcome } from 'nutmeg';
import type { WorkerEvent } from '../../src/runWorker.js';

/** y_i ~ Normal(mu, s), mu ~ Normal(0, 10), s ~ HalfNormal(2): a fit of a few hundred milliseconds. */
export function groupModel(y: number[]): Model {
  const m = new Model();
  const mu = m.rv('mu', Normal({ mu: 0, sigma: 10 }));
  const s = m.rv('s', HalfNormal({ sigma: 2 }));
  m.rv('y', Normal({ mu, sigma: s }), { observed: y });
  return m;
}

/** `n` small NUTS jobs named `group k`. */
export function smallJobs(n: number, draws = 100): FitJob[] {
  return Array.from({ length: n }, (_, k) => ({
    name: `group ${k}`,
    model: groupModel(Array.from({ length: 5 + k }, (_, i) => Math.sin(i + k) + k / 3)).spec,
    options: { draws, tune: draws, chains: 2 },
  }));
}

/** Attrs that measure time (they differ between any two runs). */
const TIMING_KEYS = new Set(['timings', 'sampling_time', 'created_at']);

/** Asserts that two runs gave the same draws, sample stats, coords and attrs (except timings), bit for bit. */
export function assertSameOutcomes(a: readonly FitOutcome[], b: readonly FitOutcome[], what: string): void {
  assert.equal(a.length, b.length, what);
  a.forEach((x, i) => {
    const y = b[i];
    assert.equal(y.ok, x.ok, `${what}: job ${i} ok${y.ok ? '' : `: ${String(y.error)} ${String(y.error.cause)}`}`);
    if (!x.ok || !y.ok) return;
    assert.deepStrictEqual(y.idata.groups, x.idata.groups, `${what}: job ${i} groups`);
    assert.deepStrictEqual(y.idata.coords, x.idata.coords, `${what}: job ${i} coords`);
    const strip = (attrs: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(attrs).filter(([k]) => !TIMING_KEYS.has(k)));
    assert.deepStrictEqual(strip(y.idata.attrs), strip(x.idata.attrs), `${what}: job ${i} attrs`);
  });
}

/** A worker running in its own Node process. */
export interface WorkerProcess {
  readonly child: ChildProcess;
  readonly events: WorkerEvent[];
  /** Everything it wrote to stdout and stderr. */
  output(): string;
  /** Resolves when an event satisfies `pred`. */
  waitFor(pred: (e: WorkerEvent) => boolean, ms?: number): Promise<WorkerEvent>;
  stop(): Promise<void>;
}

const WORKER = fileURLToPath(new URL('./workerProcess.ts', import.meta.url));

/** Starts `node workerProcess.ts URL QUEUE` (with more environment variables) and resolves once it is taking jobs. */
export async function spawnWorker(url: string, queue: string, env: NodeJS.ProcessEnv = {}): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['--conditions=development', '--import', 'tsx', WORKER, url, queue], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  const events: WorkerEvent[] = [];
  let out = '';
  let partial = '';
  const waiters: { pred: (e: WorkerEvent) => boolean; resolve: (e: WorkerEvent) => void }[] = [];
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    partial += d.toString();
    const lines = partial.split('\n');
    partial = lines.pop()!;
    for (const line of lines) {
      const e = JSON.parse(line) as WorkerEvent;
      events.push(e);
      for (const w of [...waiters]) if (w.pred(e)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(e);
      }
    }
  });
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const waitFor = (pred: (e: WorkerEvent) => boolean, ms = 20_000): Promise<WorkerEvent> => {
    const seen = events.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`worker event not seen in ${ms} ms; output:\n${out}`)), ms);
      waiters.push({ pred, resolve: (e) => { clearTimeout(timer); resolve(e); } });
    });
  };
  await waitFor((e) => e.type === 'ready');
  return {
    child,
    events,
    output: () => out,
    waitFor,
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}
