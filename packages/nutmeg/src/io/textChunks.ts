// Text written as a sequence of bounded pieces, so that a file of any size is never held as one string (V8's limit is 2^29 − 24 characters).

/** Options of the chunked writers (`arvizJsonChunks`, `stanCsvChunks`). */
export interface ChunkOptions {
  /**
   * Characters per chunk, about: a chunk is yielded once it holds at least this many, and it holds
   * at most this many plus one row of a few thousand numbers (or one `attrs` object, written whole).
   * Default 2^16 (64 KiB of ASCII): chunks this small die young and V8's scavenges reclaim them at
   * once; chunks of 1 MiB (large objects, freed only by full collections) left 66–79 MB of garbage
   * behind while writing an idata.json of 0.16–1.6 GB, 64 KiB chunks 15–32 MB, at the same speed.
   */
  readonly chunkChars?: number;
}

/** The default chunk size, in characters (see {@link ChunkOptions}). */
export const DEFAULT_CHUNK_CHARS = 2 ** 16;

/** The most numbers formatted into one piece of text before the chunk's size is checked again. */
export const NUMBERS_PER_PIECE = 4096;

/**
 * Collects pieces of text until a chunk is full. The writers' generators call {@link add}, and
 * yield {@link take} whenever {@link full} says so.
 */
export class TextChunks {
  private parts: string[] = [];
  private size = 0;
  private readonly limit: number;

  /**
   * @param options - the chunk size
   * @throws RangeError when `chunkChars` is not a positive whole number
   */
  constructor(options: ChunkOptions = {}) {
    const limit = options.chunkChars ?? DEFAULT_CHUNK_CHARS;
    if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`chunkChars must be a whole number ≥ 1, got ${String(limit)}`);
    this.limit = limit;
  }

  /** Appends a piece of text. */
  add(text: string): void {
    this.parts.push(text);
    this.size += text.length;
  }

  /** Whether the pieces so far make a chunk. */
  full(): boolean {
    return this.size >= this.limit;
  }

  /** Whether anything is waiting. */
  pending(): boolean {
    return this.size > 0;
  }

  /** The pieces so far as one string; the buffer starts empty again. */
  take(): string {
    const chunk = this.parts.join('');
    this.parts = [];
    this.size = 0;
    return chunk;
  }
}
