// The `#` comments of a CmdStan CSV file as a typed header: method, model, sampler settings, adaptation, timings.
//
// CmdStan writes its configuration as indented `# key = value` lines before the column header
// (`(Default)` marks untouched settings), the adapted step size and inverse metric after it, and the
// elapsed times at the end. Keys are read flat (first occurrence wins): within one method's block
// no key repeats, and the shared ones (`file` under data and output) are not used here.

/** CmdStan methods; only `sample` output holds MCMC draws. */
export type StanMethod = 'sample' | 'optimize' | 'variational' | 'pathfinder' | 'diagnose' | 'laplace' | 'generate_quantities' | 'log_prob';

/** The `sample` method's settings, as CmdStan records them. */
export interface StanSampleConfig {
  /** Sampling iterations requested (before thinning). */
  readonly numSamples: number;
  /** Warm-up iterations requested (before thinning). */
  readonly numWarmup: number;
  /** Whether the warm-up draws are in the file (before the sampling draws). */
  readonly saveWarmup: boolean;
  /** Every `thin`-th iteration is written. */
  readonly thin: number;
  /** `hmc` or `fixed_param`. */
  readonly algorithm?: string;
  /** HMC engine: `nuts` or `static`. */
  readonly engine?: string;
  /** Metric: `diag_e`, `dense_e` or `unit_e`. */
  readonly metric?: string;
  /** NUTS maximum tree depth. */
  readonly maxDepth?: number;
  /** Whether adaptation ran. */
  readonly adaptEngaged?: boolean;
  /** Target acceptance statistic (`adapt delta`). */
  readonly delta?: number;
}

/** A CmdStan CSV file's comment header. */
export interface StanCsvHeader {
  /** `2.33.1`, from `stan_version_major/minor/patch`. */
  readonly stanVersion?: string;
  /** The `model` line (the compiled model's name, e.g. `bernoulli_model`). */
  readonly model?: string;
  /** The `method` line; undefined for a file without CmdStan's configuration comments. */
  readonly method?: string;
  /** Settings of `method = sample`. */
  readonly sample?: StanSampleConfig;
  /** Chain id. */
  readonly id?: number;
  /** Random seed, as written. */
  readonly seed?: string;
  /** Adaptation results written after the column header. */
  readonly adaptation?: { readonly stepSize?: number; readonly inverseMetric: readonly number[][] };
  /** Elapsed seconds (`Warm-up`, `Sampling`, `Total`, or a method's own labels, lower-cased). */
  readonly elapsedSeconds: Readonly<Record<string, number>>;
  /** Every `key = value` configuration line, first occurrence of each key, `(Default)` removed. */
  readonly config: ReadonlyMap<string, string>;
}

/** Accumulates a file's comment lines into a {@link StanCsvHeader}. */
export class StanCsvHeaderReader {
  private readonly config = new Map<string, string>();
  private stepSize: number | undefined;
  private readonly metricRows: number[][] = [];
  private inMetric = false;
  private readonly elapsed: Record<string, number> = Object.create(null) as Record<string, number>;
  private inElapsed = false;

  /**
   * Takes one comment line.
   *
   * @param line - the line, starting with `#`
   * @param afterColumns - whether the column header has been seen (adaptation and timing comments come after it)
   */
  comment(line: string, afterColumns: boolean): void {
    const body = line.slice(1).trim();
    if (!afterColumns) {
      const m = /^([A-Za-z_]\w*)\s*=(.*)$/.exec(body);
      if (!m) return;
      let value = m[2].trim();
      if (value.endsWith('(Default)')) value = value.slice(0, -'(Default)'.length).trim();
      if (!this.config.has(m[1])) this.config.set(m[1], value);
      return;
    }
    const step = /^Step size\s*=\s*(\S+)$/.exec(body);
    if (step) {
      this.stepSize = Number(step[1]);
      return;
    }
    if (/inverse mass matrix:?$/i.test(body)) {
      this.inMetric = true;
      return;
    }
    if (this.inMetric) {
      const values = body.split(',').map((s) => Number(s.trim()));
      if (body !== '' && values.every((v) => Number.isFinite(v))) {
        this.metricRows.push(values);
        return;
      }
      this.inMetric = false;
    }
    const time = /^(?:Elapsed Time:\s*)?([-+0-9.eE]+) seconds \(([^)]{1,40})\)$/.exec(body);
    if (time && (this.inElapsed || body.startsWith('Elapsed Time:'))) {
      this.inElapsed = true;
      this.elapsed[time[2].toLowerCase()] = Number(time[1]);
      return;
    }
    this.inElapsed = false;
  }

  /** @returns the header read so far */
  header(): StanCsvHeader {
    const c = this.config;
    const num = (k: string): number | undefined => (c.has(k) && c.get(k) !== '' ? Number(c.get(k)) : undefined);
    const bool = (k: string): boolean | undefined => {
      const v = c.get(k);
      return v === undefined ? undefined : v === '1' || v === 'true';
    };
    const major = c.get('stan_version_major');
    const method = c.get('method');
    const sample: StanSampleConfig | undefined = method === 'sample'
      ? {
          numSamples: num('num_samples') ?? 1000,
          numWarmup: num('num_warmup') ?? 1000,
          saveWarmup: bool('save_warmup') ?? false,
          thin: num('thin') ?? 1,
          algorithm: c.get('algorithm'),
          engine: c.get('engine'),
          metric: c.get('metric'),
          maxDepth: num('max_depth'),
          adaptEngaged: bool('engaged'),
          delta: num('delta'),
        }
      : undefined;
    return {
      stanVersion: major === undefined ? undefined : `${major}.${c.get('stan_version_minor') ?? '?'}.${c.get('stan_version_patch') ?? '?'}`,
      model: c.get('model'),
      method,
      sample,
      id: num('id'),
      seed: c.get('seed'),
      adaptation: this.stepSize === undefined && this.metricRows.length === 0
        ? undefined
        : { stepSize: this.stepSize, inverseMetric: this.metricRows },
      elapsedSeconds: { ...this.elapsed },
      config: new Map(c),
    };
  }
}

/** What each non-sampling method's output is, for the message refusing to read it as MCMC draws. */
export const STAN_METHOD_OUTPUT: Readonly<Record<string, string>> = {
  optimize: 'a point estimate (the posterior mode, or the maximum likelihood estimate), possibly with its iterations: there is no posterior sample to summarise, and R-hat and ESS do not apply',
  variational: "ADVI output: the first row is the approximation's mean, the others are independent draws from it, not Markov chains, so R-hat and ESS do not apply",
  pathfinder: 'approximate draws from Pathfinder (importance-resampled), not Markov chains, so R-hat and ESS do not apply',
  laplace: 'independent draws from a normal approximation at the mode, not Markov chains, so R-hat and ESS do not apply',
  diagnose: "a gradient check (the model's gradients against finite differences), not draws",
  generate_quantities: 'generated quantities computed from existing draws; summarise the original sample (its CSV files) instead, or read these with the draws they came from',
  log_prob: 'log densities and gradients at given points, not draws',
};
