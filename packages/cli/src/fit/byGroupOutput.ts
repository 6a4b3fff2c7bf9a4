// The outputs of `nutmeg fit --by`: one summary table over all groups (text, JSON, CSV) and the files in --out.
import { summaryToCsv, summaryToJson, formatSummaryTable, arvizJsonChunks, type InferenceData, type SummaryRow } from 'nutmeg';
import type { OutputFolder } from '../outputFolder.js';
import { plainOrQuoted } from './quote.js';

/** One group's fit, summarised. */
export interface GroupSummary {
  readonly level: string;
  readonly rows: readonly SummaryRow[];
  readonly idata: InferenceData;
}

/**
 * The summaries of all groups as one aligned table: columns group, parameter, then az.summary's.
 *
 * @param groups - the fitted groups in level order
 * @returns the table, ending with a newline
 */
export function formatGroupsTable(groups: readonly GroupSummary[]): string {
  const names = groups.map((g) => plainOrQuoted(g.level));
  const groupWidth = Math.max('group'.length, ...names.map((n) => n.length));
  const paramWidth = Math.max('parameter'.length, ...groups.flatMap((g) => g.rows.map((r) => r.label.length)));
  // formatSummaryTable aligns the labels: a label of "group  parameter" gives the two first columns.
  const rows = groups.flatMap((g, i) => g.rows.map((r) => ({ ...r, label: `${names[i].padEnd(groupWidth)}  ${r.label.padEnd(paramWidth)}` })));
  const table = formatSummaryTable(rows);
  const labelWidth = groupWidth + 2 + paramWidth;
  const newline = table.indexOf('\n');
  return `${'group'.padEnd(groupWidth)}  ${'parameter'.padEnd(paramWidth)}${table.slice(labelWidth, newline)}${table.slice(newline)}`;
}

/**
 * The summaries as JSON, `{"<level>": {"<param>": {"mean": …, …}, …}, …}`, levels in level order
 * (written by hand: an object would put integer-like keys first).
 *
 * @param groups - the fitted groups
 * @returns the JSON text (no trailing newline)
 */
export function groupsToJson(groups: readonly GroupSummary[]): string {
  if (groups.length === 0) return '{}';
  const entries = groups.map((g) => `  ${JSON.stringify(g.level)}: ${summaryToJson(g.rows).replace(/\n/g, '\n  ')}`);
  return `{\n${entries.join(',\n')}\n}`;
}

/** Quotes a CSV field when it holds a comma, quote or line break (RFC 4180). */
function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * The summaries as one CSV: columns group, parameter, then az.summary's (full precision, empty for NaN).
 *
 * @param groups - the fitted groups
 * @returns CSV text ending with a newline
 */
export function groupsToCsv(groups: readonly GroupSummary[]): string {
  const first = groups.find((g) => g.rows.length > 0);
  if (!first) return 'group,parameter\n';
  const header = summaryToCsv(first.rows).split('\n')[0];
  const lines = [`group,parameter${header}`];
  for (const g of groups) {
    const body = summaryToCsv(g.rows).split('\n').slice(1, -1);
    for (const line of body) lines.push(`${csvField(g.level)},${line}`);
  }
  return lines.join('\n') + '\n';
}

/** A level as a file name: letters, digits, `.`, `_`, `-` kept, anything else `_`; made unique with the group's number. */
function fileName(level: string, index: number, taken: Set<string>): string {
  let name = level.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100);
  if (name === '' || /^\.+$/.test(name) || taken.has(name.toLowerCase())) name = `${name}_${index + 1}`;
  taken.add(name.toLowerCase());
  return `${name}.json`;
}

/**
 * Writes summary.json, summary.csv and one InferenceData (ArviZ JSON) per group under `fits/`.
 *
 * @param groups - the fitted groups
 * @param out - the output folder (checked)
 * @returns the names written, for the closing message
 * @throws OutputError when a file cannot be written
 */
export async function writeGroupOutputs(groups: readonly GroupSummary[], out: OutputFolder): Promise<string[]> {
  await out.write('summary.json', groupsToJson(groups) + '\n');
  await out.write('summary.csv', groupsToCsv(groups));
  const taken = new Set<string>();
  for (const [i, g] of groups.entries()) await out.write(`fits/${fileName(g.level, i, taken)}`, arvizJsonChunks(g.idata));
  return ['summary.json', 'summary.csv', `fits/ (${groups.length} InferenceData files)`];
}
