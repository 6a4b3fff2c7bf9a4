// Lint configuration: typescript-eslint's recommended rules, and the layer rule of docs/architecture.md (which folder may import which).
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const SRC = 'packages/nutmeg/src';

/**
 * The library's layers, bottom to top, and the layers each may import (besides its own folder).
 * Derived from the import graph and the order of /docs/architecture.md; a layer not listed here
 * (a new folder) gets no layer restriction until it is added.
 */
const BELOW_MODEL = ['core', 'math', 'ir', 'graph', 'distributions', 'transforms', 'compiler'];
const MAY_IMPORT = {
  core: [],
  math: ['core'],
  ir: ['core', 'math'],
  graph: ['core', 'math', 'ir'],
  distributions: ['core', 'math', 'ir', 'graph'],
  transforms: ['core', 'math', 'ir', 'graph', 'distributions'],
  compiler: ['core', 'math', 'ir', 'graph', 'distributions', 'transforms'],
  model: [...BELOW_MODEL],
  formula: [...BELOW_MODEL, 'model'],
  diagnostics: ['core', 'math'],
  inference: ['core', 'math'],
  posterior: ['core', 'math', 'diagnostics'],
  predictive: [...BELOW_MODEL, 'model', 'posterior'],
  workflow: [...BELOW_MODEL, 'model', 'formula', 'diagnostics', 'inference', 'posterior', 'predictive'],
  io: ['core', 'math', 'diagnostics', 'posterior'],
  plots: ['core', 'math', 'diagnostics', 'posterior'],
  report: ['core', 'math', 'diagnostics', 'posterior', 'io', 'plots'],
  platform: [...BELOW_MODEL, 'model', 'formula', 'diagnostics', 'inference', 'posterior', 'predictive', 'workflow', 'io', 'plots', 'report'],
};
const LAYERS = Object.keys(MAY_IMPORT);

/** Inside inference/: the sibling folders each kernel folder must not import (a new folder may import any). */
const INFERENCE_MUST_NOT_IMPORT = {
  hmc: ['adaptation', 'samplers', 'chain', 'vi'],
  adaptation: ['samplers', 'chain', 'vi'],
  samplers: ['chain', 'vi'],
  vi: ['hmc', 'adaptation', 'samplers', 'chain'],
  chain: ['vi'],
};

/**
 * Files allowed one upward import, with the reason (listed in docs/architecture.md, "Exceptions").
 * The inference barrels re-export workflow's facades (sample, fit, …) so that src/index.ts's
 * `export *` keeps them; they go when src/index.ts names workflow itself (issue 11, item 7).
 */
const EXCEPTIONS = {};

const NODE_BUILTINS = {
  paths: builtinModules.filter((m) => !m.startsWith('_')).map((name) => ({ name, message: 'Node built-ins belong in src/platform/node/ (or the CLI): the library runs unchanged in a browser.' })),
  patterns: [{ regex: '^node:', message: 'Node built-ins belong in src/platform/node/ (or the CLI): the library runs unchanged in a browser.' }],
};

/** `import … from '../../<layer>/…'` for any of `layers` (any depth of `../`). */
const relativeInto = (layers, message) => ({ regex: `^(\\.\\./)+(${layers.join('|')})(/|$)`, caseSensitive: true, message });

const SELF_IMPORT = { regex: '^nutmeg(/|$)', caseSensitive: true, message: 'Inside the library, import by relative path (a self-import hides the layer).' };

/** The complete no-restricted-imports options of one folder (flat config replaces, never merges, a rule's options). */
function restrictions({ forbidden, nodeAllowed, extraPatterns = [] }) {
  const patterns = [SELF_IMPORT, ...extraPatterns];
  if (forbidden.length > 0) patterns.push(relativeInto(forbidden, `Imports point down the layers (docs/architecture.md): this folder may not import ${forbidden.join(', ')}.`));
  if (!nodeAllowed) patterns.push(...NODE_BUILTINS.patterns);
  return ['error', { paths: nodeAllowed ? [] : NODE_BUILTINS.paths, patterns }];
}

