// `nutmeg summary FILE…`: the az.summary table of draws read from draws JSON, ArviZ JSON or CmdStan CSV files.
import { InputError, OptionError, formatWarnings, samplingWarnings, fromArvizJson, looksLikeArvizJson, fromDrawsJson, parseJsonText, fromStanCsvChains, StanCsvChainReader, type StanCsvChain, formatSummaryTable, summary, summaryToCsv, summaryToJson, type GroupName, type InferenceData, type SummaryRow } from 'nutmeg';
import { basename } from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { MAX_CSV_BYTES, MAX_INPUT_BYTES, formatBytes, readLines, readText } from './readText.js';
import { reportUnexpected } from './unexpectedError.js';

/** Where output goes; tests pass their own. */
export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

const processIo: Io = {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
};

interface Flags {
  json?: boolean;
  csv?: boolean;
  hdiProb: number;
  var?: string[];
  coords?: boolean;
  group: string;
  stats: 'all' | 'stats' | 'diagnostics';
  warnings: boolean;
}

function parseProb(v: string): number {
  const p = Number(v);
  if (v.trim() === '' || !(p > 0 && p <= 1)) throw new InvalidArgumentError('expected a probability in (0, 1], e.g. 0.94.');
  return p;
}

/** One set of draws to summarise: a JSON file, or all the CmdStan CSV files together (one per chain). */
interface Run {
  label: string;
  idata: InferenceData;
}

async function loadRuns(files: readonly string[]): Promise<Run[]> {
  const csv = files.filter((f) => /\.csv$/i.test(f));
  const other = files.filter((f) => !/\.csv$/i.test(f));
  const runs: Run[] = [];
  for (const file of other) {
    const text = await readText(file);
    const data = parseJsonText(text, file);
    const idata = looksLikeArvizJson(data) ? fromArvizJson(text, file) : fromDrawsJson(text, file);
    runs.push({ label: file, idata });
  }
  if (csv.length > 0) {
    const chains = [];
    for (const f of csv) chains.push(await readStanCsvFile(f));
    runs.push({ label: csv.length === 1 ? csv[0] : csv.map((f) => basename(f)).join(' '), idata: fromStanCsvChains(chains) });
  }
  return runs;
}

/**
 * Reads one CmdStan CSV file as a stream of lines into a chain, so that no string holds the whole
 * file (the same reader `fromStanCsv` uses on a whole text, so the results are the same).
 *
 * @param file - path
 * @returns the chain
 * @throws InputError naming the file (unreadable, too large, binary, or bad content by line and column)
 */
export async function readStanCsvFile(file: string): Promise<StanCsvChain> {
  const reader = new StanCsvChainReader(file);
  await readLines(file, (line) => reader.line(line));
  return reader.end();
}

/**
 * A message or label for the terminal: control and invisible characters (from file names or file
 * contents) as `\\uXXXX`, except the line breaks and tabs of a multi-line message.
 */
function forTerminal(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    const invisible = (c < 0x20 && ch !== '\n' && ch !== '\t') || (c >= 0x7f && c <= 0x9f) || (c >= 0x2028 && c <= 0x202e) ||
      (c >= 0x2066 && c <= 0x2069) || (c >= 0xd800 && c <= 0xdfff);
    out += invisible ? `\\u${c.toString(16).padStart(4, '0')}` : ch;
  }
  return out;
}

function checkVars(run: Run, group: string, names: readonly string[] | undefined): void {
  const g = run.idata.groups[group as GroupName];
  if (!g) {
    const have = Object.keys(run.idata.groups).join(', ') || '(none)';
    throw new OptionError('--group', `${run.label} has no '${group}' group (groups: ${have})`);
  }
  const available = Object.keys(g.vars);
  for (const raw of names ?? []) {
    const n = raw.startsWith('~') ? raw.slice(1) : raw;
    if (!available.includes(n)) {
      throw new InputError(`${run.label}: unknown variable '${n}' (variables: ${available.join(', ') || 'none'})`);
    }
  }
}

/**
 * Runs `nutmeg summary`.
 *
 * @param argv - arguments after `summary`
 * @param io - output sinks (default: stdout, stderr)
 * @returns exit code: 0 on success, 2 for bad input or usage
 */
