// Headless rendering of Vega-Lite specs to SVG with vega-lite + vega (no DOM, no canvas; browser and Node alike).
import { objectArgument } from '../core/argumentChecks.js';
import { optionsObject } from '../core/optionChecks.js';
import type { VegaLiteSpec } from './spec.js';
import { useDejavuTextMetrics } from './textWidth.js';

/** Options of {@link renderSvg}. */
export interface RenderSvgOptions {
  /**
   * Receives every warning vega-lite or vega reports while compiling or running the spec
   * (e.g. an unknown encoding channel). Default: warnings are ignored.
   */
  onWarning?: (message: string) => void;
}

type LogFn = (...args: unknown[]) => void;

function collectingLogger(onWarning: (m: string) => void): {
  level: (l?: number) => unknown;
  error: LogFn;
  warn: LogFn;
  info: LogFn;
  debug: LogFn;
} {
  let lvl = 2;
  const logger = {
    level(l?: number): unknown {
      if (l === undefined) return lvl;
      lvl = l;
      return logger;
    },
    error: (...args: unknown[]): void => {
      throw new Error(args.map(String).join(' '));
    },
    warn: (...args: unknown[]): void => onWarning(args.map(String).join(' ')),
    info: (): void => undefined,
    debug: (): void => undefined,
  };
  return logger;
}

/**
 * Compiles a Vega-Lite spec to a Vega spec. vega-lite is loaded on first use, so importing
 * nutmeg does not load the charting libraries until a chart is rendered.
 *
 * @param spec - a Vega-Lite spec from one of the builders
 * @param options - warning sink
 * @returns the compiled Vega spec (plain JSON)
 * @throws Error if vega-lite rejects the spec
 */
export async function compileToVega(spec: VegaLiteSpec, options: RenderSvgOptions = {}): Promise<object> {
  const vl = await import('vega-lite');
  const logger = collectingLogger(options.onWarning ?? (() => undefined));
  type CompileArgs = Parameters<typeof vl.compile>;
  type Logger = NonNullable<CompileArgs[1]>['logger'];
  // Clone first: vega tags the inline data rows it is given, which would alter the caller's spec.
  return vl.compile(structuredClone(spec) as unknown as CompileArgs[0], { logger: logger as unknown as Logger }).spec;
}

/**
 * Numbers the SVG's clip paths 1, 2, … in order of appearance. Vega numbers them from a counter
 * shared by every chart a thread renders, so the same chart would get other ids after other charts
 * (or on another thread); renumbered, a chart's SVG depends on the chart alone.
 */
function numberClipsFromOne(svg: string): string {
  const ids = new Map<string, number>();
  return svg.replace(/(id="|url\(#)clip(\d+)/g, (_, lead: string, n: string) => {
    let k = ids.get(n);
    if (k === undefined) ids.set(n, (k = ids.size + 1));
    return `${lead}clip${k}`;
  });
}

/**
 * Renders a Vega-Lite spec to an SVG document string, headless: vega's scenegraph with the
 * `'none'` renderer, then its SVG string renderer. Needs no DOM and no canvas, so it runs in Node,
 * in a Web Worker and in a page alike. Without a canvas, vega lays out text with
 * DejaVu Sans advance widths (the font the PNG renderer uses; see `textWidth.ts`).
 *
 * @param spec - a Vega-Lite spec from one of the builders
 * @param options - warning sink
 * @returns a standalone `<svg …>` string with explicit width, height and viewBox
 * @throws Error if the spec does not compile or vega reports an error while running it
 * @example
 * ```ts
 * const rows = [{ label: 'a[0]', mean: 1.2, lo: 0.8, hi: 1.6 }, { label: 'a[1]', mean: 0.4, lo: -0.1, hi: 0.9 }];
 * const svg = await renderSvg(plotForest(rows));
 * ```
 */
export async function renderSvg(spec: VegaLiteSpec, options: RenderSvgOptions = {}): Promise<string> {
  objectArgument(spec, 'spec', 'renderSvg', 'plotTrace(traceVariables(idata))');
  options = optionsObject(options, 'renderSvg');
  const vegaSpec = await compileToVega(spec, options);
  const vega = await import('vega');
  useDejavuTextMetrics(vega);
  const logger = collectingLogger(options.onWarning ?? (() => undefined));
  type ViewOptions = NonNullable<ConstructorParameters<typeof vega.View>[1]>;
  const view = new vega.View(vega.parse(vegaSpec as Parameters<typeof vega.parse>[0]), {
    renderer: 'none',
    logger: logger as unknown as ViewOptions['logger'],
    logLevel: vega.Warn,
  });
  try {
    return numberClipsFromOne(await view.toSVG());
  } finally {
    view.finalize();
  }
}
