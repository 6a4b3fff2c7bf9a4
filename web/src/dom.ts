// DOM helpers that only ever put data into the page as text: element builders with text content, never HTML strings.

/** Properties of {@link el}: a class, text content and plain attributes (never event handlers). */
export interface ElementProps {
  readonly className?: string;
  /** Text content, set with `textContent` (data is never parsed as HTML). */
  readonly text?: string;
  readonly attrs?: Readonly<Record<string, string>>;
}

/**
 * Creates an element with text content and attributes. Attribute names starting with `on` are
 * refused, so that no data can become an event handler.
 *
 * @param tag - the element's tag
 * @param props - class, text and attributes
 * @param children - child nodes appended in order
 * @returns the element
 * @throws Error for an `on…` attribute
 */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: ElementProps = {}, children: readonly Node[] = []): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.className !== undefined) node.className = props.className;
  if (props.text !== undefined) node.textContent = props.text;
  for (const [name, value] of Object.entries(props.attrs ?? {})) {
    if (/^on/i.test(name)) throw new Error(`el: refusing the event-handler attribute ${name}`);
    node.setAttribute(name, value);
  }
  for (const child of children) node.append(child);
  return node;
}

/**
 * Replaces an element's children.
 *
 * @param parent - the element to fill
 * @param children - its new children
 */
export function replaceChildren(parent: Element, ...children: readonly Node[]): void {
  parent.replaceChildren(...children);
}

/**
 * Looks up an element the page must have.
 *
 * @param root - where to look
 * @param selector - a CSS selector
 * @returns the element
 * @throws Error when it is missing (a bug in the page, not in the data)
 */
export function must<T extends Element = HTMLElement>(root: ParentNode, selector: string): T {
  const found = root.querySelector<T>(selector);
  if (!found) throw new Error(`the page has no ${selector}`);
  return found;
}

/**
 * Formats a number for a table: fixed decimals, `—` for NaN or missing.
 *
 * @param v - the number
 * @param decimals - digits after the point
 * @returns the text
 */
export function formatNumber(v: number | null | undefined, decimals: number): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return v.toFixed(decimals);
}
