// TypeDoc configuration for `npm run docs`: the API reference of the nutmeg library, as HTML in docs/api/ (not committed).
// The entry points are the library's public subpaths: every `exports` entry of packages/nutmeg/package.json
// with a TypeScript source (its `development` target), so a new subpath such as `nutmeg/kernels` is documented once it is exported.
import { readFileSync } from 'node:fs';

const manifest = JSON.parse(readFileSync(new URL('./packages/nutmeg/package.json', import.meta.url), 'utf8'));
const entryPoints = Object.values(manifest.exports)
  .map((target) => (typeof target === 'object' && typeof target.development === 'string' ? target.development : undefined))
  .filter((source) => source !== undefined && source.endsWith('.ts'))
  .map((source) => `packages/nutmeg/${source.replace(/^\.\//, '')}`);

/** @type {Partial<import('typedoc').TypeDocOptions>} */
export default {
  name: `nutmeg ${manifest.version}`,
  entryPoints,
  tsconfig: 'packages/nutmeg/tsconfig.build.json',
  readme: 'packages/nutmeg/README.md',
  out: 'docs/api',
  excludePrivate: true,
  excludeInternal: true,
  // The sources are type-checked by `npm test`; the reference only documents them.
  skipErrorChecking: true,
  githubPages: false,
};
