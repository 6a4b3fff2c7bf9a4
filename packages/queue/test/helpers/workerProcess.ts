// A worker process for the tests: runWorker with short locks, one JSON line per event on stdout, SIGTERM closes it gracefully.
import { runWorker } from '../../src/runWorker.js';

const [url, queue] = process.argv.slice(2);
const worker = await runWorker({
  url,
  queue,
  concurrency: 1,
  lockDuration: 2000,
  stalledInterval: 1000,
  maxStalledCount: 5,
  onEvent: (e) => process.stdout.write(`${JSON.stringify(e)}\n`),
});
process.once('SIGTERM', () => {
  void worker.close().then(() => process.exit(0));
});
