// The console's data tables (the overview's, a queue's breakdown): captioned,
// with column heads, in a wrapper that scrolls the table sideways on a narrow
// screen rather than the page.
import { h } from "../../shared/dom.js";

/** A row: its <tr> as built (row heads, data attributes), or its cells, each put in a <td>. */
export type Row = HTMLElement | (string | Node)[];

export interface TableOptions {
  /** The columns right-aligned, heads and cells alike. Default: all but the first. */
  numeric?: (column: number) => boolean;
  /** What the table says when it has no row. Default: an empty body. */
  empty?: string;
}

/** The table `id` of `rows` under `heads`. */
export function table(id: string, caption: string, heads: string[], rows: Row[], options: TableOptions = {}): HTMLElement {
  const numeric = options.numeric ?? ((column: number) => column > 0);
  const cls = (column: number) => (numeric(column) ? "num" : undefined);
  const body = rows.map((r) => (Array.isArray(r) ? h("tr", {}, r.map((c, i) => h("td", { class: cls(i) }, c))) : r));
  if (body.length === 0 && options.empty !== undefined) body.push(h("tr", {}, h("td", { colspan: heads.length }, options.empty)));
  return h(
    "div",
    { class: "table-wrap" },
    h(
      "table",
      { id },
      h("caption", {}, caption),
      h("thead", {}, h("tr", {}, heads.map((t, i) => h("th", { scope: "col", class: cls(i) }, t)))),
      h("tbody", {}, body),
    ),
  );
}
