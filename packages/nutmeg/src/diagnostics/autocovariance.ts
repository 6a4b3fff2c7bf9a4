// Autocovariances of chains, by FFT (zero-padded, so the circular correlation equals the linear one) or, for the first lags, by direct sums.
import { scratchFloat64 } from './scratch.js';
import { sin, cos } from '../core/libm/index.js';

/** An FFT plan: bit-reversal permutation and, for the stage of half-size h, twiddles `w[h + k] = e^{−πik/h}`. */
interface FftPlan {
  rev: Uint32Array;
  wr: Float64Array;
  wi: Float64Array;
}

/** Cached plans by FFT size. */
const plans = new Map<number, FftPlan>();

function plan(m: number): FftPlan {
  let p = plans.get(m);
  if (p) return p;
  const bits = Math.round(Math.log2(m));
  const rev = new Uint32Array(m);
  for (let i = 0; i < m; i++) {
    let r = 0;
    for (let b = 0, v = i; b < bits; b++, v >>= 1) r = (r << 1) | (v & 1);
    rev[i] = r;
  }
  // Stage tables laid end to end, so each stage reads its twiddles contiguously.
  const wr = new Float64Array(m);
  const wi = new Float64Array(m);
  for (let h = 1; h < m; h <<= 1) {
    const step = m / (2 * h);
    for (let k = 0; k < h; k++) {
      wr[h + k] = cos((2 * Math.PI * (k * step)) / m);
      wi[h + k] = -sin((2 * Math.PI * (k * step)) / m);
    }
  }
  p = { rev, wr, wi };
  if (plans.size > 32) plans.clear();
  plans.set(m, p);
  return p;
}

/**
 * In-place forward discrete Fourier transform `X_k = Σ_j x_j e^{−2πijk/m}` of a complex
 * sequence (iterative radix-2 Cooley–Tukey). `m = re.length` must be a power of two.
 */
export function fft(re: Float64Array, im: Float64Array): void {
  const m = re.length;
  if (m <= 1) return;
  const { rev, wr, wi } = plan(m);
  for (let i = 0; i < m; i++) {
    const j = rev[i];
    if (j > i) {
      let t = re[i];
      re[i] = re[j];
      re[j] = t;
      t = im[i];
      im[i] = im[j];
      im[j] = t;
    }
  }
  // First stage: twiddle 1.
  for (let a = 0; a < m; a += 2) {
    const b = a + 1;
    const tr = re[b];
    const ti = im[b];
    re[b] = re[a] - tr;
    im[b] = im[a] - ti;
    re[a] += tr;
    im[a] += ti;
  }
  // Later stages two at a time (half-sizes h and 2h fused: each group of four values is loaded
  // and stored once for both), block by block, so data and twiddles are read in order. Every
  // butterfly is the radix-2 one, so the result is bit for bit that of one stage at a time.
  let h = 2;
  for (; 4 * h <= m; h *= 4) {
    const size = 4 * h;
    for (let start = 0; start < m; start += size) {
      for (let k = 0; k < h; k++) {
        const i0 = start + k;
        const i1 = i0 + h;
        const i2 = i1 + h;
        const i3 = i2 + h;
        // stage h: (i0, i1) and (i2, i3), twiddle w[h + k]
        let cr = wr[h + k];
        let ci = wi[h + k];
        let xr = re[i1];
        let xi = im[i1];
        let tr = xr * cr - xi * ci;
        let ti = xr * ci + xi * cr;
        const a0r = re[i0] + tr;
        const a0i = im[i0] + ti;
        const a1r = re[i0] - tr;
        const a1i = im[i0] - ti;
        xr = re[i3];
        xi = im[i3];
        tr = xr * cr - xi * ci;
        ti = xr * ci + xi * cr;
        const a2r = re[i2] + tr;
        const a2i = im[i2] + ti;
        const a3r = re[i2] - tr;
        const a3i = im[i2] - ti;
        // stage 2h: (i0, i2) with twiddle w[2h + k], (i1, i3) with twiddle w[3h + k]
        cr = wr[2 * h + k];
        ci = wi[2 * h + k];
        tr = a2r * cr - a2i * ci;
        ti = a2r * ci + a2i * cr;
        re[i2] = a0r - tr;
        im[i2] = a0i - ti;
        re[i0] = a0r + tr;
        im[i0] = a0i + ti;
        cr = wr[3 * h + k];
        ci = wi[3 * h + k];
        tr = a3r * cr - a3i * ci;
        ti = a3r * ci + a3i * cr;
        re[i3] = a1r - tr;
        im[i3] = a1i - ti;
        re[i1] = a1r + tr;
        im[i1] = a1i + ti;
      }
    }
  }
  // A last single stage when the number of stages after the first is odd.
  if (h < m) {
    for (let k = 0; k < h; k++) {
      const a = k;
      const b = a + h;
      const cr = wr[h + k];
      const ci = wi[h + k];
      const xr = re[b];
      const xi = im[b];
      const tr = xr * cr - xi * ci;
      const ti = xr * ci + xi * cr;
      re[b] = re[a] - tr;
      im[b] = im[a] - ti;
      re[a] += tr;
      im[a] += ti;
    }
  }
}

