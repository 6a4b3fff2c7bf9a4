// Worker thread of the unpooled fits: fits the counties it is given and posts their draws back.
import { parentPort, workerData } from 'node:worker_threads';
import { loadRadon } from './data.js';
import { fitCounties, type CountyFit, type WorkerInput, type WorkerMessage } from './unpooled.js';

const input = workerData as WorkerInput;
const port = parentPort!;
try {
  const d = loadRadon(input.csv);
  const fits: CountyFit[] = await fitCounties(d, input.counties, input.options, (county) => port.postMessage({ type: 'done', county } satisfies WorkerMessage));
  const transfer = fits.flatMap((f) => [f.alpha.buffer, f.beta.buffer, f.eps.buffer]) as ArrayBuffer[];
  port.postMessage({ type: 'result', fits } satisfies WorkerMessage, transfer);
} catch (e) {
  port.postMessage({ type: 'error', message: (e as Error).message } satisfies WorkerMessage);
}
