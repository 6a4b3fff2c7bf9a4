// exp, log1p, softplus and the logistic function as JS statements that generated code runs in place: the same algorithm and bits as exp.ts and log.ts, without a call.
//
// A call from a model's large generated function is often not inlined by V8, and a call that is
// not inlined passes its double through memory (LIBM_IO) or boxes it: 2–3× the cost of the
// arithmetic. These templates write the common path of each function into the generated source;
// the rare paths (overflow, underflow, tiny arguments, NaN, a 1 + x next to a power of two) call
// the functions themselves, so every result is the one the function gives.
//
// The generated code must have in scope `exp` and `log1p` (exp.ts, log.ts) and the constants of
// {@link LIBM_INLINE_SCOPE} by those names. Every name a template declares starts with `lm` and
// ends with a number from `fresh`, so templates nest without shadowing.
import { LIBM_POW2, LIBM_WORDS, LIBM_WORDS_HIGH, fromWords } from './words.js';

/** The closure constants the templates' code reads, by the names it uses. */
export const LIBM_INLINE_SCOPE = { libmPow2: LIBM_POW2, libmWords: LIBM_WORDS, libmWordsHigh: LIBM_WORDS_HIGH } as const;

/** A source of unique suffixes for the templates' local names. */
export type FreshName = () => string;

const lit = (v: number): string => (v < 0 ? `(${v})` : String(v));

// exp.ts's constants.
const LN2_HI = 6.93147180369123816490e-1;
const LN2_LO = 1.90821492927058770002e-10;
const INV_LN2 = 1.44269504088896338700e0;
const P = [1.66666666666666019037e-1, -2.77777777770155933842e-3, 6.61375632143793436117e-5, -1.65339022054652515390e-6, 4.13813679705723846039e-8];

/**
 * Statements that set the (already declared) variable `out` to exp(`x`), as {@link exp} computes it.
 *
 * @param out - the name of a declared `let` variable
 * @param x - a JS name or literal (evaluated more than once)
 * @param fresh - unique suffixes for local names
 * @returns JS statements
 */
export function inlineExp(out: string, x: string, fresh: FreshName): string {
  const u = fresh();
  const [ax, k, hi, lo, r, t, c] = ['ax', 'k', 'hi', 'lo', 'r', 't', 'c'].map((n) => `lm${n}${u}`);
  const xv = `lmx${u}`;
  // Outside |x| in [2^-28, 709), and at x = 1 (V8's special case), exp itself decides.
  return (
    `{ const ${xv} = ${x}; const ${ax} = ${xv} < 0 ? -${xv} : ${xv}; ` +
    `if (!(${ax} < 709) || ${ax} < 3.725290298461914e-9 || ${xv} === 1) ${out} = exp(${xv}); else { ` +
    `const ${k} = ${ax} < 0.3465735912322998 ? 0 : ${ax} < 1.0397205352783203 ? (${xv} > 0 ? 1 : -1) : (${INV_LN2} * ${xv} + (${xv} > 0 ? 0.5 : -0.5)) | 0; ` +
    `const ${hi} = ${xv} - ${k} * ${LN2_HI}; const ${lo} = ${k} * ${LN2_LO}; const ${r} = ${hi} - ${lo}; const ${t} = ${r} * ${r}; ` +
    `const ${c} = ${r} - ${t} * (${P[0]} + ${t} * (${lit(P[1])} + ${t} * (${P[2]} + ${t} * (${lit(P[3])} + ${t} * ${P[4]})))); ` +
    `${out} = ${k} === 0 ? 1 - ((${r} * ${c}) / (${c} - 2) - ${r}) : (1 - (${lo} - (${r} * ${c}) / (2 - ${c}) - ${hi})) * libmPow2[${k} + 1074]; } }`
  );
}

// log.ts's constants.
const LOG_LN2_HI = 6.93147180369123816490e-1;
const LOG_LN2_LO = 1.90821492927058770002e-10;
const LG = [6.666666666666735130e-1, 3.999999999940941908e-1, 2.857142874366239149e-1, 2.222219843214978396e-1, 1.818357216161805012e-1, 1.531383769920937332e-1, 1.479819860511658591e-1];
// log1pIO's tests of the high word, for positive x, as comparisons with the doubles whose high words they are.
/** 2^-29 (high word 0x3e200000): below it log1p(x) is x or x − x²/2. */
const LOG1P_TINY = fromWords(0x3e200000, 0);
/** High word 0x3fda827a (about √2 − 1): below it log1p needs no reduction. */
const LOG1P_NO_REDUCTION = fromWords(0x3fda827a, 0);
/** 2^53 (high word 0x43400000): from there 1 + x rounds to x. */
const TWO53 = fromWords(0x43400000, 0);