/** The smallest power of two ≥ n. */
function nextPow2(n: number): number {
  let m = 1;
  while (m < n) m <<= 1;
  return m;
}

/**
 * The mean over chains of the chains' biased autocovariances,
 * `acov[t] = mean_c (1/n) Σ_{i<n−t} (x_{c,i} − x̄_c)(x_{c,i+t} − x̄_c)` for t = 0 … n−1,
 * the quantity R posterior's `.ess` averages (`autocovariance()` per chain, "biased" as Geyer
 * 1992 recommends). A chain with zero variance contributes zeros, as in posterior.
 *
 * The sum over chains is taken in the frequency domain (power spectra add), two real chains share
 * one complex FFT, and one inverse transform finishes the job: (C/2 + 1) FFTs of size 2^⌈log2 2n⌉.
 *
 * @param chains - chains of equal length n ≥ 1, finite values
 * @param chainMeans - the mean of each chain
 * @returns Float64Array of length n
 * @example
 * meanAutocovariance([Float64Array.of(1, 2, 3, 4)], [2.5])[0]; // 1.25 (biased variance)
 */
export function meanAutocovariance(chains: readonly Float64Array[], chainMeans: ArrayLike<number>): Float64Array {
  const nChains = chains.length;
  const n = chains[0].length;
  const centered = new Float64Array(nChains * n);
  for (let c = 0; c < nChains; c++) {
    const ch = chains[c];
    const mu = chainMeans[c];
    for (let i = 0; i < n; i++) centered[c * n + i] = ch[i] - mu;
  }
  const out = new Float64Array(n);
  autocovarianceFft(centered, nChains, n, out);
  return out;
}

/**
 * `meanAutocovariance` of centred chains laid end to end (chain c at `centered[c·n …]`), all n
 * lags by FFT, written to `out[0 … n−1]`. Work buffers are reused between calls.
 *
 * @param centered - each chain minus its mean
 * @param nChains - number of chains
 * @param n - chain length ≥ 1
 * @param out - receives the autocovariances (length ≥ n)
 */
