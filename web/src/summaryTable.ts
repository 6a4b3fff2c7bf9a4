// The posterior summary as a sortable table (click a column heading; again to reverse), with a filter on the parameter names.
import type { SummaryRow } from 'nutmeg';
import { el, formatNumber } from './dom.js';

/** Decimals per statistic, as az.summary prints them. */
const DECIMALS: Readonly<Record<string, number>> = { ess_bulk: 0, ess_tail: 0, r_hat: 2 };

/**
 * Builds the summary table.
 *
 * @param rows - rows from summary()
 * @returns a container with the filter box and the table
 */
export function summaryTable(rows: readonly SummaryRow[]): HTMLElement {
  const columns = rows.length > 0 ? Object.keys(rows[0].stats) : [];
  let sortKey = 'parameter';
  let descending = false;
  let order = [...rows];
  const filter = el('input', { attrs: { type: 'search', id: 'summary-filter', placeholder: 'filter parameters', 'aria-label': 'filter parameters' } });
  const body = el('tbody');
  const headers = ['parameter', ...columns].map((c) => {
    const th = el('th', { attrs: { 'data-key': c, 'aria-sort': 'none', scope: 'col' } }, [el('button', { text: c, attrs: { type: 'button' } })]);
    th.addEventListener('click', () => {
      descending = sortKey === c ? !descending : false;
      sortKey = c;
      sort();
      for (const h of headers) h.setAttribute('aria-sort', h === th ? (descending ? 'descending' : 'ascending') : 'none');
      draw();
    });
    return th;
  });
  const sort = (): void => {
    const sign = descending ? -1 : 1;
    order = [...rows];
    if (sortKey === 'parameter') return void (descending && order.reverse());
    // NaN (undefined statistics) last, whichever the direction.
    order.sort((a, b) => {
      const x = a.stats[sortKey];
      const y = b.stats[sortKey];
      if (!Number.isFinite(x)) return Number.isFinite(y) ? 1 : 0;
      if (!Number.isFinite(y)) return -1;
      return sign * (x - y);
    });
  };
  const draw = (): void => {
    const needle = filter.value.trim().toLowerCase();
    const shown = needle === '' ? order : order.filter((r) => r.label.toLowerCase().includes(needle));
    body.replaceChildren(
      ...shown.map((r) =>
        el('tr', { className: r.stats.r_hat > 1.01 ? 'warn' : '' }, [
          el('th', { text: r.label, attrs: { scope: 'row' } }),
          ...columns.map((c) => el('td', { className: 'num', text: formatNumber(r.stats[c], DECIMALS[c] ?? 3) })),
        ]),
      ),
    );
  };
  filter.addEventListener('input', draw);
  draw();
  const table = el('table', { className: 'summary', attrs: { id: 'summary-table' } }, [el('thead', {}, [el('tr', {}, headers)]), body]);
  return el('div', { className: 'summary-wrap' }, [filter, el('div', { className: 'scroll' }, [table])]);
}
