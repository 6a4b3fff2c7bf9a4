// R's print conventions that loo's print-outs rely on: fixed decimals to a common width, and character matrices printed left-aligned.

/**
 * R's `format(round(x, digits), nsmall = digits)` over a vector: fixed decimals, right-justified
 * to a common width; NaN prints as `NA`.
 *
 * @param x - values
 * @param digits - decimals
 * @returns the formatted strings
 */
export function formatFixed(x: readonly number[], digits: number): string[] {
  const s = x.map((v) => (Number.isNaN(v) ? 'NA' : (Math.round(v * 10 ** digits) / 10 ** digits).toFixed(digits)));
  const w = Math.max(...s.map((v) => v.length));
  return s.map((v) => v.padStart(w));
}

/**
 * A table printed as R prints a character matrix or data frame: row names (padded), then each
 * column one space apart, padded to its widest entry; `alignRight` right-justifies cells and
 * headers (data frames) instead of left (quote = FALSE matrices). Trailing blanks are trimmed.
 *
 * @param rowNames - row names, already justified as R would
 * @param headers - column headers
 * @param cells - rows of cells
 * @param alignRight - right-justify (default false)
 * @returns the lines joined by newlines
 */
export function printTable(
  rowNames: readonly string[],
  headers: readonly string[],
  cells: readonly (readonly string[])[],
  alignRight = false,
): string {
  const rw = Math.max(...rowNames.map((r) => r.length));
  const widths = headers.map((h, j) => Math.max(h.length, ...cells.map((row) => row[j].length)));
  const pad = (c: string, j: number): string => (alignRight ? c.padStart(widths[j]) : c.padEnd(widths[j]));
  const line = (name: string, row: readonly string[]): string => (name.padEnd(rw) + row.map((c, j) => ' ' + pad(c, j)).join('')).trimEnd();
  return [line('', headers), ...rowNames.map((r, i) => line(r, cells[i]))].join('\n');
}
