// Explicit, splittable pseudo-random numbers: xoshiro128** streams derived from (seed, stream id).
import { log } from './libm/index.js';
import { ZIGGURAT, ZIGGURAT_R, zigguratDensity } from './ziggurat.js';

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

  /**
   * Fills `out` with standard normal draws by the ziggurat method (Marsaglia & Tsang 2000, 256
   * layers): two 32-bit words per draw, a table look-up and a multiplication, and an exponential or
   * logarithm in ~1.2% of draws only, ~3× faster than {@link Rng.fillNormal} (the polar method, a
   * logarithm per pair). Different numbers from `fillNormal`, and as exact: every draw is standard
   * normal up to the 53-bit resolution of its uniform. The layer comes from 8 bits of the first word
   * and the uniform from its other 21 and the second word's 32, so layer and position are
   * independent (the flaw Doornik 2005 found in the original, which took both from one word).
   * NUTS draws its momentum with it.
   *
   * References: G. Marsaglia & W. W. Tsang (2000), The ziggurat method for generating random
   * variables, J. Stat. Softw. 5(8); J. A. Doornik (2005), An improved ziggurat method to generate
   * normal random samples; G. Marsaglia (1964), Generating a variable from the tail of the normal
   * distribution, Technometrics 6(1).
   */
  fillNormalZiggurat(out: Float64Array): Float64Array {
    const { X, RATIO } = ZIGGURAT;
    let s0 = this.s0, s1 = this.s1, s2 = this.s2, s3 = this.s3;
    const n = out.length;
    for (let i = 0; i < n; i++) {
      // Two xoshiro128** outputs, as nextUint32 computes them, with the state in locals (as in
      // fillNormal): ~7.5 ns per normal against ~14.5 ns calling nextUint32, which loads and stores
      // the four fields each time.
      let m = Math.imul(s1, 5);
      const w0 = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
      let t = s1 << 9;
      s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = (s3 << 11) | (s3 >>> 21);
      m = Math.imul(s1, 5);
      const w1 = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
      t = s1 << 9;
      s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = (s3 << 11) | (s3 >>> 21);
      const layer = w0 & 0xff;
      const u = zigguratUniform(w0, w1);
      if (Math.abs(u) < RATIO[layer]) {
        out[i] = u * X[layer];
        continue;
      }
      this.s0 = s0;
      this.s1 = s1;
      this.s2 = s2;
      this.s3 = s3;
      out[i] = this.zigguratEdgeDraw(layer, u);
      s0 = this.s0;
      s1 = this.s1;
      s2 = this.s2;
      s3 = this.s3;
    }
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
    return out;
  }

  /**
   * For a fast copy of {@link Rng.fillNormalZiggurat} outside this class (the NUTS kernel's
   * WebAssembly, hmc/vectorKernels.wat): writes the xoshiro128** state to `words[0..3]`.
   * @internal
   */
  saveWords(words: Int32Array): void {
    words[0] = this.s0;
    words[1] = this.s1;
    words[2] = this.s2;
    words[3] = this.s3;
  }

  /** The state back from `words[0..3]` (see {@link Rng.saveWords}). @internal */
  loadWords(words: Int32Array): void {
    this.s0 = words[0];
    this.s1 = words[1];
    this.s2 = words[2];
    this.s3 = words[3];
  }

  /**
   * The ziggurat draw whose point u·X[layer] fell outside the layer's part that lies wholly under
   * the density: accepted by a uniform height in the layer, else drawn again; the base layer's
   * overhang is the tail beyond r, drawn by Marsaglia's (1964) method. The rare path of
   * `fillNormalZiggurat`, and of its fast copy elsewhere (see {@link Rng.saveWords}).
   * @internal
   */
  zigguratEdgeDraw(layer: number, u: number): number {
    const { X, F, RATIO } = ZIGGURAT;
    for (;;) {
      if (layer === 0) {
        let x: number, y: number;
        do {
          x = -log(this.uniformOpen()) / ZIGGURAT_R;
          y = -log(this.uniformOpen());
        } while (2 * y < x * x);
        return u < 0 ? -(ZIGGURAT_R + x) : ZIGGURAT_R + x;
      }
      const x = u * X[layer];
      if (F[layer + 1] + (F[layer] - F[layer + 1]) * this.uniform() < zigguratDensity(x)) return x;
      const w0 = this.nextUint32();
      const w1 = this.nextUint32();
      layer = w0 & 0xff;
      u = zigguratUniform(w0, w1);
      if (Math.abs(u) < RATIO[layer]) return u * X[layer];
    }
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

/** A uniform in [−1, 1) from the top 21 bits of `w0` (its low 8 pick the ziggurat layer) and all of `w1`: 53 random bits. */
function zigguratUniform(w0: number, w1: number): number {
  return 2 * (((w0 >>> 11) * 4294967296 + w1) / 9007199254740992) - 1;
}