export async function run(argv: string[], io: Io = processIo): Promise<number> {
  const program = new Command('nutmeg summary')
    .description(
      'Summarise MCMC draws as ArviZ\'s az.summary: mean, sd, HDI, MCSE, bulk/tail ESS and rank-normalised R-hat.\n\n' +
        'FILE is a draws JSON {"<name>": [[chain 0 draws], [chain 1 draws], ...]} (elements written "alpha[0]", ...),\n' +
        'nutmeg\'s ArviZ InferenceData JSON, or CmdStan CSV files (one per chain, summarised together).\n' +
        'CmdStan CSV is read by its header: only `method = sample` output (MCMC draws), chains of one run\n' +
        '(same model and sampler settings), each with the rows its header promises; saved warm-up is dropped.\n' +
        `JSON files (parsed whole) are limited to ${formatBytes(MAX_INPUT_BYTES)} each, CmdStan CSV files (read line by line)\n` +
        `to ${formatBytes(MAX_CSV_BYTES)} each; binary files are refused.`,
    )
    .argument('<FILE...>', 'draws JSON, ArviZ JSON or CmdStan CSV files')
    .option('--json', 'print {"<name>": {"mean": ..., "sd": ..., ...}} instead of a table')
    .option('--csv', 'print CSV instead of a table')
    .addOption(new Option('--hdi-prob <P>', 'probability of the highest density interval').default(0.94).argParser(parseProb))
    .option('--var <NAME...>', 'only these variables (prefix with ~ to leave one out)')
    .option('--coords', 'label elements by their coords (alpha[CASS]) rather than 0-based indices')
    .option('--group <GROUP>', 'group to summarise', 'posterior')
    .addOption(new Option('--stats <KIND>', 'columns to show').choices(['all', 'stats', 'diagnostics']).default('all'))
    .option('--no-warnings', 'do not print convergence warnings (to stderr)')
    .exitOverride()
    .configureOutput({
      writeOut: io.out,
      writeErr: io.err,
      outputError: (str, write) => write(`nutmeg summary: ${str.replace(/^error: /, '')}`),
    });
  try {
    program.parse(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' ? 0 : 2;
    }
    throw e;
  }
  const flags = program.opts<Flags>();
  const files = program.args;
  try {
    if (flags.json && flags.csv) throw new OptionError('--json/--csv', 'choose one output format');
    const runs = await loadRuns(files);
    const results: { run: Run; rows: SummaryRow[] }[] = [];
    for (const r of runs) {
      checkVars(r, flags.group, flags.var);
      const rows = summary(r.idata, {
        hdiProb: flags.hdiProb,
        varNames: flags.var,
        statistics: flags.stats,
        useCoords: flags.coords ?? false,
        group: flags.group as GroupName,
      });
      results.push({ run: r, rows });
    }
    const many = results.length > 1;
    if (flags.json) {
      if (!many) io.out(summaryToJson(results[0].rows) + '\n');
      else {
        const obj: Record<string, unknown> = {};
        for (const { run: r, rows } of results) obj[r.label] = JSON.parse(summaryToJson(rows));
        io.out(JSON.stringify(obj, null, 2) + '\n');
      }
    } else {
      for (const { run: r, rows } of results) {
        if (many) io.out(`${flags.csv ? '# ' : '== '}${forTerminal(r.label)}${flags.csv ? '' : ' =='}\n`);
        io.out(flags.csv ? summaryToCsv(rows) : formatSummaryTable(rows));
        if (many && !flags.csv) io.out('\n');
      }
    }
    if (flags.warnings && flags.group === 'posterior') {
      for (const { run: r } of results) {
        const a = r.idata.attrs;
        const targetAccept = Number(a.target_accept ?? a.targetAccept ?? 0.8);
        const maxTreeDepth = Number(a.max_tree_depth ?? a.maxTreeDepth ?? 10);
        const ws = samplingWarnings(r.idata, {
          targetAccept: targetAccept > 0 && targetAccept < 1 ? targetAccept : 0.8,
          maxTreeDepth: Number.isInteger(maxTreeDepth) && maxTreeDepth > 0 ? maxTreeDepth : 10,
        });
        if (ws.length > 0) io.err((many ? `${forTerminal(r.label)}:\n` : '') + formatWarnings(ws));
      }
    }
    return 0;
  } catch (e) {
    if (e instanceof InputError || e instanceof OptionError) {
      io.err(`nutmeg summary: ${forTerminal(e.message)}\n`);
      return 2;
    }
    // A bug rather than bad input: one line naming a log file with the stack, as the other commands do.
    reportUnexpected('nutmeg summary', e, argv, io);
    return 1;
  }
}
