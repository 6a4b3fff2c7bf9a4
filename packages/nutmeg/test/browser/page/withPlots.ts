// The size budget's comparison entry: the core plus a trace plot rendered to SVG (vega and vega-lite).
export { Model, Normal, HalfNormal, sample, fit, summary, rhat, essBulk, essTail, mcseMean, hdi, loo, plotTrace, renderSvg } from 'nutmeg';
