// Files written whole or not at all: the data goes to a temporary name beside the target, which is then renamed over it.
import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** The prefix of the temporary files (hidden; a crash can leave one, never a truncated target). */
export const ATOMIC_TEMP_PREFIX = '.nutmeg-tmp-';

/** What {@link writeFileAtomic} writes: bytes, text, or a sequence of pieces (e.g. `arvizJsonChunks(idata)`), written one after another. */
export type AtomicWriteData = string | Uint8Array | Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>;

/**
 * Writes `data` to `path` so that `path` is never seen half-written: the bytes go to a temporary
 * file in the same folder (same file system, so the rename is atomic on POSIX and on NTFS), which
 * then replaces `path`. When writing fails (a full disk, a folder made read-only, the folder
 * removed meanwhile) the temporary file is removed and `path` keeps its earlier content, or stays
 * absent. The data is not fsync'ed: the guarantee is against failed and interrupted writes, not
 * against a power cut.
 *
 * A sequence of pieces (a generator such as `arvizJsonChunks(idata)` or `stanCsvChunks(idata, c)`)
 * is written piece by piece as it is produced, so a file of any size needs the memory of one piece;
 * if the disk fills up half-way, or producing a piece throws, the temporary file is removed just
 * the same and the error is rethrown.
 *
 * @param path - the file to write
 * @param data - its content (strings are written as UTF-8), whole or as a (sync or async) iterable of pieces
 * @returns when `path` holds the whole of `data`
 * @throws the file system's error (with its `code`: ENOSPC, EACCES, EROFS, ENOENT…) when the data cannot be written, or the error of the iterable that produces the pieces
 * @example
 * ```ts
 * import { writeFileAtomic } from 'nutmeg/node';
 * await writeFileAtomic('out/summary.json', JSON.stringify({ ok: true }));
 * await writeFileAtomic('out/lines.txt', ['first line\n', 'second line\n']); // pieces, e.g. arvizJsonChunks(idata)
 * ```
 */
export async function writeFileAtomic(path: string, data: AtomicWriteData): Promise<void> {
  const temp = join(dirname(path), `${ATOMIC_TEMP_PREFIX}${basename(path)}-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    // writeFile takes an iterable of pieces as it comes (a write per piece, never the whole in memory).
    await writeFile(temp, data);
    await rename(temp, path);
  } catch (e) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw e;
  }
}
