// `nutmeg loo FILE`: PSIS-LOO of a pointwise log-likelihood file, printed as R loo's print.loo (or as JSON).
import { InputError, OptionError, formatLoo, loo, type LooResult } from 'nutmeg';
import { Command } from 'commander';
import { processIo, runCommand, type Io } from './cliRun.js';
import { readLogLikFile, type LogLikFile } from './logLikFile.js';

/** What the help says FILE may be (shared with `nutmeg compare`). */
export const FILE_FORMATS =
  'FILE is an ArviZ InferenceData JSON (InferenceData.to_json, or nutmeg\'s toArvizJson) with a log_likelihood group,\n' +
  'or a plain JSON {"log_lik": [chain][draw][observation]}. Relative efficiency is computed from the chains.';

/**
 * PSIS-LOO of a checked file; errors of loo itself (bad options) are reported against the file.
 *
 * @param f - from readLogLikFile
 * @returns the LOO result
 * @throws InputError naming the file
 */
export function looOfFile(f: LogLikFile): LooResult {
  try {
    return loo(f.idata, { varName: f.varName });
  } catch (e) {
    if (e instanceof OptionError) throw new InputError(`${f.file}: ${e.message}`);
    throw e;
  }
}

/** The `--json` output: loo's estimates, Pareto k and pointwise elpd_loo. */
function looJson(l: LooResult): string {
  return JSON.stringify({
    elpd_loo: l.elpdLoo.estimate,
    se_elpd_loo: l.elpdLoo.se,
    p_loo: l.pLoo.estimate,
    se_p_loo: l.pLoo.se,
    looic: l.looic.estimate,
    se_looic: l.looic.se,
    pareto_k: Array.from(l.diagnostics.paretoK),
    pointwise_elpd_loo: Array.from(l.pointwise.elpdLoo),
  });
}

/**
 * Runs `nutmeg loo`.
 *
 * @param argv - arguments after `loo`
 * @param io - output sinks (default: stdout, stderr)
 * @returns exit code: 0 on success, 2 for bad input or usage
 */
export async function run(argv: string[], io: Io = processIo): Promise<number> {
  const program = new Command('nutmeg loo')
    .description(
      'Leave-one-out cross-validation by Pareto-smoothed importance sampling (PSIS-LOO), as R loo 2.5.1\'s loo():\n' +
        'elpd_loo, p_loo and looic with their SEs, and the Pareto k diagnostic table.\n\n' +
        FILE_FORMATS,
    )
    .argument('<FILE>', 'log-likelihood JSON file')
    .option('--json', 'print {"elpd_loo", "se_elpd_loo", "p_loo", "se_p_loo", "looic", "se_looic", "pareto_k", "pointwise_elpd_loo"}')
    .option('--var <NAME>', 'the log_likelihood variable, when the group has several');
  return runCommand(program, argv, io, async (p) => {
    const flags = p.opts<{ json?: boolean; var?: string }>();
    const f = await readLogLikFile(p.args[0], flags.var);
    const l = looOfFile(f);
    io.out((flags.json ? looJson(l) : formatLoo(l)) + '\n');
    for (const w of l.warnings) io.err(`Warning: ${w}\n`);
    return 0;
  });
}
