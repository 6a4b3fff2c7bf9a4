// Terminal progress: one line per chain on a TTY, silent elsewhere.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { terminalProgress } from '../../src/platform/node/progressTerminal.js';

function fakeStream(tty: boolean): NodeJS.WriteStream & { text: () => string } {
  const s = new PassThrough() as unknown as NodeJS.WriteStream & { text: () => string };
  let out = '';
  s.on('data', (c: Buffer) => (out += c.toString()));
  Object.assign(s, { isTTY: tty, columns: 200, rows: 40, text: () => out });
  return s;
}

test('terminalProgress: nothing when the stream is not a TTY', () => {
  assert.equal(terminalProgress(2, 100, fakeStream(false)), undefined);
});

test('terminalProgress: renders a line per chain with phase, draws, divergences and ETA', async () => {
  const s = fakeStream(true);
  const sink = terminalProgress(2, 1000, s)!;
  assert.ok(sink);
  for (const chain of [0, 1]) {
    sink.update({ chain, phase: 'sampling', tuneDone: 1000, tune: 1000, drawsDone: 500, draws: 1000, divergences: chain, divergencesWarmup: 0, stepSize: 0.25, meanSteps: 7, gradEvals: 0, elapsedSeconds: 3 });
  }
  await new Promise((r) => setTimeout(r, 200));
  sink.finish();
  await new Promise((r) => setImmediate(r));
  const text = s.text();
  assert.match(text, /chain 0 \| sampling \| {2}500\/1000 draws \| 0 div \| step 0\.25 \| 7 steps\/draw \| 500 it\/s \| ETA 0:01/);
  assert.match(text, /chain 1 \| sampling .* 1 div/);
});
