// The few DOM helpers the pages (web/play, web/console) share.
export function $(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page has no #${id}`);
  return el;
}
export function show(id: string, visible: boolean): void {
  $(id).hidden = !visible;
}
export function setText(id: string, text: string): void {
  $(id).textContent = text;
}
export function clear(el: HTMLElement): void {
  while (el.firstChild) el.firstChild.remove();
}
export function element(tag: string, text?: string): HTMLElement {
  const el = document.createElement(tag);
  if (text !== undefined) el.textContent = text;
  return el;
}

type Child = Node | string | null | undefined | false;

/**
 * An element with attributes (`class`, `aria-*`, `for`…; a value of
 * undefined or false leaves the attribute out, true sets it empty) and
 * children (strings become text nodes; null, undefined and false are skipped).
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | number | boolean | undefined> = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    el.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child);
  }
  return el;
}
