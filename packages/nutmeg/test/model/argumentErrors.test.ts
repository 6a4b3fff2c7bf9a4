// Wrong argument types to the root exports of 'nutmeg' (null, a number, a string where InferenceData, a model or a list is expected) give typed errors naming the argument, never a raw TypeError.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nutmeg from '../../src/index.js';
import { DomainError, InputError, ModelError, OptionError } from '../../src/core/errors.js';
import { Model } from '../../src/model/model.js';
import { Normal } from '../../src/distributions/factories.js';
import { makeIdata } from '../io/makeIdata.js';

const model = new Model();
const mu = model.rv('mu', Normal({ mu: 0, sigma: 1 }));
model.rv('y', Normal({ mu, sigma: 1 }), { observed: [0.1, 0.3] });
const idata = makeIdata();

/** Asserts an OptionError for `option` whose message matches `pattern`. */
async function optionError(run: () => unknown, option: string, pattern: RegExp): Promise<void> {
  try {
    await run();
  } catch (e) {
    assert.ok(e instanceof OptionError, `expected an OptionError, got ${String(e)}`);
    assert.equal(e.option, option, e.message);
    assert.match(e.message, pattern);
    return;
  }
  assert.fail('no error');
}

test('functions taking InferenceData name the argument when given something else', async () => {
  const needs = /needs InferenceData \(the result of sample\(\), fromStanCsv\(\), fromArvizJson\(\), …\), got/;
  await optionError(() => nutmeg.pooledDraws(null as never, 'mu'), 'idata', /pooledDraws needs InferenceData .*got null/);
  await optionError(() => nutmeg.toArvizJson(null as never), 'idata', /toArvizJson needs InferenceData .*got null/);
  await optionError(() => nutmeg.toArvizJson({} as never), 'idata', needs);
  await optionError(() => nutmeg.toDrawsJson('x' as never), 'idata', needs);
  await optionError(() => nutmeg.toStanCsv(42 as never, 0), 'idata', needs);
  await optionError(() => nutmeg.traceVariables([] as never), 'idata', needs);
  await optionError(() => nutmeg.forestRows(undefined as never, 'a'), 'idata', needs);
  await optionError(() => nutmeg.samplingWarnings(null as never, { targetAccept: 0.8, maxTreeDepth: 10 }), 'idata', needs);
  await optionError(() => nutmeg.samplePosteriorPredictive(model, null as never), 'idata', /samplePosteriorPredictive needs InferenceData/);
  await optionError(() => nutmeg.computeLogLikelihood(model, null as never), 'idata', /computeLogLikelihood needs InferenceData/);
  await optionError(() => nutmeg.predict(model, 'x' as never, { data: {} }), 'idata', /predict needs InferenceData/);
});

