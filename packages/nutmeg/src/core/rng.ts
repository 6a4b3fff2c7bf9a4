// Explicit, splittable pseudo-random numbers: xoshiro128** streams derived from (seed, stream id).
import { log } from './libm/index.js';

/** Serialisable state of an {@link Rng}. */
export interface RngState {
  s: [number, number, number, number];
  spare: number | null;
  seedWord: number;
  streamWord: number;
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A pseudo-random number generator (xoshiro128**, Blackman & Vigna 2018) whose streams are
 * derived from a seed and a stream id, so that one seed gives independent, reproducible streams
 * for every chain whatever order they run in. `Math.random` is never used in nutmeg.
 *
 * @example
 * ```ts
 * import { Rng } from 'nutmeg';
 * const rng = new Rng(42);
 * const chain1 = rng.split(1); // independent of chain 0 = rng.split(0)
 * const u = chain1.uniform();  // in [0, 1)
 * const z = chain1.normal();   // standard normal
 * ```
 */
export class Rng {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  // The spare normal, or NaN when there is none: always a double, so V8 never boxes it.
  private spare = NaN;
  private seedWord: number;
  private streamWord: number;

  /**
   * @param seed - an integer in [0, 2^32); the same seed gives the same numbers, and distinct seeds
   *   in that range give distinct streams. (Higher bits are folded into the same 32-bit word, so a
   *   seed ≥ 2^32 repeats the stream of one below it, and fractions are truncated: `sample` and
   *   `fit` refuse such seeds.)
   * @param stream - stream id; different ids give independent streams.
   */
  constructor(seed: number, stream = 0) {
    if (!Number.isFinite(seed)) throw new RangeError(`Rng: seed must be a finite number, got ${seed}`);
    const lo = (seed >>> 0) ^ 0x9e3779b9;
    const hi = Math.floor(seed / 4294967296) >>> 0;
    this.seedWord = fmix32(lo ^ fmix32(hi + 0x7f4a7c15));
    this.streamWord = fmix32((stream >>> 0) + 0x632be5ab) ^ fmix32(Math.floor(stream / 4294967296) + 0x1b873593);
    let h = fmix32(this.seedWord ^ this.streamWord);
    this.s0 = h = fmix32(h + 0x9e3779b9);
    this.s1 = h = fmix32(h + 0x9e3779b9 ^ this.streamWord);
    this.s2 = h = fmix32(h + 0x9e3779b9 ^ this.seedWord);
    this.s3 = fmix32(h + 0x9e3779b9);
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
    for (let i = 0; i < 8; i++) this.nextUint32();
  }

  /** A generator for sub-stream `id`, independent of this one and of other ids. */
  split(id: number): Rng {
    return new Rng(this.seedWord * 65536 + (this.streamWord & 0xffff) + 1, fmix32(this.streamWord ^ fmix32(id + 1)) + id * 4294967296);
  }

  /** A uniformly distributed 32-bit unsigned integer. */
  nextUint32(): number {
    const s0 = this.s0, s1 = this.s1, s2 = this.s2, s3 = this.s3;
    const m = Math.imul(s1, 5);
    const r = Math.imul((m << 7) | (m >>> 25), 9);
    const t = s1 << 9;
    this.s2 = s2 ^ s0;
    this.s3 = s3 ^ s1;
    this.s1 = s1 ^ this.s2;
    this.s0 = s0 ^ this.s3;
    this.s2 ^= t;
    this.s3 = (this.s3 << 11) | (this.s3 >>> 21);
    return r >>> 0;
  }

  /** A uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** A uniform double in the open interval (0, 1). */
  uniformOpen(): number {
    let u = this.uniform();
    while (u === 0) u = this.uniform();
    return u;
  }

  /** A standard normal draw (polar Box–Muller; the spare value is kept in the state). */
  normal(): number {
    if (this.spare === this.spare) {
      const v = this.spare;
      this.spare = NaN;
      return v;
    }
    let u: number, v: number, s: number;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * log(s)) / s);
    this.spare = v * f;
    return u * f;
  }

  /**
   * Fills `out` with standard normal draws: the same numbers as calling {@link Rng.normal} that
   * many times, about twice as fast (the generator state stays in registers).
   */
  fillNormal(out: Float64Array): Float64Array {
    let s0 = this.s0, s1 = this.s1, s2 = this.s2, s3 = this.s3;
    let spare = this.spare;
    const n = out.length;
    let i = 0;
    while (i < n) {
      if (spare === spare) {
        out[i++] = spare;
        spare = NaN;
        continue;
      }
      let u: number, v: number, s: number;
      do {
        // Four xoshiro128** outputs → two 53-bit uniforms (as uniform() does), unrolled.
        let m = Math.imul(s1, 5);
        const w0 = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
        let t = s1 << 9;
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = (s3 << 11) | (s3 >>> 21);
        m = Math.imul(s1, 5);
        const w1 = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
        t = s1 << 9;
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = (s3 << 11) | (s3 >>> 21);
        m = Math.imul(s1, 5);
        const w2 = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
        t = s1 << 9;
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = (s3 << 11) | (s3 >>> 21);
        m = Math.imul(s1, 5);
        const w3 = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
        t = s1 << 9;
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = (s3 << 11) | (s3 >>> 21);
        u = 2 * (((w0 >>> 5) * 67108864 + (w1 >>> 6)) / 9007199254740992) - 1;
        v = 2 * (((w2 >>> 5) * 67108864 + (w3 >>> 6)) / 9007199254740992) - 1;
        s = u * u + v * v;
      } while (s >= 1 || s === 0);
      const f = Math.sqrt((-2 * log(s)) / s);
      spare = v * f;
      out[i++] = u * f;
    }
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
    this.spare = spare;
    return out;
  }

  /** The state, for checkpoints; restore with {@link Rng.fromState}. */
  getState(): RngState {
    return { s: [this.s0, this.s1, this.s2, this.s3], spare: Number.isNaN(this.spare) ? null : this.spare, seedWord: this.seedWord, streamWord: this.streamWord };
  }

  /** A generator that continues from a saved state. */
  static fromState(state: RngState): Rng {
    const r = new Rng(0);
    [r.s0, r.s1, r.s2, r.s3] = state.s;
    r.spare = state.spare ?? NaN;
    r.seedWord = state.seedWord;
    r.streamWord = state.streamWord;
    return r;
  }
}
