// Shows where in a text an error is: the text with the offending character highlighted, and a caret line under it (all as text nodes).
import { el } from './dom.js';

/**
 * The text with the character at `offset` marked and a `^` under it, on the line that holds it.
 *
 * @param text - the formula or prior
 * @param offset - 0-based offset of the error (at the end of the text: just past it)
 * @returns a `<pre>` element
 */
export function errorCaret(text: string, offset: number): HTMLPreElement {
  const at = Math.max(0, Math.min(offset, text.length));
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const nextBreak = text.indexOf('\n', at);
  const lineEnd = nextBreak === -1 ? text.length : nextBreak;
  const line = text.slice(lineStart, lineEnd);
  const column = at - lineStart;
  const marked = line.slice(column, column + 1);
  const pre = el('pre', { className: 'caret', attrs: { 'data-offset': String(at) } });
  pre.append(document.createTextNode(line.slice(0, column)), el('mark', { text: marked === '' ? ' ' : marked }), document.createTextNode(line.slice(column + 1)));
  pre.append(document.createTextNode('\n' + ' '.repeat([...line.slice(0, column)].length) + '^'));
  return pre;
}