/**
 * Statements that set `out` to log1p(`x`), as {@link log1p} computes it, inline for 2^-29 ≤ x < 2^53
 * (the argument softplus gives it); other arguments call log1p.
 *
 * @param out - the name of a declared `let` variable
 * @param x - a JS name or literal (evaluated more than once)
 * @param fresh - unique suffixes for local names
 * @returns JS statements
 */
export function inlineLog1p(out: string, x: string, fresh: FreshName): string {
  const v = fresh();
  const [f, k, c, u, e, m, w, hfsq, s, z, r] = ['f', 'k', 'c', 'u', 'e', 'm', 'w', 'hfsq', 's', 'z', 'r'].map((n) => `lm${n}${v}`);
  const poly = `${z} * (${LG[0]} + ${z} * (${LG[1]} + ${z} * (${LG[2]} + ${z} * (${LG[3]} + ${z} * (${LG[4]} + ${z} * (${LG[5]} + ${z} * ${LG[6]}))))))`;
  // 1 + x = 2^k·(1 + f), with c correcting the rounding of 1 + x (log1pIO's reduction; the high
  // word of u read through libmWords/libmWordsHigh, two views of one buffer).
  return (
    `{ let ${f} = ${x}, ${k} = 0, ${c} = 0; let ${w} = ${x} >= ${LOG1P_TINY} && ${x} < ${TWO53}; ` +
    `if (${w} && ${x} >= ${LOG1P_NO_REDUCTION}) { const ${u} = 1 + ${x}; libmWords[0] = ${u}; const ${e} = (libmWordsHigh[0] >> 20) - 1023; const ${m} = libmWordsHigh[0] & 0x000fffff; ` +
    `${c} = (${e} > 0 ? 1 - (${u} - ${x}) : ${x} - (${u} - 1)) / ${u}; ${k} = ${m} < 0x6a09e ? ${e} : ${e} + 1; ${f} = ${u} * libmPow2[1074 - ${k}] - 1; ` +
    `if ((${m} < 0x6a09e ? ${m} : (0x00100000 - ${m}) >> 2) === 0) ${w} = false; } ` +
    `if (${w}) { const ${hfsq} = 0.5 * ${f} * ${f}; const ${s} = ${f} / (2 + ${f}); const ${z} = ${s} * ${s}; const ${r} = ${poly}; ` +
    `${out} = ${k} * ${LOG_LN2_HI} - (${hfsq} - (${s} * (${hfsq} + ${r}) + (${k} * ${LOG_LN2_LO} + ${c})) - ${f}); } else ${out} = log1p(${x}); }`
  );
}

/**
 * Statements that set `out` to softplus log(1 + e^`x`), as math/special.ts's `log1pexp` computes it.
 *
 * @param out - the name of a declared `let` variable
 * @param x - a JS name or literal (evaluated more than once)
 * @param fresh - unique suffixes for local names
 * @returns JS statements
 */
export function inlineLog1pexp(out: string, x: string, fresh: FreshName): string {
  const e = `lme${fresh()}`;
  const l = `lml${fresh()}`;
  return (
    `if (${x} > 33.3) ${out} = ${x}; else { let ${e} = 0; ${inlineExp(e, `(${x} <= 18 ? ${x} : -${x})`, fresh)} ` +
    `if (${x} <= -37) ${out} = ${e}; else if (${x} <= 18) { let ${l} = 0; ${inlineLog1p(l, e, fresh)} ${out} = ${l}; } else ${out} = ${x} + ${e}; }`
  );
}

/**
 * Statements that set `out` to the logistic function 1 / (1 + e^−`x`), as math/special.ts's `expit` computes it.
 *
 * @param out - the name of a declared `let` variable
 * @param x - a JS name or literal (evaluated more than once)
 * @param fresh - unique suffixes for local names
 * @returns JS statements
 */
export function inlineExpit(out: string, x: string, fresh: FreshName): string {
  const e = `lme${fresh()}`;
  return `{ let ${e} = 0; ${inlineExp(e, `(${x} >= 0 ? -${x} : ${x})`, fresh)} ${out} = ${x} >= 0 ? 1 / (1 + ${e}) : ${e} / (1 + ${e}); }`;
}
