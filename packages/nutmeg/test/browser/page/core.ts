// The size budget's entry: the core a page needs to fit a model (Model, compile, NUTS, ADVI, summary and diagnostics), without the plots.
export { Model, Normal, HalfNormal, sample, fit, summary, rhat, essBulk, essTail, mcseMean, hdi, loo } from 'nutmeg';
