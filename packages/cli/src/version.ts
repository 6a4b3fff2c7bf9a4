// The versions `nutmeg --version` prints: the command's own (@nutmeg/cli) and the nutmeg library's it runs on.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The `version` field of a package.json file. */
function versionAt(path: string): string {
  return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
}

/**
 * The text of `nutmeg --version`: the CLI's version from its package.json, followed by the nutmeg
 * library's when the installed library has another version.
 *
 * @returns e.g. `0.1.0`, or `0.2.0 (nutmeg library 0.1.0)`
 * @example
 * versionText(); // '0.1.0'
 */
export function versionText(): string {
  // src/version.ts and dist/version.js both sit one folder below the package's package.json.
  const cli = versionAt(fileURLToPath(new URL('../package.json', import.meta.url)));
  const library = versionAt(fileURLToPath(import.meta.resolve('nutmeg/package.json')));
  return library === cli ? cli : `${cli} (nutmeg library ${library})`;
}
