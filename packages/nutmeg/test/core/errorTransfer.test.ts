// DomainError's brand and the error serialisation that carries exceptions across threads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError, InputError, isRecoverable, ModelError, OptionError } from '../../src/core/errors.js';
import { deserializeError, serializeError } from '../../src/core/errorTransfer.js';

/** Serialises, clones as postMessage would, and rebuilds. */
const roundTrip = (e: unknown): Error => deserializeError(structuredClone(serializeError(e)));

test('DomainError: recognised by instanceof from any copy of nutmeg (a registered brand), subclasses by their own class', () => {
  const d = new DomainError('log of a negative number');
  assert.ok(d instanceof DomainError && d instanceof Error && isRecoverable(d));
  assert.equal(d.name, 'DomainError');
  // What another copy's DomainError looks like to this copy: another class with the same brand.
  class OtherCopy extends Error {
    constructor(m: string) {
      super(m);
      Object.defineProperty(this, Symbol.for('nutmeg.DomainError'), { value: true });
    }
  }
  assert.ok(new OtherCopy('x') instanceof DomainError);
  class MyDomainError extends DomainError {}
  assert.ok(new MyDomainError('x') instanceof DomainError);
  assert.ok(new MyDomainError('x') instanceof MyDomainError);
  assert.ok(!(d instanceof MyDomainError), 'a subclass keeps the ordinary instanceof');
  for (const other of [new Error('x'), new RangeError('x'), new ModelError('x'), 'text', null, { message: 'x' }]) {
    assert.ok(!isRecoverable(other), String(other));
  }
});

test('serializeError/deserializeError: nutmeg and built-in classes come back as themselves with message, fields and stack', () => {
  const model = roundTrip(new ModelError('sigma must be > 0', 'sigma'));
  assert.ok(model instanceof ModelError);
  assert.deepEqual([model.name, model.message, model.variable], ['ModelError', 'sigma must be > 0', 'sigma']);
  const option = roundTrip(new OptionError('draws', 'must be ≥ 0'));
  assert.ok(option instanceof OptionError);
  assert.deepEqual([option.message, option.option], ['draws: must be ≥ 0', 'draws']);
  assert.ok(roundTrip(new InputError('bad.csv: line 3')) instanceof InputError);
  const domain = roundTrip(new DomainError('outside the support'));
  assert.ok(domain instanceof DomainError && isRecoverable(domain));
  for (const Cls of [TypeError, RangeError, ReferenceError, SyntaxError, EvalError, URIError, Error]) {
    const original = new Cls('boom');
    const back = roundTrip(original);
    assert.equal(Object.getPrototypeOf(back), Cls.prototype, Cls.name);
    assert.equal(back.message, 'boom');
    assert.equal(back.stack, original.stack);
  }
});

test('serializeError/deserializeError: other classes come back as the nearest known ancestor with their name, fields and cause', () => {
  class SensorError extends TypeError {
    readonly code = 'E_SENSOR';
    readonly readings = [1, 2, 3];
    readonly callback = (): number => 1; // not cloneable: sent as text
    constructor(m: string, options?: ErrorOptions) {
      super(m, options);
      this.name = 'SensorError';
    }
  }
  const back = roundTrip(new SensorError('no signal', { cause: new ModelError('inner', 'mu') })) as TypeError & Record<string, unknown>;
  assert.ok(back instanceof TypeError);
  assert.equal(back.name, 'SensorError');
  assert.equal(back.message, 'no signal');
  assert.equal(back.code, 'E_SENSOR');
  assert.deepEqual(back.readings, [1, 2, 3]);
  assert.equal(typeof back.callback, 'string');
  assert.ok(back.cause instanceof ModelError && back.cause.variable === 'mu');
  class Plain extends Error {}
  assert.equal(Object.getPrototypeOf(roundTrip(new Plain('p'))), Error.prototype);
  const thrownValue = roundTrip('a string was thrown');
  assert.deepEqual([thrownValue.name, thrownValue.message], ['Error', 'a string was thrown']);
});
