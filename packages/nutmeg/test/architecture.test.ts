// The layer rule of docs/architecture.md is enforced: ESLint reports upward imports, Node built-ins outside the Node platform and deep imports from the CLI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const eslint = new ESLint({ cwd: ROOT });

/** The messages of `no-restricted-imports` / `no-restricted-globals` for `code` placed (virtually) at `path`. */
async function restricted(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${ROOT}${path}` });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-globals').map((m) => m.message);
}

const reported = async (path: string, code: string): Promise<void> => {
  const messages = await restricted(path, code);
  assert.ok(messages.length > 0, `${path}: expected a report for ${code}`);
};
const allowed = async (path: string, code: string): Promise<void> => {
  assert.deepEqual(await restricted(path, code), [], `${path}: expected no report for ${code}`);
};

test('an import up the layers is reported, a downward one is not', async () => {
  await reported('packages/nutmeg/src/graph/snippet.ts', "import type { CoordValues } from '../posterior/inferenceData.js';\nexport type C = CoordValues;\n");
  await reported('packages/nutmeg/src/compiler/snippet.ts', "import { Model } from '../model/model.js';\nexport const M = Model;\n");
  await reported('packages/nutmeg/src/model/snippet.ts', "export { sample } from '../workflow/sample.js';\n");
  await reported('packages/nutmeg/src/diagnostics/snippet.ts', "export * from '../posterior/warnings.js';\n");
  await reported('packages/nutmeg/src/posterior/snippet.ts', "import { sample } from '../workflow/sample.js';\nexport const s = sample;\n");
  await reported('packages/nutmeg/src/compiler/snippet.ts', "import { Model } from 'nutmeg';\nexport const M = Model;\n");
  await allowed('packages/nutmeg/src/compiler/snippet.ts', "import { sizeOf } from '../graph/graph.js';\nexport const f = sizeOf;\n");
  await allowed('packages/nutmeg/src/workflow/snippet.ts', "import { buildNuts } from '../inference/hmc/nuts.js';\nexport const f = buildNuts;\n");
});

test('the rule is by folder: new sub-folders are held to their layer', async () => {
  // A LOO folder under posterior/ may use diagnostics, not the workflow above it.
  await allowed('packages/nutmeg/src/posterior/loo/snippet.ts', "import { paretoKHat } from '../../diagnostics/psis.js';\nexport const f = paretoKHat;\n");
  await reported('packages/nutmeg/src/posterior/loo/snippet.ts', "import { sample } from '../../workflow/sample.js';\nexport const f = sample;\n");
  // Inference sees only core and math (and its own kernels), never a model or the workflow.
  await reported('packages/nutmeg/src/inference/hmc/snippet.ts', "import type { CompiledModel } from '../../compiler/compiledModel.js';\nexport type M = CompiledModel;\n");
  await reported('packages/nutmeg/src/inference/newKernel/snippet.ts', "import { sample } from '../../workflow/sample.js';\nexport const f = sample;\n");
  await reported('packages/nutmeg/src/inference/hmc/snippet.ts', "import { runChain } from '../chain/chain.js';\nexport const f = runChain;\n");
  await allowed('packages/nutmeg/src/inference/chain/snippet.ts', "import { buildNuts } from '../hmc/nuts.js';\nexport const f = buildNuts;\n");
});

test('Node built-ins and the process global only in the Node platform', async () => {
  await reported('packages/nutmeg/src/compiler/snippet.ts', "import { readFileSync } from 'node:fs';\nexport const f = readFileSync;\n");
  await reported('packages/nutmeg/src/workflow/snippet.ts', "import { Worker } from 'worker_threads';\nexport const W = Worker;\n");
  await reported('packages/nutmeg/src/platform/portable/snippet.ts', "import { cpus } from 'os';\nexport const f = cpus;\n");
  await reported('packages/nutmeg/src/diagnostics/snippet.ts', 'export const argv = process.argv;\n');
  await reported('packages/nutmeg/src/index.ts', "export { workerRunner } from './platform/node/workers.js';\n");
  await allowed('packages/nutmeg/src/platform/node/snippet.ts', "import { Worker } from 'node:worker_threads';\nexport const W = Worker;\nexport const argv = process.argv;\n");
  await reported('packages/nutmeg/src/platform/browser/snippet.ts', "import { Worker } from 'node:worker_threads';\nexport const W = Worker;\n");
  await reported('packages/nutmeg/src/platform/browser/snippet.ts', 'export const argv = process.argv;\n');
  await reported('packages/nutmeg/src/platform/browser/snippet.ts', "import { coreCount } from '../node/workers.js';\nexport const f = coreCount;\n");
  await allowed('packages/nutmeg/src/platform/browser/snippet.ts', "import { runChain } from '../../inference/chain/chain.js';\nimport { sample } from '../../workflow/sample.js';\nexport const f = [runChain, sample];\n");
  await allowed('packages/nutmeg/src/node.ts', "import { cpus } from 'node:os';\nexport const f = cpus;\n");
  await allowed('packages/cli/src/snippet.ts', "import { readFileSync } from 'node:fs';\nexport const f = readFileSync;\n");
});

test('the CLI, benchmarks and examples use only the public entry points', async () => {
  await reported('packages/cli/src/snippet.ts', "import { Model } from '../../nutmeg/src/index.js';\nexport const M = Model;\n");
  await reported('packages/cli/src/radon/snippet.ts', "import { runChain } from 'nutmeg/dist/src/inference/chain/chain.js';\nexport const f = runChain;\n");
  await reported('bench/snippet.ts', "import { Model } from '../packages/nutmeg/src/index.js';\nexport const M = Model;\n");
  await reported('packages/nutmeg/examples/radon/snippet.ts', "import { Model } from '../../src/index.js';\nexport const M = Model;\n");
  await allowed('packages/cli/src/snippet.ts', "import { Model } from 'nutmeg';\nimport { writeFigure } from 'nutmeg/node';\nimport { buildNuts } from 'nutmeg/kernels';\nexport const f = [Model, writeFigure, buildNuts];\n");
  await allowed('packages/nutmeg/examples/radon/snippet.ts', "import { Model } from 'nutmeg';\nexport const M = Model;\n");
});