test('names, texts and options of the wrong type are OptionErrors naming them; one name as a string is a list of one', async () => {
  // traceVariables(idata, 'mu') as ArviZ's var_names = 'mu'.
  assert.deepEqual(nutmeg.traceVariables(idata, 'mu').map((v) => v.name), ['mu']);
  await optionError(() => nutmeg.traceVariables(idata, 42 as never), 'names', /a variable name or a list of names such as \['mu', 'tau'\], got 42/);
  await optionError(() => nutmeg.pooledDraws(idata, 7 as never), 'name', /pooledDraws: name must be a string such as 'mu', got 7/);
  await optionError(() => nutmeg.pooledDraws(idata, 'mu', 5), 'element', /must be an integer in \[0, 0\], got 5/);
  await optionError(() => nutmeg.fromArvizJson({} as never), 'text', /fromArvizJson: text must be a string such as the JSON file's contents/);
  await optionError(() => nutmeg.fromDrawsJson(null as never), 'text', /got null/);
  await optionError(() => nutmeg.parseJsonText(Buffer.from('{}') as never), 'text', /must be a string/);
  await optionError(() => nutmeg.readStanCsvChain('a.csv', undefined as never), 'text', /readStanCsvChain: text must be a string/);
  await optionError(() => nutmeg.fromStanCsvChains('a.csv' as never), 'chains', /must be an array of chains read by StanCsvChainReader/);
  await optionError(() => nutmeg.fromStanCsvChains([{}] as never), 'chains', /element 0 is not a chain/);
  await optionError(() => nutmeg.samplePriorPredictive(model, null as never), 'options', /samplePriorPredictive: options must be an object/);
  await optionError(() => nutmeg.samplePosteriorPredictive(model, idata, 5 as never), 'options', /options must be an object/);
  await optionError(() => nutmeg.parseFormula(null as never), 'formula', /parseFormula: formula must be a string such as 'y ~ x \+ \(1 \| g\)'/);
  await optionError(() => nutmeg.parsePrior(3 as never), 'prior', /must be a string such as 'normal\(0, 2\.5\) class=b'/);
  await optionError(() => nutmeg.priorsFromStrings('normal(0, 1) class=b' as never), 'priors', /must be an array of prior strings/);
  await optionError(() => nutmeg.designFromFormula(null as never, {}), 'formula', /designFromFormula needs a formula/);
  await optionError(() => nutmeg.designFromFormula('y ~ x', null as never), 'table', /must be an object such as/);
  await optionError(() => nutmeg.summaryToJson(null as never), 'rows', /summaryToJson: rows must be an array of summary rows from summary\(\), got null/);
  await optionError(() => nutmeg.summaryToCsv({} as never), 'rows', /must be an array/);
  await optionError(() => nutmeg.formatWarnings(undefined as never), 'warnings', /must be an array/);
  await optionError(() => nutmeg.logp(null as never, 1), 'dist', /logp needs a distribution such as Normal/);
  await optionError(() => nutmeg.kde('abc' as never), 'values', /kde: values must be an array of numbers \(or a Float64Array\), got/);
  await optionError(() => nutmeg.plotPpc([1, 2], null as never), 'replicates', /plotPpc: replicates must be an array/);
  await optionError(() => nutmeg.plotTrace(null as never), 'variables', /traceVariables\(idata\)/);
  await optionError(() => nutmeg.plotTrace({} as never), 'variables', /variable 0 must be \{ name, draws \} or \{ name, elements \}/);
  await optionError(() => nutmeg.plotForest(nutmeg.forestRows(idata, 'mu'), 5 as never), 'options', /plotForest: options must be an object/);
  await optionError(() => nutmeg.renderSvg(null as never), 'spec', /renderSvg: spec must be an object/);
  await optionError(() => nutmeg.renderReport({ title: 'r' } as never), 'sections', /renderReport: sections must be an array/);
  await optionError(() => nutmeg.runFitTask({ index: 0 } as never), 'task.job', /runFitTask: task\.job must be an object/);
  await optionError(() => nutmeg.fitSeed(1.5, 0), 'seed', /integer in \[0, 2\^32/);
  // Found by the options fuzz (seed -1963735011): checkpoint: -1 was reported as 'checkpoint.dir', an option not given.
  await optionError(() => nutmeg.sample(model, { checkpoint: -1 as never, chains: 1 }), 'checkpoint', /must be an object such as \{ dir: 'run1' \}, got -1/);
});

test('loo, waic, psis and their tables name a wrong argument', async () => {
  await optionError(() => nutmeg.loo(null as never), 'loo: logLik', /must be InferenceData with a log_likelihood group, or draws as \[chain\]\[draw\]\[observation\]/);
  await optionError(() => nutmeg.waic(42 as never), 'waic: logLik', /got 42/);
  await optionError(() => nutmeg.relativeEff(undefined as never), 'relativeEff: logLik', /got undefined/);
  await optionError(() => nutmeg.psis(null as never), 'logRatios', /psis: logRatios must be an array of numbers/);
  await optionError(() => nutmeg.paretoKHat('x' as never), 'logRatios', /paretoKHat/);
  await optionError(() => nutmeg.paretoKTable(null as never, []), 'k', /paretoKTable: k must be an array/);
  await optionError(() => nutmeg.looCompare(null as never), 'looCompare: models', /must be named results such as \{ pooled: loo\(a\), hierarchical: loo\(b\) \}/);
  await optionError(() => nutmeg.looCompare({ a: 1, b: 2 } as never), 'looCompare: models', /a is not a result of loo\(\) or waic\(\), got 1/);
  await optionError(() => nutmeg.formatLoo(null as never), 'loo', /formatLoo needs the result of loo\(\), got null/);
  await optionError(() => nutmeg.formatWaic({} as never), 'waic', /formatWaic needs the result of waic\(\)/);
  await optionError(() => nutmeg.formatParetoKTable([]), 'table', /needs the 4 bins of paretoKTable\(\), got 0/);
  await optionError(() => nutmeg.formatLooCompare(null as never), 'rows', /must be an array of rows from looCompare\(\)/);
  await optionError(() => nutmeg.looPit(null as never), 'input', /looPit: input must be an object such as \{ y, yRep, logLik \}/);
});

/**
 * Low-level building blocks whose arguments TypeScript types and nutmeg's own callers check (the
 * element helpers, the chain-runner and formula-naming helpers, SVG inlining); the sweep below
 * leaves them out. `renderSvg({})` reaches vega-lite, whose own error names the specification.
 */
const LOW_LEVEL = new Set(['elementDraws', 'elementLabel', 'shapeSize', 'compareCodePoints', 'brmsName', 'failedChainResult', 'constrainRowsByRecord', 'inlineSvg', 'renderSvg']);

test('every function exported from nutmeg, called with null, undefined, a number, a string, {} or [] as its first argument: a typed error (or a RangeError for an empty list), never a raw TypeError', async () => {
  const typed = [ModelError, OptionError, InputError, DomainError, nutmeg.AdviError, nutmeg.FitError, nutmeg.FormulaSyntaxError, nutmeg.PriorSyntaxError];
  const raw: string[] = [];
  for (const [name, f] of Object.entries(nutmeg)) {
    if (typeof f !== 'function' || LOW_LEVEL.has(name) || /^[A-Z]/.test(name)) continue; // classes are constructed, not called
    for (const [label, arg] of [['undefined', undefined], ['null', null], ['42', 42], ["'x'", 'x'], ['{}', {}], ['[]', []]] as const) {
      try {
        await (f as (a: unknown) => unknown)(arg);
      } catch (e) {
        const emptyList = e instanceof RangeError && Array.isArray(arg);
        if (!typed.some((T) => e instanceof T) && !emptyList) raw.push(`${name}(${label}): ${String(e)}`);
      }
    }
  }
  assert.deepEqual(raw, []);
});