/** One config block per layer folder, then the inference sub-folders, the exceptions and the entry files. */
function layerRules() {
  const blocks = [];
  for (const layer of LAYERS) {
    const forbidden = LAYERS.filter((l) => l !== layer && !MAY_IMPORT[layer].includes(l));
    blocks.push({ files: [`${SRC}/${layer}/**/*.ts`], rules: { 'no-restricted-imports': restrictions({ forbidden, nodeAllowed: false }) } });
  }
  const inferenceForbidden = LAYERS.filter((l) => l !== 'inference' && !MAY_IMPORT.inference.includes(l));
  for (const [sub, siblings] of Object.entries(INFERENCE_MUST_NOT_IMPORT)) {
    blocks.push({
      files: [`${SRC}/inference/${sub}/**/*.ts`],
      rules: { 'no-restricted-imports': restrictions({ forbidden: [...inferenceForbidden, ...siblings], nodeAllowed: false }) },
    });
  }
  blocks.push({ files: [`${SRC}/platform/node/**/*.ts`], rules: { 'no-restricted-imports': restrictions({ forbidden: [], nodeAllowed: true }) } });
  // The browser platform (Web Workers) runs where Node does not: no Node built-ins, nothing of the Node platform.
  const notNodeSibling = { regex: '^\\.\\./node(/|$)', caseSensitive: true, message: 'The browser platform cannot use the Node platform (worker_threads, fs).' };
  blocks.push({ files: [`${SRC}/platform/browser/**/*.ts`], rules: { 'no-restricted-imports': restrictions({ forbidden: [], nodeAllowed: false, extraPatterns: [notNodeSibling] }) } });
  for (const [file, allowed] of Object.entries(EXCEPTIONS)) {
    const layer = file.slice(SRC.length + 1).split('/')[0];
    const sub = file.slice(SRC.length + 1).split('/')[1];
    const siblings = INFERENCE_MUST_NOT_IMPORT[sub] ?? [];
    const forbidden = LAYERS.filter((l) => l !== layer && !MAY_IMPORT[layer].includes(l) && !allowed.includes(l));
    blocks.push({ files: [file], rules: { 'no-restricted-imports': restrictions({ forbidden: [...forbidden, ...siblings], nodeAllowed: false }) } });
  }
  // Entry files: src/index.ts (portable root API) and other root files may import any layer but not the Node platform;
  // src/node.ts (nutmeg/node) is the Node entry.
  const notNodePlatform = { regex: '^\\./platform/node(/|$)', caseSensitive: true, message: 'Only src/node.ts (nutmeg/node) exposes the Node platform.' };
  blocks.push({ files: [`${SRC}/*.ts`], rules: { 'no-restricted-imports': restrictions({ forbidden: [], nodeAllowed: false, extraPatterns: [notNodePlatform] }) } });
  blocks.push({ files: [`${SRC}/node.ts`], rules: { 'no-restricted-imports': restrictions({ forbidden: [], nodeAllowed: true }) } });
  // `process` is a Node global: only the Node platform and the Node entry may touch it.
  blocks.push({
    files: [`${SRC}/**/*.ts`],
    ignores: [`${SRC}/platform/node/**`, `${SRC}/node.ts`],
    rules: { 'no-restricted-globals': ['error', { name: 'process', message: 'process is Node-only: use it in src/platform/node/.' }] },
  });
  // The engines' own Math functions round differently (Node 20 vs Chromium): the library's core/libm
  // gives the same bits everywhere, so that a seed draws the same in every engine.
  const engineDependent = ['exp', 'expm1', 'log', 'log1p', 'pow', 'sin', 'cos', 'tanh', 'cosh'];
  blocks.push({
    files: [`${SRC}/**/*.ts`],
    ignores: [`${SRC}/core/libm/**`],
    rules: {
      'no-restricted-properties': [
        'error',
        ...engineDependent.map((property) => ({ object: 'Math', property, message: `Math.${property} rounds differently across engines: use ${property} from core/libm.` })),
      ],
    },
  });
  return blocks;
}

/** Import patterns that reach past the package's public entry points ('nutmeg', 'nutmeg/node', 'nutmeg/kernels'). */
const ONLY_PUBLIC_ENTRY_POINTS = [
  { regex: '(^|/)nutmeg/(src|dist)(/|$)', caseSensitive: true, message: "Use the public entry points 'nutmeg', 'nutmeg/node' or 'nutmeg/kernels'." },
  { regex: '^nutmeg/(?!(node|kernels)$)', caseSensitive: true, message: "Use the public entry points 'nutmeg', 'nutmeg/node' or 'nutmeg/kernels'." },
];

/** The command, the benchmarks and the examples use the library as a user does: through its public entry points. */
const PUBLIC_ENTRY_POINTS = {
  files: ['packages/cli/**/*.ts', 'packages/queue/src/**/*.ts', 'bench/**/*.ts', 'packages/nutmeg/examples/**/*.ts'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          ...ONLY_PUBLIC_ENTRY_POINTS,
        ],
      },
    ],
  },
};
/** The web app runs in a browser: the public entry points (and the CLI's browser-safe subpath), no Node built-ins. */
const WEB_APP = {
  files: ['web/src/**/*.ts'],
  languageOptions: { globals: { window: 'readonly', document: 'readonly', location: 'readonly', history: 'readonly', Blob: 'readonly', File: 'readonly' } },
  rules: {
    'no-restricted-imports': [
      'error',
      {
        paths: NODE_BUILTINS.paths.map((p) => ({ ...p, message: 'The web app runs in a browser: no Node built-ins.' })),
        patterns: [
          ...ONLY_PUBLIC_ENTRY_POINTS,
          { regex: '^node:', message: 'The web app runs in a browser: no Node built-ins.' },
          { regex: '^@nutmeg/cli(?!/(browser|data/radon\\.csv\\?raw)$)', message: "From the CLI, the web app imports only '@nutmeg/cli/browser' (browser-safe) and the radon data." },
          { regex: '^(\\.\\./)+packages/', caseSensitive: true, message: "The web app imports packages by name ('nutmeg', '@nutmeg/cli/browser'), as a user would." },
        ],
      },
    ],
  },
};
const EXAMPLES_NOT_RELATIVE = {
  files: ['packages/nutmeg/examples/**/*.ts'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          ...ONLY_PUBLIC_ENTRY_POINTS,
          { regex: '^(\\.\\./)+(src|dist)(/|$)', caseSensitive: true, message: "Examples import 'nutmeg', as a user would." },
        ],
      },
    ],
  },
};

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'out/**', 'docs/api/**', 'packages/nutmeg/src/math/vendor/**', 'packages/nutmeg/src/formula/generated/**', 'packages/nutmeg/test/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { console: 'readonly', process: 'readonly', performance: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Generated code is built with `new Function` on purpose (the model compiler).
      '@typescript-eslint/no-implied-eval': 'off',
      'no-new-func': 'off',
    },
  },
  ...layerRules(),
  PUBLIC_ENTRY_POINTS,
  EXAMPLES_NOT_RELATIVE,
  WEB_APP,
);
