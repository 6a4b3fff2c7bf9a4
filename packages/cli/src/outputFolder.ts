// The --out folder of a command: checked before any work, cleared of what an earlier nutmeg run wrote there, and written file by file, each whole or not at all.
import { OptionError } from 'nutmeg';
import { writeFileAtomic } from 'nutmeg/node';
import { mkdir, readFile, rm, rmdir, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, normalize, resolve, sep } from 'node:path';

/** The list of files a nutmeg command wrote into its --out folder (removed before the next run writes there). */
export const MANIFEST = '.nutmeg-outputs.json';

/** A file that could not be written while the command ran (a full disk, a folder made read-only or removed): exit code 1. */
export class OutputError extends Error {
  /**
   * @param path - the file
   * @param cause - the file system's error
   */
  constructor(
    readonly path: string,
    readonly reason: unknown,
  ) {
    super(`cannot write ${path}: ${osReason(reason)}`);
    this.name = 'OutputError';
  }
}

/**
 * A file system error in words, with its code: `no space left on the device (ENOSPC)`.
 *
 * @param e - the error
 * @returns the reason
 */
export function osReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  const words: Record<string, string> = {
    ENOSPC: 'no space left on the device',
    EDQUOT: 'disk quota exceeded',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'read-only file system',
    ENOENT: 'the folder does not exist (removed while writing?)',
    ENOTDIR: 'a part of the path is not a folder',
    EISDIR: 'a folder is in the way',
    EIO: 'input/output error',
    EFBIG: 'file too large',
    EMFILE: 'too many open files',
  };
  if (code && words[code]) return `${words[code]} (${code})`;
  const message = e instanceof Error ? e.message.split('\n')[0] : String(e);
  return code ? `${message} (${code})` : message;
}

/** The manifest's content. */
interface Manifest {
  readonly command: string;
  readonly files: string[];
}

/** A checked --out folder that records what the command writes in it. */
export class OutputFolder {
  private readonly files: string[] = [];
  /** The manifest's saves, one after another (concurrent writes would race to rename an older list last). */
  private saving: Promise<void> = Promise.resolve();

  private constructor(
    /** The folder as given. */
    readonly dir: string,
    private readonly command: string,
    private readonly option: string,
  ) {}

  /**
   * Creates `dir` (level by level: mkdir's `recursive` never returns under /proc on Linux) and
   * checks that a file can be written in it, before any work is done.
   *
   * @param dir - the folder as given
   * @param command - `nutmeg fit`, for the manifest
   * @param option - the option that named it, for messages
   * @returns the folder
   * @throws OptionError naming the option, the folder and the reason (exit code 2)
   */
  static async open(dir: string, command: string, option = '--out'): Promise<OutputFolder> {
    const missing: string[] = [];
    let p = resolve(dir);
    for (;;) {
      try {
        const s = await stat(p);
        if (!s.isDirectory()) throw new OptionError(option, `cannot write to '${dir}': '${p}' is not a folder (ENOTDIR)`);
        break;
      } catch (e) {
        if (e instanceof OptionError) throw e;
        const parent = dirname(p);
        if (parent === p) break;
        missing.unshift(p);
        p = parent;
      }
    }
    try {
      for (const m of missing) await mkdir(m);
      // access() can say yes where writing fails (read-only mounts, some ACLs): write a probe file.
      await writeFileAtomic(join(dir, `.nutmeg-write-check-${process.pid}`), '');
      await rm(join(dir, `.nutmeg-write-check-${process.pid}`), { force: true });
    } catch (e) {
      throw new OptionError(option, `cannot write to '${dir}': ${osReason(e)}`);
    }
    return new OutputFolder(dir, command, option);
  }

