// Public exports of src/report: a pure builder of self-contained HTML reports.
export { renderReport, inlineSvg, formatCell, escapeHtml } from './html.js';
export type { ReportInput, ReportSection, ReportFigure, ReportTable, ReportBlock, ReportCell } from './html.js';
