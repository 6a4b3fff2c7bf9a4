// The platform of environments without Node's adapters (browsers, other runtimes): none, so chains run in the calling thread.
import type { SamplingPlatform } from '../../workflow/platform.js';

/**
 * No environment adapters: {@link sample} runs the chains one after another in the calling
 * thread, shows no progress and cannot be interrupted from outside. Chosen by the `#platform`
 * import condition of `package.json` wherever the `node` condition does not apply.
 */
export const platform: SamplingPlatform = {};
