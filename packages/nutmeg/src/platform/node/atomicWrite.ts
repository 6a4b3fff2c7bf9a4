// Files written whole or not at all: the data goes to a temporary name beside the target, which is then renamed over it.
import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** The prefix of the temporary files (hidden; a crash can leave one, never a truncated target). */
export const ATOMIC_TEMP_PREFIX = '.nutmeg-tmp-';

/**
 * Writes `data` to `path` so that `path` is never seen half-written: the bytes go to a temporary
 * file in the same folder (same file system, so the rename is atomic on POSIX and on NTFS), which
 * then replaces `path`. When writing fails (a full disk, a folder made read-only, the folder
 * removed meanwhile) the temporary file is removed and `path` keeps its earlier content, or stays
 * absent. The data is not fsync'ed: the guarantee is against failed and interrupted writes, not
 * against a power cut.
 *
 * @param path - the file to write
 * @param data - its content (a string is written as UTF-8)
 * @returns when `path` holds the whole of `data`
 * @throws the file system's error (with its `code`: ENOSPC, EACCES, EROFS, ENOENT…) when the data cannot be written
 * @example
 * ```ts
 * import { writeFileAtomic } from 'nutmeg/node';
 * await writeFileAtomic('out/summary.json', JSON.stringify({ ok: true }));
 * ```
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const temp = join(dirname(path), `${ATOMIC_TEMP_PREFIX}${basename(path)}-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await writeFile(temp, data);
    await rename(temp, path);
  } catch (e) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw e;
  }
}
