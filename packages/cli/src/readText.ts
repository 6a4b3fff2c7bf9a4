// Reads a user's input file as text within a size limit, refusing binary files quickly; file-system errors become InputErrors naming the file.
import { open, type FileHandle } from 'node:fs/promises';
import { InputError } from 'nutmeg';
import { osReason } from './outputFolder.js';

/**
 * The largest input file read whole, in bytes: 256 MiB. A JSON file is read into one string and
 * parsed whole, and V8's strings stop at about 512 M characters; 256 MiB of draws is tens of
 * millions of numbers, more than a summary needs.
 */
export const MAX_INPUT_BYTES = 256 * 1024 * 1024;

/**
 * The largest CmdStan CSV file read, in bytes: 4 GiB. CSV is read line by line ({@link readLines}),
 * so no string holds the file; what stays is its draws, 8 bytes a number, about as many bytes as
 * the text (CmdStan writes 6 significant digits, ~9 characters a number) twice over while the
 * chains are gathered: a file of 4 GiB needs ~8 GB of memory.
 */
export const MAX_CSV_BYTES = 4 * 1024 * 1024 * 1024;

/** Bytes looked at before reading the rest, to refuse a binary file without reading it. */
const SNIFF_BYTES = 64 * 1024;

/**
 * A size for messages: `600 MiB`, `1.5 GiB`, `12 bytes`.
 *
 * @param n - bytes
 * @returns the size in binary units
 */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = -1;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ${units[u]}`;
}

/**
 * Where `bytes` stop being UTF-8 (overlong forms, surrogates and code points above U+10FFFF are invalid).
 *
 * @param bytes - the bytes
 * @param partialEndOk - a sequence cut by the end of `bytes` is not invalid (the rest is not read yet)
 * @returns the offset of the first invalid byte, or -1
 */
export function firstInvalidUtf8(bytes: Uint8Array, partialEndOk: boolean): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    if (i + need >= bytes.length) {
      // The sequence runs past the end: invalid, unless the rest is still to come.
      if (!partialEndOk) return i;
      for (let k = i + 1; k < bytes.length; k++) if ((bytes[k] & 0xc0) !== 0x80) return i;
      return -1;
    }
    let cp = b & (0xff >> (need + 2));
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if ((c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/** Refuses a file whose first bytes are not text: a NUL byte, or bytes that are not UTF-8. */
function sniff(file: string, head: Uint8Array, wholeFile: boolean): void {
  const nul = head.indexOf(0);
  if (nul !== -1) {
    throw new InputError(`${file}: a binary file, not text (a NUL byte at offset ${nul}); expected draws JSON, ArviZ JSON or CmdStan CSV`);
  }
  const bad = firstInvalidUtf8(head, !wholeFile);
  if (bad !== -1) {
    const hex = head[bad].toString(16).toUpperCase().padStart(2, '0');
    throw new InputError(`${file}: not UTF-8 text (byte 0x${hex} at offset ${bad}); expected draws JSON, ArviZ JSON or CmdStan CSV saved as UTF-8`);
  }
}

/** Stats the open file: refuses a directory, and a file above `maxBytes` from its size, before reading. */
async function checkSize(file: string, fh: FileHandle, maxBytes: number, kind: string): Promise<{ size: number; isFile: boolean }> {
  const info = await fh.stat();
  if (info.isDirectory()) throw new InputError(`${file}: cannot read: is a directory`);
  if (info.size > maxBytes) {
    throw new InputError(`${file}: ${formatBytes(info.size)}, above the limit of ${formatBytes(maxBytes)} for one ${kind} file; thin the draws or summarise fewer variables in a smaller file`);
  }
  return { size: info.size, isFile: info.isFile() };
}

async function readAll(file: string, fh: FileHandle, maxBytes: number): Promise<string> {
  const info = await checkSize(file, fh, maxBytes, 'input');
  const chunks: Buffer[] = [];
  let total = 0;
  // Read in pieces (a pipe or device reports size 0), sniffing the first piece before reading on.
  for (;;) {
    const want = total === 0 ? SNIFF_BYTES : 1024 * 1024;
    const buf = Buffer.alloc(want);
    const { bytesRead } = await fh.read(buf, 0, want, null);
    if (bytesRead === 0) break;
    chunks.push(buf.subarray(0, bytesRead));
    if (total === 0) sniff(file, chunks[0], bytesRead < want && info.isFile && bytesRead === info.size);
    total += bytesRead;
    if (total > maxBytes) {
      throw new InputError(`${file}: more than the limit of ${formatBytes(maxBytes)} for one input file`);
    }
  }
  const bytes = Buffer.concat(chunks, total);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const bad = firstInvalidUtf8(bytes, false);
    throw new InputError(`${file}: not UTF-8 text (at byte offset ${bad}); expected draws JSON, ArviZ JSON or CmdStan CSV saved as UTF-8`);
  }
}

/**
 * The text of `file`, refusing files above `maxBytes` (from their size, before reading) and
 * binary files (a NUL byte or bytes that are not UTF-8 among the first 64 KiB, before reading the
 * rest). Messages never echo the file's bytes.
 *
 * @param file - path
 * @param maxBytes - size limit (default {@link MAX_INPUT_BYTES})
 * @returns the text (a leading BOM kept; the readers ignore it)
 * @throws InputError `FILE: cannot read: no such file` (or `is a directory`, or the system's
 *   message), `FILE: 600 MiB, above the limit of 256 MiB …`, `FILE: a binary file …`
 */
export async function readText(file: string, maxBytes: number = MAX_INPUT_BYTES): Promise<string> {
  return withInputFile(file, (fh) => readAll(file, fh, maxBytes));
}

/**
 * Reads `file` as a stream of lines (without their `\n`; a `\r` before it is kept), calling
 * `onLine` for each, so that no string ever holds the whole file. Refuses files above `maxBytes`
 * and binary files as {@link readText} does (the first 64 KiB sniffed before reading on; strict
 * UTF-8 decoding of the rest).
 *
 * @param file - path
 * @param onLine - receives each line in order (the last one even without a final line break)
 * @param maxBytes - size limit (default {@link MAX_CSV_BYTES})
 * @throws InputError as {@link readText}, and whatever `onLine` throws
 */
export async function readLines(file: string, onLine: (line: string) => void, maxBytes: number = MAX_CSV_BYTES): Promise<void> {
  await withInputFile(file, async (fh) => {
    const info = await checkSize(file, fh, maxBytes, 'CmdStan CSV');
    const decoder = new TextDecoder('utf-8', { fatal: true });
    let rest = '';
    let total = 0;
    // 64 KiB reads: each decoded piece is then a small string that the young generation's quick
    // collections free (a string of ~1 MB would go to the large-object space, freed only by full
    // collections: reading 50 MB in 1 MiB pieces held ~55 MB).
    const buf = Buffer.alloc(SNIFF_BYTES);
    for (;;) {
      const want = buf.length;
      const { bytesRead } = await fh.read(buf, 0, want, null);
      if (total === 0 && bytesRead > 0) sniff(file, buf.subarray(0, bytesRead), bytesRead < want && info.isFile && bytesRead === info.size);
      if (bytesRead > 0 && total + bytesRead > maxBytes) throw new InputError(`${file}: more than the limit of ${formatBytes(maxBytes)} for one CmdStan CSV file`);
      let text: string;
      try {
        text = decoder.decode(buf.subarray(0, bytesRead), { stream: bytesRead > 0 });
      } catch {
        // Skip the continuation bytes that end a sequence begun in the previous piece.
        const chunk = buf.subarray(0, bytesRead);
        let skip = 0;
        while (skip < 3 && skip < chunk.length && (chunk[skip] & 0xc0) === 0x80) skip++;
        const bad = firstInvalidUtf8(chunk.subarray(skip), bytesRead > 0);
        throw new InputError(`${file}: not UTF-8 text (at byte offset ${total + skip + Math.max(0, bad)}); expected draws JSON, ArviZ JSON or CmdStan CSV saved as UTF-8`);
      }
      total += bytesRead;
      let start = 0;
      for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
        onLine(start === 0 ? rest + text.slice(0, nl) : text.slice(start, nl));
        if (start === 0) rest = '';
        start = nl + 1;
      }
      rest = start === 0 ? rest + text : text.slice(start);
      if (bytesRead === 0) break;
    }
    if (rest !== '') onLine(rest);
  });
}

/** Opens `file`, runs `read` on it and closes it; file-system errors become InputErrors naming the file. */
async function withInputFile<T>(file: string, read: (fh: FileHandle) => Promise<T>): Promise<T> {
  let fh: FileHandle;
  try {
    fh = await open(file, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : osReason(e);
    throw new InputError(`${file}: cannot read: ${why}`);
  }
  try {
    return await read(fh);
  } catch (e) {
    if (e instanceof InputError) throw e;
    if (!(e as NodeJS.ErrnoException).code) throw e; // not the file system's: an error of onLine, or a bug
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`${file}: cannot read: ${code === 'EISDIR' ? 'is a directory' : osReason(e)}`);
  } finally {
    await fh.close();
  }
}
