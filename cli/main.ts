// The nutmeg command line: parses arguments and dispatches to subcommands.
export async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h') {
    process.stdout.write('nutmeg: Bayesian modelling in TypeScript\n');
    return 0;
  }
  if (argv[0] === 'summary') return (await import('./summary.js')).run(argv.slice(1));
  process.stderr.write(`nutmeg: unknown command '${argv[0]}'\n`);
  return 2;
}