  /**
   * Removes the files an earlier nutmeg run listed in the folder's manifest (and nothing else:
   * a user's own files stay), so that no stale figure or report stays beside the new results.
   * Called once the input is checked, just before the work starts.
   *
   * @returns the files removed, relative to the folder
   */
  async clearPrevious(): Promise<string[]> {
    let listed: unknown;
    try {
      listed = (JSON.parse(await readFile(join(this.dir, MANIFEST), 'utf8')) as Partial<Manifest>).files;
    } catch {
      return []; // no manifest (or not ours): nothing to clear
    }
    if (!Array.isArray(listed)) return [];
    const removed: string[] = [];
    const folders = new Set<string>();
    for (const f of listed) {
      const rel = typeof f === 'string' ? inside(f) : undefined;
      if (rel === undefined) continue;
      try {
        if (!(await stat(join(this.dir, rel))).isFile()) continue;
        await rm(join(this.dir, rel));
        removed.push(rel);
        if (dirname(rel) !== '.') folders.add(dirname(rel));
      } catch {
        // already gone, or not removable: the new run overwrites it or says why it cannot
      }
    }
    for (const f of [...folders].sort((a, b) => b.length - a.length)) await rmdir(join(this.dir, f)).catch(() => undefined);
    await this.saveManifest();
    return removed;
  }

  /**
   * Writes `name` (relative to the folder; sub-folders are created) whole or not at all, and lists it in the manifest first.
   * `data` may be a sequence of pieces (`arvizJsonChunks(idata)`), written as they are produced:
   * a file of any size in the memory of one piece.
   *
   * @param name - the file's path inside the folder, `/`-separated
   * @param data - its content, whole or as an iterable of pieces
   * @throws OutputError naming the file and the reason (exit code 1); an error of the iterable itself (not the file system's) as it is
   */
  async write(name: string, data: Parameters<typeof writeFileAtomic>[1]): Promise<void> {
    const path = join(this.dir, name);
    // An error of the pieces' producer is not a file that could not be written: it is passed on as it is.
    const producer: { error?: unknown } = {};
    try {
      if (!this.files.includes(name)) {
        this.files.push(name);
        await this.saveManifest();
      }
      await mkdir(dirname(path), { recursive: true });
      await writeFileAtomic(path, typeof data === 'string' || data instanceof Uint8Array ? data : watched(data, producer));
    } catch (e) {
      if ('error' in producer && e === producer.error) throw e;
      // The manifest's own failure already names the manifest.
      throw e instanceof OutputError ? e : new OutputError(path, e);
    }
  }

  /** The files written so far (relative), in order. */
  written(): readonly string[] {
    return this.files;
  }

  /** Writes the manifest (itself atomically), after any save still under way. */
  private saveManifest(): Promise<void> {
    const path = join(this.dir, MANIFEST);
    const save = this.saving.then(async () => {
      const manifest: Manifest = { command: this.command, files: this.files };
      await writeFileAtomic(path, JSON.stringify(manifest, null, 1) + '\n');
    });
    this.saving = save.catch(() => undefined);
    return save.catch((e: unknown) => {
      throw new OutputError(path, e);
    });
  }
}

/** The pieces of `data`, an error in producing one recorded in `producer` before it is rethrown. */
async function* watched(data: Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>, producer: { error?: unknown }): AsyncGenerator<string | Uint8Array, void, undefined> {
  const it = Symbol.asyncIterator in data ? data[Symbol.asyncIterator]() : data[Symbol.iterator]();
  let closed = false;
  try {
    for (;;) {
      let next: IteratorResult<string | Uint8Array>;
      try {
        next = await it.next();
      } catch (e) {
        closed = true;
        producer.error = e;
        throw e;
      }
      if (next.done === true) {
        closed = true;
        return;
      }
      yield next.value;
    }
  } finally {
    // The writer stopped early (a full disk): let the producer clean up.
    if (!closed) await it.return?.();
  }
}

/** A manifest entry as a path inside the folder, or undefined when it would leave it (absolute, `..`). */
function inside(f: string): string | undefined {
  if (f === '' || isAbsolute(f) || f.includes('\0')) return undefined;
  const n = normalize(f);
  if (n === '..' || n.startsWith(`..${sep}`) || n === MANIFEST || isAbsolute(n)) return undefined;
  return n;
}

