// The few DOM helpers the page uses.
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
