// Node adapter for charts: Vega-Lite spec → SVG and PNG files (resvg rasteriser, bundled DejaVu fonts).
import { mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { renderSvg, type RenderSvgOptions } from '../../plots/render.js';
import type { VegaLiteSpec } from '../../plots/spec.js';
import { writeFileAtomic } from './atomicWrite.js';

/** Options of {@link svgToPng} and {@link writeFigure}. */
export interface PngOptions {
  /** Pixel scale relative to the SVG's size (2 gives crisp figures on high-DPI screens). Default 2. */
  scale?: number;
  /** Background colour. Default `'white'`. */
  background?: string;
  /**
   * Also load the system's fonts (slower, machine-dependent). Default false: only the DejaVu fonts
   * of the `dejavu-fonts-ttf` package are used, so PNGs look the same on every machine, including
   * bare CI machines without any font installed.
   */
  loadSystemFonts?: boolean;
}

const FONT_FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf', 'DejaVuSans-Oblique.ttf', 'DejaVuSansMono.ttf'];

let fontCache: string[] | undefined;

/**
 * Paths of the bundled DejaVu font files (from the `dejavu-fonts-ttf` npm package), or an empty
 * list if the package cannot be found.
 *
 * @returns absolute paths of the TrueType files that exist
 */
export function bundledFontFiles(): string[] {
  if (fontCache) return fontCache;
  let files: string[] = [];
  try {
    const require = createRequire(import.meta.url);
    const dir = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
    files = FONT_FILES.map((f) => join(dir, f)).filter((p) => existsSync(p));
  } catch {
    files = [];
  }
  fontCache = files;
  return files;
}

/**
 * Rasterises an SVG string to PNG bytes with resvg. Text is drawn with the bundled DejaVu Sans
 * (also used for the generic `sans-serif` family); if the font package is missing, system fonts
 * are loaded instead.
 *
 * @param svg - an SVG document string (e.g. from {@link renderSvg})
 * @param options - scale, background, font loading
 * @returns PNG file bytes
 * @throws Error if resvg cannot parse the SVG
 * @example
 * ```ts
 * declare const spec: VegaLiteSpec; // e.g. plotTrace(…)
 * const png = await svgToPng(await renderSvg(spec), { scale: 2 });
 * ```
 */
export async function svgToPng(svg: string, options: PngOptions = {}): Promise<Uint8Array> {
  // resvg's renderAsync rasterises on libuv's thread pool: the calling thread goes on (rendering
  // the next chart's SVG, computing summaries) while the pixels are drawn.
  const { renderAsync } = await import('@resvg/resvg-js');
  const image = await renderAsync(svg, resvgOptions(options));
  return new Uint8Array(image.asPng());
}

/**
 * Rasterises an SVG string to raw RGBA pixels (same renderer and fonts as {@link svgToPng}).
 *
 * @param svg - an SVG document string
 * @param options - scale, background, font loading
 * @returns width, height and `width × height × 4` RGBA bytes
 */
export async function svgToPixels(svg: string, options: PngOptions = {}): Promise<{ width: number; height: number; pixels: Uint8Array }> {
  const resvg = await makeResvg(svg, options);
  const img = resvg.render();
  return { width: img.width, height: img.height, pixels: new Uint8Array(img.pixels) };
}

async function makeResvg(svg: string, options: PngOptions): Promise<import('@resvg/resvg-js').Resvg> {
  const { Resvg } = await import('@resvg/resvg-js');
  return new Resvg(svg, resvgOptions(options));
}

/** resvg's options: background, scale and the bundled DejaVu fonts (system fonts only when none are bundled). */
function resvgOptions(options: PngOptions): import('@resvg/resvg-js').ResvgRenderOptions {
  const fontFiles = bundledFontFiles();
  return {
    background: options.background ?? 'white',
    fitTo: { mode: 'zoom', value: options.scale ?? 2 },
    font: {
      fontFiles,
      loadSystemFonts: options.loadSystemFonts ?? fontFiles.length === 0,
      defaultFontFamily: 'DejaVu Sans',
      sansSerifFamily: 'DejaVu Sans',
      monospaceFamily: 'DejaVu Sans Mono',
    },
  };
}

/** Paths and content of a figure written by {@link writeFigure}. */
export interface WrittenFigure {
  readonly svgPath: string;
  readonly pngPath: string;
  readonly svg: string;
}

/**
 * Renders a Vega-Lite spec and writes `<basePath>.svg` and `<basePath>.png` (creating the
 * folder if needed).
 *
 * @param spec - a Vega-Lite spec from one of the plot builders
 * @param basePath - output path without extension, e.g. `out/trace`
 * @param options - PNG options and a warning sink for the spec compiler
 * @returns the paths written and the SVG string (for inlining in a report)
 * @throws Error if the spec does not render or the files cannot be written
 * @example
 * ```ts
 * const rows = [{ label: 'a[0]', mean: 1.2, lo: 0.8, hi: 1.6 }, { label: 'a[1]', mean: 0.4, lo: -0.1, hi: 0.9 }];
 * const { svg } = await writeFigure(plotForest(rows), 'out/forest'); // out/forest.svg and out/forest.png
 * ```
 */
export async function writeFigure(
  spec: VegaLiteSpec,
  basePath: string,
  options: PngOptions & RenderSvgOptions = {},
): Promise<WrittenFigure> {
  const svg = await renderSvg(spec, options);
  const png = await svgToPng(svg, options);
  await mkdir(dirname(basePath), { recursive: true });
  const svgPath = `${basePath}.svg`;
  const pngPath = `${basePath}.png`;
  // Whole files or none: a full disk never leaves a truncated figure that looks complete.
  await writeFileAtomic(svgPath, svg);
  await writeFileAtomic(pngPath, png);
  return { svgPath, pngPath, svg };
}
