// The closure environment of the generated programs: buffers, constant arrays and data-dependent integers, snapshotted for V8.
import { SCALAR_FUNCTIONS } from '../ir/scalarOps.js';

type SnapshotMaker = (v: Record<string, unknown>) => Record<string, unknown>;
const snapshotMakers = new Map<string, SnapshotMaker>();

/** A generated program's factory: called with an environment's snapshot, it returns the program closed over it. */
type ProgramFactory = (env: Record<string, unknown>) => unknown;
/**
 * One factory per generated source, shared by every model of that structure in this thread. The
 * programs a factory makes are closures of one function literal, so V8 gives them one feedback
 * vector and one optimised code: the second fit of a structure (the next county, the next data
 * set of a batch) runs optimised code from its first call, where a fresh `new Function` ran its
 * first ~4,000 calls in the interpreter and baseline code (2-10x slower) and optimised again.
 */
const programFactories = new Map<string, ProgramFactory>();
/** Enough for every program of the models a thread is likely to alternate between (each has ~4-11). */
const PROGRAM_FACTORY_LIMIT = 256;

/**
 * Shared closure environment of the generated programs: buffers, constant arrays and the integers
 * that depend on data (sizes, offsets). The generated sources name these and never spell their
 * values, so models of one structure over data of different sizes get byte-identical sources and
 * V8 reuses its compiled code for them (fitting the same model to many data sets, e.g. one per
 * county, would otherwise compile and optimise every fit from cold: ~10% of such a run).
 */
export class Environment {
  readonly values: Record<string, unknown> = { ...SCALAR_FUNCTIONS };
  private readonly arrays = new Map<unknown, string>();
  private count = 0;
  /** Every generated program's source, for reading and profiling (`compiled.__sources`). */
  readonly sources: string[] = [];

  /** Registers a constant array (once per array object) and returns its JS name (`k0`, `k1`, …). */
  constant(arr: Float64Array | Int32Array): string {
    const found = this.arrays.get(arr);
    if (found) return found;
    const name = `k${this.count++}`;
    this.values[name] = arr;
    this.arrays.set(arr, name);
    return name;
  }

  /**
   * A fresh object literal holding the current constants. Built by an object literal, it has a
   * fixed shape with fields V8 treats as constant, so optimised code embeds the arrays (an object
   * grown key by key can fall into dictionary mode, which costs ~50% on the radon gradient).
   */
  private snapshot(): Record<string, unknown> {
    const names = Object.keys(this.values);
    const key = names.join(',');
    // One maker per list of names, shared by every model of the same structure: their snapshots
    // then share one hidden class, and the shared generated code stays monomorphic on them.
    let make = snapshotMakers.get(key);
    if (!make) {
      make = new Function('v', `return { ${names.map((n) => `${n}: v.${n}`).join(', ')} };`) as SnapshotMaker;
      if (snapshotMakers.size >= 256) snapshotMakers.clear();
      snapshotMakers.set(key, make);
    }
    return make(this.values);
  }

  /** Registers a data-dependent integer under a structural name (such as `n12`, the size of node 12). */
  integer(name: string, value: number): string {
    if (name in this.values && this.values[name] !== value) throw new Error(`internal: ${name} is both ${String(this.values[name])} and ${value}`);
    this.values[name] = value;
    return name;
  }

  /** Allocates a zeroed buffer `name` of `size` elements (once) and returns its name. */
  buffer(name: string, size: number): string {
    if (!(name in this.values)) this.values[name] = new Float64Array(size);
    return name;
  }

  /** Builds a generated function of `params` with `body`, closed over a snapshot of the environment. */
  compile<T>(params: string[], body: string): T {
    const names = Object.keys(this.values);
    // The closure constants are re-bound as locals on entry: V8 then keeps them in registers and
    // hoists their checks out of the loops (context-slot loads inside hot loops are slower).
    const src = `const E = env;\nreturn function (${params.join(', ')}) {\nconst { ${names.join(', ')} } = E;\n${body}\n};`;
    this.sources.push(src);
    let factory = programFactories.get(src);
    if (!factory) {
      factory = new Function('env', src) as ProgramFactory;
      if (programFactories.size >= PROGRAM_FACTORY_LIMIT) programFactories.clear();
      programFactories.set(src, factory);
    }
    return factory(this.snapshot()) as T;
  }
}
