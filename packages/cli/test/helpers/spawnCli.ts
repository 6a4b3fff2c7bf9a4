// The nutmeg command as a child process from the TypeScript sources, with its stderr watched for a stage and its exit timed (Ctrl-C tests).
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const SCRIPT = `import(${JSON.stringify(MAIN)}).then(({ runProcess }) => runProcess(process.argv.slice(1)));`;

/** A running command. */
export interface CliProcess {
  readonly child: ChildProcess;
  /** stdout and stderr so far. */
  readonly output: () => { out: string; err: string };
  /** Resolves when stderr matches `pattern` (rejects after `timeoutMs`, or when the process ends first). */
  readonly waitForErr: (pattern: RegExp, timeoutMs?: number) => Promise<void>;
  /** Resolves with the exit code (null when killed by a signal) and the time it came. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

/**
 * Starts `nutmeg ARGS…` (sources through tsx, as the tests run).
 *
 * @param args - the command's arguments
 * @param env - extra environment variables
 * @returns the process with helpers
 */
export function spawnCli(args: readonly string[], env: Record<string, string> = {}): CliProcess {
  const child = spawn(process.execPath, ['--conditions=development', '--import', 'tsx', '-e', SCRIPT, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let out = '';
  let err = '';
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => {
    err += b.toString();
    for (const w of [...waiters]) {
      if (w.pattern.test(err)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, at: performance.now() })));
  return {
    child,
    output: () => ({ out, err }),
    exited,
    waitForErr: (pattern, timeoutMs = 120_000) =>
      new Promise<void>((resolve, reject) => {
        if (pattern.test(err)) return resolve();
        const timer = setTimeout(() => reject(new Error(`no ${pattern} on stderr within ${timeoutMs} ms:\n${err}`)), timeoutMs);
        void exited.then(() => {
          clearTimeout(timer);
          if (!pattern.test(err)) reject(new Error(`exited before ${pattern} on stderr:\n${err}`));
        });
        waiters.push({
          pattern,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      }),
  };
}
