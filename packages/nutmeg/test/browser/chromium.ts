// Starts Debian's Chromium (/usr/bin/chromium) headless through playwright-core for the browser tests; never a downloaded browser.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Where Debian's `chromium` package installs the browser (`.ci/run` installs it when missing). */
export const CHROMIUM_PATH = process.env.NUTMEG_CHROMIUM ?? '/usr/bin/chromium';

/** The flags every browser test runs with: headless, no sandbox (CI runs as root), nothing that goes online. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
] as const;

/**
 * Launches headless Chromium for a test. Throws with the install command when the browser is
 * missing, so a machine without it fails loudly instead of skipping the browser tests.
 *
 * @returns a running browser; the caller closes it (`after(() => browser.close())`)
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: install it with \`apt-get install chromium\` (or set NUTMEG_CHROMIUM)`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS] });
}
