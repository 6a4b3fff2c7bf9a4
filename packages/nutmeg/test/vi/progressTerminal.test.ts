// The ADVI terminal renderer: silent off a TTY, plain lines with the fallback, a live line on a TTY.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { adviTerminalProgress } from '../../src/platform/node/adviProgressTerminal.js';
import { fit } from '../../src/workflow/fit.js';
import { diagonalGaussian } from './targets.js';

function fakeStream(isTTY: boolean): { stream: NodeJS.WriteStream; text: () => string } {
  let out = '';
  const w = new Writable({
    write(chunk, _enc, cb) {
      out += String(chunk);
      cb();
    },
  }) as unknown as NodeJS.WriteStream;
  Object.assign(w, { isTTY, columns: 160, rows: 40, cursorTo: () => true, moveCursor: () => true, clearLine: () => true, clearScreenDown: () => true, getWindowSize: () => [160, 40] });
  return { stream: w, text: () => out };
}

test('not a TTY: no display, or plain lines with the fallback', () => {
  assert.equal(adviTerminalProgress({ stream: fakeStream(false).stream }), undefined);
  const s = fakeStream(false);
  const cb = adviTerminalProgress({ stream: s.stream, fallback: true })!;
  fit(diagonalGaussian([0, 1], [1, 1]), { seed: 1, n: 3000, tolerance: 0, psisDraws: 0, progress: cb });
  assert.match(s.text(), /ADVI \(mean-field\) on 2 parameters/);
  assert.match(s.text(), /ADVI stopped after 3000 iterations/);
});

test('a TTY: a live line ending with the reason it stopped', () => {
  const s = fakeStream(true);
  const cb = adviTerminalProgress({ stream: s.stream })!;
  const base = diagonalGaussian([3, 4], [2, 3]);
  fit({ dim: 2, logDensityGrad: (x, g) => base.logDensityGrad(x, g) - 500 }, { seed: 1, n: 100000, psisDraws: 0, progress: cb });
  assert.match(s.text(), /ELBO converged at iteration \d+/);
});
