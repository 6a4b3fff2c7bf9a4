// `nutmeg compare A.json B.json …`: PSIS-LOO model comparison of log-likelihood files, printed as R loo's loo_compare (or as JSON).
import { InputError, formatLooCompare, looCompare, type LooResult } from 'nutmeg';
import { Command } from 'commander';
import { basename, extname } from 'node:path';
import { processIo, runCommand, type Io } from './cliRun.js';
import { FILE_FORMATS, looOfFile } from './loo.js';
import { readLogLikFile, type LogLikFile } from './logLikFile.js';

/** A model's name: its file name without directory and extension (`fits/pooled.json` → `pooled`). */
export function modelName(file: string): string {
  const base = basename(file);
  return base.slice(0, base.length - extname(base).length) || base;
}

function checkFiles(files: readonly string[]): void {
  if (files.length < 2) throw new InputError(`compare needs at least two files, got ${files.length} (${files.join(', ')})`);
  const seen = new Map<string, string>();
  for (const f of files) {
    const name = modelName(f);
    const other = seen.get(name);
    if (other !== undefined) {
      throw new InputError(`${f}: model name '${name}' is also the name of ${other} (names come from file names without extension; rename one)`);
    }
    seen.set(name, f);
  }
}

function checkSameObservations(fs: readonly LogLikFile[]): void {
  for (const f of fs) {
    if (f.nObs !== fs[0].nObs) {
      throw new InputError(`${f.file}: has ${f.nObs} observations but ${fs[0].file} has ${fs[0].nObs}; compare models of the same observations`);
    }
  }
}

/**
 * Runs `nutmeg compare`.
 *
 * @param argv - arguments after `compare`
 * @param io - output sinks (default: stdout, stderr)
 * @returns exit code: 0 on success, 2 for bad input or usage
 */
export async function run(argv: string[], io: Io = processIo): Promise<number> {
  const program = new Command('nutmeg compare')
    .description(
      'Compare models fitted to the same observations by PSIS-LOO, as R loo 2.5.1\'s loo_compare(): best model first,\n' +
        'with elpd_diff (the difference of expected log predictive density to the best model) and its SE.\n' +
        'Models are named by their file names without extension.\n\n' +
        FILE_FORMATS,
    )
    .argument('<FILE...>', 'two or more log-likelihood JSON files')
    .option('--json', 'print a list of {"name", "elpd_loo", "elpd_diff", "se_diff"}, best first')
    .option('--var <NAME>', 'the log_likelihood variable, when a group has several');
  return runCommand(program, argv, io, async (p) => {
    const flags = p.opts<{ json?: boolean; var?: string }>();
    const files = p.args;
    checkFiles(files);
    const read: LogLikFile[] = [];
    for (const f of files) read.push(await readLogLikFile(f, flags.var));
    checkSameObservations(read);
    const results: Record<string, LooResult> = {};
    for (const f of read) results[modelName(f.file)] = looOfFile(f);
    const rows = looCompare(results);
    if (flags.json) {
      io.out(JSON.stringify(rows.map((r) => ({ name: r.name, elpd_loo: r.elpd.estimate, elpd_diff: r.elpdDiff, se_diff: r.seDiff }))) + '\n');
    } else io.out(formatLooCompare(rows) + '\n');
    for (const f of read) for (const w of results[modelName(f.file)].warnings) io.err(`Warning: ${modelName(f.file)}: ${w}\n`);
    return 0;
  });
}
