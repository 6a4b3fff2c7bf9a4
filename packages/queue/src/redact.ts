// Credentials never leave the process: user names and passwords in Redis URLs are masked in every message.

/** `scheme://user:password@` or `scheme://:password@` in any text (any scheme: a mistyped `http://` URL too). */
const CREDENTIALS = /\b([a-z][a-z0-9+.-]*):\/\/[^\s/@]*@/gi;

/**
 * The text with the credentials of every URL (`redis://`, `rediss://`, any scheme) replaced by `***`.
 *
 * @param text - a message, a URL, an error's text
 * @returns the same text without user names or passwords
 * @example
 * ```ts
 * redact('cannot reach redis://app:s3cret@db:6379'); // 'cannot reach redis://***@db:6379'
 * ```
 */
export function redact(text: string): string {
  return text.replace(CREDENTIALS, '$1://***@');
}

/**
 * An error's message with credentials removed, and the password itself masked wherever it
 * appears (a client library may quote it in its own words).
 *
 * @param error - what was thrown
 * @param url - the Redis URL whose password must not appear
 * @returns a message safe to print
 */
export function safeMessage(error: unknown, url: string): string {
  let text = redact(error instanceof Error ? error.message : String(error));
  for (const secret of secretsOf(url)) text = text.split(secret).join('***');
  return text;
}

/** The user name and password of a Redis URL (empty when it has none). */
export function secretsOf(url: string): string[] {
  try {
    const u = new URL(url);
    return [decodeURIComponent(u.password), u.password].filter((s) => s.length >= 3);
  } catch {
    return [];
  }
}
