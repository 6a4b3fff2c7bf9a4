// Fresh f64 vectors carved out of larger blocks: the per-transition copies of a chain's state without a heap allocation each.
import { copyVec } from './vectorArena.js';

/**
 * Bytes up to which V8 keeps a typed array's elements inside its object on the JS heap
 * (V8_TYPED_ARRAY_MAX_SIZE_IN_HEAP, 64). Longer arrays get a backing store malloc'd outside the
 * heap and tracked by the collector: `new Float64Array(175)` costs ~1.1 µs against ~40 ns for
 * `new Float64Array(3)`, and a view into an existing buffer ~150 ns whatever its length.
 */
const ON_HEAP_BYTES = 64;

/** Bytes per block the views are carved from. */
const BLOCK_BYTES = 1 << 16;

/**
 * Hands out vectors of one length that are never handed out twice, so a caller may keep each as
 * an immutable value (NUTS's states are). Short vectors are plain arrays; longer ones are views
 * into shared blocks of 64 KiB, and a block is freed when no view into it is left. A chain keeps
 * only its current state, so it holds one or two blocks; a caller that keeps every k-th state of
 * a long run holds a block per state kept once k exceeds the block's ~46 states of 175 values
 * (copy what you keep: `Float64Array.from(state.position)`).
 */
export class VectorSlab {
  private readonly n: number;
  private readonly perBlock: number;
  private block: ArrayBuffer | null = null;
  private used = 0;

  constructor(n: number) {
    this.n = n;
    this.perBlock = n * 8 <= ON_HEAP_BYTES ? 0 : Math.max(1, Math.floor(BLOCK_BYTES / (n * 8)));
  }

  /** A fresh vector equal to `src` (of the slab's length). */
  copyOf(src: Float64Array): Float64Array {
    const out = this.take();
    copyVec(out, src);
    return out;
  }

  /** A fresh zero-filled vector. */
  take(): Float64Array {
    if (this.perBlock === 0) return new Float64Array(this.n);
    if (this.block === null || this.used === this.perBlock) {
      this.block = new ArrayBuffer(this.perBlock * this.n * 8);
      this.used = 0;
    }
    return new Float64Array(this.block, this.n * 8 * this.used++, this.n);
  }
}
