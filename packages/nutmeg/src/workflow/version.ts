// nutmeg's version, recorded in results (kept equal to package.json by a test).

/** The version of nutmeg that produced a result. */
export const NUTMEG_VERSION = '0.1.0';
