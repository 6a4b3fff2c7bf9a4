// The page's URL state: defaults, round trips, and what happens to invalid or hostile values (in Node; the page tests cover the DOM).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_STATE, parseState, stateToSearch } from '../src/urlState.js';
import { checkFormula } from '../src/formulaCheck.js';
import { radonTable } from './radonTable.js';

test('a plain visit is the non-centered radon model with 4 × (1000 + 1000) draws, seed 1', () => {
  const { state, problems } = parseState('');
  assert.deepEqual(state, DEFAULT_STATE);
  assert.deepEqual(problems, []);
});

test('a link round-trips: model mode and formula mode', () => {
  const model = parseState('?data=radon&model=pooled&chains=2&draws=300&tune=200&seed=9').state;
  assert.equal(model.model, 'pooled');
  assert.deepEqual(parseState(stateToSearch(model)).state, model);
  const formula = parseState('?data=radon&formula=log_radon%20~%20floor&family=student&prior=normal(0%2C%201)%3A%20b&seed=3&autorun=1').state;
  assert.equal(formula.model, null);
  assert.equal(formula.formula, 'log_radon ~ floor');
  assert.equal(formula.family, 'student');
  assert.deepEqual(formula.priors, ['normal(0, 1): b']);
  assert.equal(formula.autorun, true);
  assert.deepEqual(parseState(stateToSearch(formula)).state, { ...formula, autorun: false });
});

test('invalid values fall back to the defaults, each with a message naming the parameter', () => {
  const { state, problems } = parseState('?model=nope&family=%3Cscript%3E&chains=0&draws=1.5&tune=-1&seed=x&data=http://evil');
  assert.equal(state.model, DEFAULT_STATE.model);
  assert.equal(state.family, 'gaussian');
  assert.deepEqual([state.chains, state.draws, state.tune, state.seed], [4, 1000, 1000, 1]);
  assert.deepEqual(problems.map((p) => p.split(':')[0]), ['data', 'model', 'family', 'chains', 'draws', 'tune', 'seed']);
  assert.ok(problems[2].includes('"<script>"'), problems[2]);
  assert.equal(parseState('?family=__proto__').state.family, 'gaussian', 'only own family names');
  assert.equal(parseState(`?formula=${'y'.repeat(3000)}`).problems.length, 1, 'an overlong formula is refused');
});

test('the formula check gives the parameters, or the message and the position of the error', () => {
  const table = radonTable();
  const ok = checkFormula('log_radon ~ floor + (1 | county)', 'gaussian', [], table);
  assert.ok(ok.ok);
  assert.deepEqual(ok.parameters, ['b_Intercept', 'b_floor', 'sd_county__Intercept', 'sigma', 'r_county']);
  const syntax = checkFormula('log_radon ~ floor +', 'gaussian', [], table);
  assert.ok(!syntax.ok && syntax.position?.field === 'formula' && syntax.position.offset === 19, JSON.stringify(syntax));
  const prior = checkFormula('log_radon ~ floor', 'gaussian', ['normal(0, 1): b', 'normal(0 1): sigma'], table);
  assert.ok(!prior.ok && prior.position?.field === 'prior' && prior.position.priorIndex === 1, JSON.stringify(prior));
  const column = checkFormula('log_radon ~ flor', 'gaussian', [], table);
  assert.ok(!column.ok && column.position === undefined && /unknown column "flor".*similar: "floor"/.test(column.message), JSON.stringify(column));
});
