// The checkpoint folder of a run on disk: a manifest with the run's hashes, and per chain a CmdStan CSV, a binary file of exact draws and the sampler state, written so that a kill never leaves a half state.
//
// Layout of DIR (chain n is 1-based, as CmdStan numbers its files):
//   manifest.json         format, version, dimension, statistic names, hashes of model, data and settings
//   chain_n.csv           CmdStan CSV: header, [warm-up rows], adaptation comments, draws (constrained, `String(x)` precision)
//   chain_n.draws.f64     the kept draws exactly: rows of dim + #stats little-endian float64 (position, then statistics)
//   chain_n.state.json    the chain's ChainCheckpoint and the byte lengths of the two files above when it was taken
// Each block appends its rows to the CSV and the binary file, then replaces the state file atomically
// (written to a temporary name, then renamed over it). The state is the commit point: on resume both
// data files are cut back to the lengths it records, so rows appended after it (a kill between the two
// steps) are dropped and re-sampled bit-identically. Blocks are written asynchronously, in order per
// chain, so that neither the chains nor the main thread wait for the disk (a block costs ~5–10 ms of
// I/O on a loaded disk); `close()` waits for the last ones. No fsync: a killed process loses nothing
// the kernel has been given; after a power loss a state file may be lost, and that chain restarts.
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { appendFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError, OptionError } from '../../core/errors.js';
import type { ChainBlock, ChainCheckpoint, ChainResume, IterationRows } from '../../inference/chain/checkpoint.js';
import type { CheckpointRun, CheckpointStore } from '../../workflow/checkpoint.js';
import { checkpointCsv, type CsvRunInfo } from './checkpointCsv.js';
import { decodeExact, encodeExact, hashText, specHashes } from './checkpointCodec.js';

/** The manifest of a checkpoint folder. */
interface Manifest {
  readonly format: 'nutmeg-checkpoint';
  readonly version: 1;
  readonly dim: number;
  readonly chains: number;
  readonly statNames: readonly string[];
  readonly hashes: { readonly model: string; readonly data: string; readonly settings: string };
  readonly dataByName: Record<string, string>;
  readonly settings: Record<string, unknown>;
}

/** A chain's state file. */
interface StateFile {
  readonly checkpoint: ChainCheckpoint;
  readonly csvBytes: number;
  readonly binBytes: number;
  readonly adaptationWritten: boolean;
}

