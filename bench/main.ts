// Benchmark runner: `npm run bench -- <name>` builds the project and runs bench/<name> from the build
// (the code users run; worker threads then load plain JS), each printing JSON lines.
const names = process.argv.slice(2);
if (names.length === 0) {
  console.error('usage: npm run bench -- <grad|nuts|adapt|advi|radon|radon-cli|summary|loo|formula|fits|browser|scale|many> …');
  process.exit(2);
}
for (const name of names) {
  if (!/^[a-z][a-z0-9_-]*$/.test(name)) {
    console.error(`bench: unknown benchmark '${name}'`);
    process.exit(2);
  }
  let mod: { run: () => Promise<void> };
  try {
    mod = await import(`./${name}.js`);
  } catch (e) {
    console.error(`bench: unknown benchmark '${name}' (${(e as Error).message})`);
    process.exit(2);
  }
  await mod.run();
}
