// A tiny element builder. Strings become text nodes, never markup: the only HTML the webview assigns
// is the sanitiser's output (see render.ts).

type Child = Node | string | null | undefined | false;

interface Props {
  class?: string;
  id?: string;
  title?: string;
  /** Plain attributes (role, aria-*, data-*). Never `style` or `on*`: the CSP and the style guide forbid them. */
  attrs?: Record<string, string>;
  onClick?: () => void;
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props.class) el.className = props.class;
  if (props.id) el.id = props.id;
  if (props.title) el.title = props.title;
  for (const [name, value] of Object.entries(props.attrs ?? {})) el.setAttribute(name, value);
  if (props.onClick) el.addEventListener('click', props.onClick);
  append(el, children);
  return el;
}

export function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

/** Replaces all children of `parent`. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

export function button(label: string, onClick: () => void, options: { class?: string; title?: string } = {}): HTMLButtonElement {
  const props: Props = { class: options.class ?? 'button', attrs: { type: 'button' }, onClick };
  if (options.title) props.title = options.title;
  return h('button', props, label);
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string>, ...children: SVGElement[]): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, value);
  for (const child of children) el.appendChild(child);
  return el;
}