export function autocovarianceFft(centered: Float64Array, nChains: number, n: number, out: Float64Array): void {
  const m = nextPow2(2 * n);
  // scratch slots: acov.re, acov.im, acov.power
  const re = scratchFloat64('acov.re', m);
  const im = scratchFloat64('acov.im', m);
  const power = scratchFloat64('acov.power', m).fill(0);
  // Chains with zero variance are left out (they contribute exact zeros).
  const live: number[] = [];
  for (let c = 0; c < nChains; c++) {
    const off = c * n;
    let s = 0;
    for (let i = 0; i < n; i++) {
      const d = centered[off + i];
      s += d * d;
    }
    if (s > 0) live.push(c);
  }
  for (let p = 0; p < live.length; p += 2) {
    const paired = p + 1 < live.length;
    const a = live[p] * n;
    for (let i = 0; i < n; i++) re[i] = centered[a + i];
    re.fill(0, n);
    if (paired) {
      const b = live[p + 1] * n;
      for (let i = 0; i < n; i++) im[i] = centered[b + i];
      im.fill(0, n);
    } else {
      im.fill(0);
    }
    fft(re, im);
    if (paired) {
      // Z = FFT(a + ib): A_k = (Z_k + conj Z_{m−k}) / 2, B_k = (Z_k − conj Z_{m−k}) / 2i.
      // The sum of squares at m − k is bit for bit the one at k (the same terms, negated), so
      // half the spectrum is computed and mirrored.
      const half = m >> 1;
      for (let k = 0; k <= half; k++) {
        const mk = (m - k) & (m - 1);
        const ar = 0.5 * (re[k] + re[mk]);
        const ai = 0.5 * (im[k] - im[mk]);
        const br = 0.5 * (im[k] + im[mk]);
        const bi = -0.5 * (re[k] - re[mk]);
        const pk = ar * ar + ai * ai + br * br + bi * bi;
        power[k] += pk;
        if (k !== 0 && k !== half) power[mk] += pk;
      }
    } else {
      for (let k = 0; k < m; k++) power[k] += re[k] * re[k] + im[k] * im[k];
    }
  }
  // The power spectrum is real and even, so its inverse transform is its forward transform / m.
  im.fill(0);
  re.set(power);
  fft(re, im);
  const scale = 1 / (m * n * nChains);
  for (let t = 0; t < n; t++) out[t] = re[t] * scale;
}

/**
 * Lags `from … to−1` of the mean autocovariance of centred chains laid end to end, by direct
 * sums (`acov[t] = Σ_c Σ_{i<n−t} d_{c,i} d_{c,i+t} / (n·C)`): cheaper than the FFT when only the
 * first few lags are needed, as for well-mixing chains, and more accurate.
 *
 * @param centered - each chain minus its mean
 * @param nChains - number of chains
 * @param n - chain length
 * @param from - first lag
 * @param to - one past the last lag (≤ n)
 * @param out - receives `acov[from … to−1]`
 */
export function autocovarianceDirect(centered: Float64Array, nChains: number, n: number, from: number, to: number, out: Float64Array): void {
  const scale = 1 / (n * nChains);
  let t = from;
  // Four lags per pass over the data: each d_{c,i} is loaded once for all four.
  for (; t + 3 < to; t += 4) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let c = 0; c < nChains; c++) {
      const off = c * n;
      const end = off + n - t - 3;
      let i = off;
      for (; i < end; i++) {
        const d = centered[i];
        s0 += d * centered[i + t];
        s1 += d * centered[i + t + 1];
        s2 += d * centered[i + t + 2];
        s3 += d * centered[i + t + 3];
      }
      // the last three products of the shorter lags
      for (; i < off + n - t; i++) {
        const d = centered[i];
        s0 += d * centered[i + t];
        if (i + t + 1 < off + n) s1 += d * centered[i + t + 1];
        if (i + t + 2 < off + n) s2 += d * centered[i + t + 2];
      }
    }
    out[t] = s0 * scale;
    out[t + 1] = s1 * scale;
    out[t + 2] = s2 * scale;
    out[t + 3] = s3 * scale;
  }
  for (; t < to; t++) {
    let s = 0;
    for (let c = 0; c < nChains; c++) {
      const off = c * n;
      const end = off + n - t;
      for (let i = off; i < end; i++) s += centered[i] * centered[i + t];
    }
    out[t] = s * scale;
  }
}
