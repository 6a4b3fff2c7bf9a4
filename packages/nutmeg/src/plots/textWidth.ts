// Text width estimates from DejaVu Sans advance widths, for vega's layout when no canvas can measure text.

// Advance widths in 1/1000 em of DejaVu Sans (regular and bold) for the printable ASCII
// characters U+0020–U+007E, read from the fonts' hmtx tables (the fonts the PNG renderer ships).
const REGULAR = [
  318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636, 636, 636, 636, 636, 636,
  636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656, 557, 863, 748, 787,
  603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352, 635,
  634, 278, 278, 579, 278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
];
const BOLD = [
  348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696, 696, 696, 696, 696, 696, 696,
  696, 696, 400, 400, 838, 838, 838, 580, 1000, 774, 762, 734, 830, 683, 683, 821, 837, 372, 372, 775, 637, 995, 837, 850,
  733, 850, 770, 720, 682, 812, 774, 1103, 771, 724, 725, 457, 365, 457, 838, 500, 500, 675, 716, 593, 716, 678, 435, 716,
  712, 343, 343, 665, 343, 1042, 712, 687, 716, 716, 493, 595, 478, 712, 652, 924, 645, 652, 582, 712, 365, 712, 838,
];
// Common non-ASCII characters of statistical labels (regular, bold).
const EXTRA: Record<string, [number, number]> = {
  '−': [838, 838], '…': [1000, 1000], '–': [500, 500], '—': [1000, 1000], 'σ': [634, 779], 'μ': [636, 736],
  'α': [659, 687], 'β': [638, 716], 'τ': [602, 638], '·': [318, 380], '×': [838, 838], '≈': [838, 838],
};

/**
 * Width in px of a single line of text set in DejaVu Sans. Characters not in the table count as
 * 0.62 em (0.68 em bold), about the font's average.
 *
 * @param text - the text
 * @param fontSize - font size in px
 * @param bold - bold face
 * @returns the width in px
 */
export function dejavuTextWidth(text: string, fontSize: number, bold = false): number {
  const table = bold ? BOLD : REGULAR;
  let w = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0;
    if (c >= 32 && c < 127) w += table[c - 32];
    else if (EXTRA[ch]) w += EXTRA[ch][bold ? 1 : 0];
    else w += bold ? 680 : 620;
  }
  return (w * fontSize) / 1000;
}

interface TextItem {
  fontSize?: number;
  fontWeight?: string | number;
  limit?: number;
}

interface TextMetrics {
  width: (item: TextItem, text: unknown) => number;
  estimateWidth: (item: TextItem, text: unknown) => number;
}

/**
 * Makes vega lay out text with DejaVu Sans widths when it has no canvas to measure text (Node,
 * Web Workers). vega's own fallback guesses 0.8 em per character, which leaves wide margins
 * around titles and legends. Where vega measures with a canvas (a page), nothing is changed.
 *
 * @param vegaModule - the imported `vega` module
 */
export function useDejavuTextMetrics(vegaModule: unknown): void {
  const tm = (vegaModule as { textMetrics?: TextMetrics }).textMetrics;
  if (!tm || tm.width !== tm.estimateWidth) return;
  tm.width = (item: TextItem, text: unknown): number => {
    const s = text == null ? '' : String(text).trim();
    const size = item.fontSize != null ? Number(item.fontSize) || 0 : 11;
    const weight = item.fontWeight;
    const bold = weight === 'bold' || weight === 'bolder' || (typeof weight === 'number' && weight >= 600) || Number(weight) >= 600;
    const w = dejavuTextWidth(s, size, bold);
    return item.limit && item.limit > 0 ? Math.min(w, item.limit) : w;
  };
}
