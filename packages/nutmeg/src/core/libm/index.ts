// The elementary functions nutmeg computes itself, so that a seed gives the same bits in every JavaScript engine (engines' Math.exp, Math.log, … differ in the last bit).
export { exp, expIO, expm1 } from './exp.js';
export { expInto, sumExp } from './expArray.js';
export { log, logIO, log1p, log1pIO } from './log.js';
export { log1pSum, log1pSums, log1pInto } from './log1pSum.js';
export { pow } from './pow.js';
export { sin, cos, tanh, cosh } from './trig.js';
export { LIBM_IO } from './words.js';