/** Writes `text` to `path` atomically: a temporary file in the same folder, renamed over it. */
function writeFileAtomicSync(path: string, text: string): void {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

/** {@link writeFileAtomicSync} without blocking. */
async function writeFileAtomic(path: string, text: string): Promise<void> {
  await writeFile(`${path}.tmp`, text);
  await rename(`${path}.tmp`, path);
}

/**
 * A checkpoint store in the folder `dir` (see the layout at the top of this file).
 *
 * @param dir - the folder (created when missing)
 * @returns the store `sample()` writes its chains' blocks to
 * @throws (from `open`) OptionError when resuming a checkpoint of another model, data or settings
 *   (naming them), or when `dir` holds a checkpoint and `resume` is false; InputError when a
 *   chain's files are shorter than its state records
 * @example
 * ```ts
 * // What sample() does with `checkpoint: { dir }` in Node; pass it in a platform of your own:
 * declare const model: CompiledModel;
 * const idata = await sample(model, {
 *   checkpoint: { dir: 'runs/a' },
 *   platform: { ...nodePlatform, openCheckpoint: nodeCheckpointStore },
 * });
 * ```
 */
export function nodeCheckpointStore(dir: string): CheckpointStore {
  const files = (chain: number) => {
    const n = chain + 1;
    return { csv: join(dir, `chain_${n}.csv`), bin: join(dir, `chain_${n}.draws.f64`), state: join(dir, `chain_${n}.state.json`) };
  };
  const manifestPath = join(dir, 'manifest.json');
  const open: Map<number, { csvBytes: number; binBytes: number; adaptationWritten: boolean; queue: Promise<void> }> = new Map();
  let csv: ReturnType<typeof checkpointCsv> | undefined;
  let run: CheckpointRun | undefined;
  /** The first write that failed: later blocks are not written (the state on disk stays consistent). */
  let failure: string | undefined;

  return {
    open(r) {
      run = r;
      csv = checkpointCsv(r.layout, r.statNames);
      mkdirSync(dir, { recursive: true });
      const manifest = manifestOf(r);
      if (existsSync(manifestPath)) {
        if (!r.resume) {
          throw new OptionError('checkpoint.dir', `${dir} already holds a checkpoint (manifest.json): pass resume: true (--resume) to continue it, or choose another folder`);
        }
        const saved = decodeExact(readFileSync(manifestPath, 'utf8')) as Manifest;
        const differences = compareManifests(saved, manifest);
        if (differences.length > 0) throw new OptionError('resume', `cannot resume the checkpoint in ${dir}: ${differences.join('; ')}. Resume with the same model, data and settings, or start a new run in another folder`);
      } else {
        writeFileAtomicSync(manifestPath, encodeExact(manifest));
      }
      return r.jobs.map((job) => {
        const f = files(job.chain);
        const resumed = r.resume && existsSync(f.state) ? readChain(f, r.layout.dim, r.statNames) : undefined;
        if (resumed) {
          open.set(job.chain, { csvBytes: resumed.state.csvBytes, binBytes: resumed.state.binBytes, adaptationWritten: resumed.state.adaptationWritten, queue: Promise.resolve() });
          return resumed.resume;
        }
        // A chain without a state starts afresh: its files begin again.
        const header = r.csv ? csv!.header(csvInfo(r, job.chain)) : '';
        writeFileSync(f.csv, header);
        writeFileSync(f.bin, '');
        open.set(job.chain, { csvBytes: Buffer.byteLength(header), binBytes: 0, adaptationWritten: false, queue: Promise.resolve() });
        return undefined;
      });
    },
    write(block: ChainBlock) {
      const chainFiles = open.get(block.chain);
      if (!chainFiles || !csv || !run) throw new Error(`checkpoint: chain ${block.chain} was not opened`);
      const f = files(block.chain);
      const cp = block.checkpoint;
      let text = run.csv && block.warmup && block.warmup.rows > 0 ? csv.rows(block.warmup) : '';
      if (run.csv && !chainFiles.adaptationWritten && cp.nTuned >= Number(run.settings.tune) && (block.draws.rows > 0 || cp.done)) {
        text += csv.adaptation(cp.stepSize, cp.inverseMetric, run.settings.metric === 'dense' ? 'dense' : 'diag');
        chainFiles.adaptationWritten = true;
      }
      if (run.csv) text += csv.rows(block.draws);
      const bytes = binaryRows(block.draws, run.layout.dim, run.statNames);
      chainFiles.csvBytes += Buffer.byteLength(text);
      chainFiles.binBytes += bytes.byteLength;
      const state = encodeExact({ checkpoint: cp, csvBytes: chainFiles.csvBytes, binBytes: chainFiles.binBytes, adaptationWritten: chainFiles.adaptationWritten } satisfies StateFile);
      // In order per chain: rows first, then the state that commits them.
      chainFiles.queue = chainFiles.queue.then(async () => {
        if (failure !== undefined) return;
        try {
          if (text.length > 0) await appendFile(f.csv, text);
          if (bytes.byteLength > 0) await appendFile(f.bin, bytes);
          await writeFileAtomic(f.state, state);
        } catch (e) {
          failure ??= `${(e as Error).message}`;
        }
      });
    },
    async close() {
      await Promise.all([...open.values()].map((c) => c.queue));
      open.clear();
      return failure;
    },
    savedSeed() {
      if (!existsSync(manifestPath)) return undefined;
      const seed = (decodeExact(readFileSync(manifestPath, 'utf8')) as Partial<Manifest>).settings?.seed;
      return typeof seed === 'number' ? seed : undefined;
    },
  };
}

/** The manifest of a run: hashes of model, data and settings, and the settings themselves (to name differences). */
function manifestOf(r: CheckpointRun): Manifest {
  const spec = r.spec === undefined ? { handWritten: true, dim: r.layout.dim } : r.spec;
  const { model, data, dataByName } = specHashes(spec);
  const settings = { ...r.settings, saveWarmup: r.saveWarmup, csv: r.csv, chainStarts: hashText(encodeExact(r.jobs.map((j) => j.init))) };
  return {
    format: 'nutmeg-checkpoint',
    version: 1,
    dim: r.layout.dim,
    chains: r.jobs.length,
    statNames: r.statNames,
    hashes: { model, data, settings: hashText(encodeExact(settings)) },
    dataByName,
    settings,
  };
}

/** What differs between a checkpoint's manifest and the resuming run's, as phrases naming it. */
function compareManifests(saved: Manifest, now: Manifest): string[] {
  if (saved.format !== 'nutmeg-checkpoint' || saved.version !== 1) return [`the folder's manifest.json is not a nutmeg checkpoint of version 1`];
  const out: string[] = [];
  if (saved.hashes.model !== now.hashes.model) out.push('the model differs (its variables, distributions or shapes)');
  if (saved.hashes.data !== now.hashes.data) {
    const names = [...new Set([...Object.keys(saved.dataByName), ...Object.keys(now.dataByName)])].filter((k) => saved.dataByName[k] !== now.dataByName[k]);
    out.push(`the data differ${names.length > 0 ? ` (${names.join(', ')})` : ''}`);
  }
  if (saved.hashes.settings !== now.hashes.settings) {
    const keys = [...new Set([...Object.keys(saved.settings), ...Object.keys(now.settings)])];
    const changed = keys.filter((k) => encodeExact(saved.settings[k]) !== encodeExact(now.settings[k]));
    const shown = changed.map((k) => (k === 'chainStarts' ? 'the chains\' starting points (init)' : `${k} (checkpoint ${encodeExact(saved.settings[k])}, now ${encodeExact(now.settings[k])})`));
    out.push(`settings differ: ${shown.join(', ')}`);
  }
  return out;
}

/** CmdStan header facts of chain `chain`. */
function csvInfo(r: CheckpointRun, chain: number): CsvRunInfo {
  const s = r.settings;
  return {
    chain,
    draws: Number(s.draws),
    tune: Number(s.tune),
    saveWarmup: r.saveWarmup,
    seed: Number(s.seed),
    targetAccept: Number(s.targetAccept),
    maxTreeDepth: Number(s.maxTreeDepth),
    sampler: String(s.sampler),
    metric: s.metric === 'dense' ? 'dense' : 'diag',
  };
}

/** Rows as little-endian float64: each row its position, then its statistics in `statNames` order. */
function binaryRows(rows: IterationRows, d: number, statNames: readonly string[]): Uint8Array {
  const width = d + statNames.length;
  const out = new Float64Array(rows.rows * width);
  for (let r = 0; r < rows.rows; r++) {
    out.set(rows.positions.subarray(r * d, (r + 1) * d), r * width);
    for (let k = 0; k < statNames.length; k++) out[r * width + d + k] = rows.stats[statNames[k]][r];
  }
  // Float64Array is in the platform's byte order; every platform Node supports is little-endian.
  return new Uint8Array(out.buffer);
}

/** Reads a chain's state and exact draws, cutting its files back to the lengths the state records. */
function readChain(f: { csv: string; bin: string; state: string }, d: number, statNames: readonly string[]): { state: StateFile; resume: ChainResume } {
  let state: StateFile;
  try {
    state = decodeExact(readFileSync(f.state, 'utf8')) as StateFile;
  } catch (e) {
    throw new InputError(`checkpoint state ${f.state} cannot be read (${(e as Error).message}); delete it to restart that chain`);
  }
  for (const [path, bytes] of [[f.csv, state.csvBytes], [f.bin, state.binBytes]] as const) {
    const size = existsSync(path) ? statSync(path).size : 0;
    if (size < bytes) {
      throw new InputError(`checkpoint file ${path} is shorter (${size} bytes) than its chain's state records (${bytes}): it was cut or replaced; delete ${f.state} to restart that chain`);
    }
    if (size > bytes) truncateSync(path, bytes);
  }
  const width = d + statNames.length;
  const raw = readFileSync(f.bin);
  const values = new Float64Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  const rows = state.checkpoint.nDraws;
  if (values.length !== rows * width) {
    throw new InputError(`checkpoint file ${f.bin} holds ${values.length / width} draws where its state records ${rows}; delete ${f.state} to restart that chain`);
  }
  const positions = new Float64Array(rows * d);
  const stats: Record<string, Float64Array> = Object.fromEntries(statNames.map((k) => [k, new Float64Array(rows)]));
  for (let r = 0; r < rows; r++) {
    positions.set(values.subarray(r * width, r * width + d), r * d);
    for (let k = 0; k < statNames.length; k++) stats[statNames[k]][r] = values[r * width + d + k];
  }
  return { state, resume: { checkpoint: state.checkpoint, draws: { rows, positions, stats } } };
}
