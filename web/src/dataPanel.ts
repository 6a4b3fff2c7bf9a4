// The data panel: the embedded radon table, or a CSV the user drops or opens, parsed as `nutmeg fit` does and previewed with inferred column types.
import { parseCsvTable, isMissingCell, type CsvTable } from '@nutmeg/cli/browser';
import { el } from './dom.js';

/** Rows shown in the preview. */
const PREVIEW_ROWS = 8;

/** Largest file read (bytes): the page holds the table and its draws in memory. */
const MAX_FILE_BYTES = 50 * 1024 * 1024;

/** The panel, and how the page talks to it. */
export interface DataPanel {
  readonly element: HTMLElement;
  /** Shows a table (its preview) as the current data. */
  show(table: CsvTable): void;
}

/**
 * Builds the data panel.
 *
 * @param onTable - called with a parsed table when the user opens or drops a CSV, or picks radon again
 * @param radon - the embedded radon table
 * @returns the panel
 */
export function dataPanel(onTable: (t: CsvTable, source: 'radon' | 'file') => void, radon: () => CsvTable): DataPanel {
  const input = el('input', { attrs: { type: 'file', accept: '.csv,text/csv', id: 'csv-file' } });
  const status = el('p', { className: 'data-status', attrs: { id: 'data-status', role: 'status' } });
  const message = el('p', { className: 'error', attrs: { id: 'data-error', role: 'alert', hidden: '' } });
  const preview = el('div', { className: 'preview', attrs: { id: 'data-preview' } });
  const radonButton = el('button', { text: 'Use the radon data', attrs: { type: 'button', id: 'use-radon' } });
  const drop = el('div', { className: 'dropzone', attrs: { id: 'dropzone', tabindex: '0' } }, [
    el('span', { text: 'Drop a CSV file here, or ' }),
    el('label', { className: 'filelabel', attrs: { for: 'csv-file' }, text: 'open one' }),
    input,
  ]);
  const element = el('section', { className: 'panel', attrs: { id: 'data-panel' } }, [el('h2', { text: 'Data' }), drop, radonButton, status, message, preview]);

  const fail = (text: string): void => {
    message.textContent = text;
    message.hidden = false;
  };
  const read = async (file: File): Promise<void> => {
    message.hidden = true;
    if (file.size > MAX_FILE_BYTES) return fail(`${file.name}: larger than ${MAX_FILE_BYTES / 1024 / 1024} MB`);
    let table: CsvTable;
    try {
      table = parseCsvTable(await file.text(), file.name);
    } catch (e) {
      return fail((e as Error).message);
    }
    onTable(table, 'file');
  };
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    if (file) void read(file);
  });
  drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    const file = e.dataTransfer?.files[0];
    if (file) void read(file);
  });
  radonButton.addEventListener('click', () => {
    message.hidden = true;
    onTable(radon(), 'radon');
  });

  return {
    element,
    show(table: CsvTable): void {
      status.textContent = `${table.file}: ${table.records.length} rows, ${table.columns.length} columns`;
      preview.replaceChildren(previewTable(table));
    },
  };
}

/** The first rows of a table, with each column's inferred type and number of missing cells in the header. */
function previewTable(t: CsvTable): HTMLTableElement {
  const head = el(
    'tr',
    {},
    t.columns.map((name, j) => {
      const missing = t.records.filter((r) => isMissingCell(r[j] ?? '')).length;
      const type = t.numeric.has(name) ? 'number' : 'text';
      return el('th', { attrs: { title: `${type}${missing > 0 ? `, ${missing} missing` : ''}` } }, [
        el('span', { className: 'colname', text: name }),
        el('span', { className: `coltype ${type}`, text: missing > 0 ? `${type} · ${missing} NA` : type }),
      ]);
    }),
  );
  const body = el(
    'tbody',
    {},
    t.records.slice(0, PREVIEW_ROWS).map((r) => el('tr', {}, t.columns.map((name, j) => el('td', { className: t.numeric.has(name) ? 'num' : '', text: r[j] ?? '' })))),
  );
  return el('table', { className: 'data' }, [el('thead', {}, [head]), body]);
}
