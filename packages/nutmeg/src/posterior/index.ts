// Public exports of src/posterior: summaries and sampling warnings.
export type { SummaryOptions, SummaryRow, SummaryStatistic } from './summary.js';
export { summary, formatSummaryTable, summaryToJson, summaryToCsv } from './summary.js';
export type { SamplingWarning, SamplingWarningOptions } from './warnings.js';
export { samplingWarnings, formatWarnings, rankWarnings, WARNING_THRESHOLDS } from './warnings.js';
