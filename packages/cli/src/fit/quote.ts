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

/**
 * A name shown as it is when it is plain text, quoted (as {@link quote}) when it holds control
 * characters or line separators, so a hostile level cannot break a table or move the cursor.
 *
 * @param s - any text
 * @returns the text to print
 */
export function plainOrQuoted(s: string): string {
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(s) ? quote(s) : s;
}
