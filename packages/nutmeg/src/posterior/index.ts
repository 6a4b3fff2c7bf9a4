// Public exports of src/posterior.
export type { SummaryOptions, SummaryRow, SummaryStatistic } from './summary.js';
export { summary, formatSummaryTable, summaryToJson, summaryToCsv } from './summary.js';
