// quote: a string shown in a one-line terminal message, whatever it holds (quotes, control characters, line separators).

/**
 * A string in double quotes with JSON's escapes, and U+2028/U+2029 escaped too, so that a message
 * naming a hostile column or label stays on one line and cannot move the cursor.
 *
 * @param s - any text
 * @returns the quoted text
 */
export function quote(s: string): string {
  return JSON.stringify(s).replace(/[\u2028\u2029\u0085]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
