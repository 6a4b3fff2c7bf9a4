// A fit's outcome as it travels back through Redis: the InferenceData with its arrays as base64 bytes, or the error as data.
import type { InferenceData } from 'nutmeg';
import { deserializeError, serializeError, type SerializedError } from 'nutmeg/kernels';
import { decodeWire, encodeWire } from './wireCodec.js';

/** What a worker returns for a job (BullMQ stores it as the job's return value). */
export type WireResult =
  | { readonly ok: true; readonly idata: unknown; readonly seconds: number; readonly worker: string }
  | { readonly ok: false; readonly error: SerializedError; readonly seconds: number; readonly worker: string };

/**
 * A fit's draws as a worker returns them: every typed array as base64 of its bytes, every other
 * field (sample stats, attrs with warnings and timings) as JSON.
 *
 * @param idata - the fit's InferenceData
 * @param seconds - how long the fit took on the worker
 * @param worker - the worker's label (host and process id)
 * @returns the wire result
 */
export function encodeSuccess(idata: InferenceData, seconds: number, worker: string): WireResult {
  return { ok: true, idata: encodeWire(idata), seconds, worker };
}

/**
 * A failed fit as a worker returns it: the error's class, message and fields as data.
 *
 * @param error - what the fit threw
 * @param seconds - how long the attempt took
 * @param worker - the worker's label
 * @returns the wire result
 */
export function encodeFailure(error: unknown, seconds: number, worker: string): WireResult {
  // serializeError's fields are structured-clone data; a JSON round trip keeps what JSON can hold.
  return { ok: false, error: JSON.parse(JSON.stringify(serializeError(error))) as SerializedError, seconds, worker };
}

/**
 * The InferenceData or the error of a wire result.
 *
 * @param result - a job's return value (parsed JSON)
 * @returns `{ idata }` bit-identical to the worker's, or `{ error }` rebuilt as its class (ModelError, …)
 * @throws TypeError when the value is not a wire result
 */
export function decodeResult(result: unknown): { idata: InferenceData } | { error: unknown } {
  if (result === null || typeof result !== 'object' || !('ok' in result)) throw new TypeError('not a fit result');
  const r = result as WireResult;
  return r.ok ? { idata: decodeWire(r.idata) as InferenceData } : { error: deserializeError(r.error) };
}
