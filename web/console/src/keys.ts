// API keys: create one (its secret shown this once), list them, revoke one.
import { clear, h } from "../../shared/dom.js";
import type { ViewContext } from "./context.js";
import { formatTime } from "./format.js";

export async function keysView(root: HTMLElement, ctx: ViewContext): Promise<void> {
  const name = h("input", { id: "key-name", name: "name", maxlength: 64, autocomplete: "off" });
  const created = h("div", { id: "key-created", role: "status", "aria-live": "polite" });
  const list = h("div", { id: "key-list" });
  const form = h(
    "form",
    { "aria-labelledby": "new-key-title" },
    h("h2", { id: "new-key-title" }, "Create a key"),
    h("div", { class: "row" }, h("label", { for: "key-name" }, "Name", name), h("button", { type: "submit", class: "primary" }, "Create the key")),
  );
  root.append(
    h("h1", {}, "API keys"),
    h("p", {}, "A key acts as you on every developer route (CI, ", h("code", {}, "webgames ctl"), ") until it is revoked. The server keeps only its hash: its secret is shown once."),
    form,
    created,
    h("h2", {}, "Your keys"),
    list,
  );
  const refresh = async () => {
    const keys = await ctx.api.listKeys(ctx.signal);
    clear(list);
    if (keys.length === 0) {
      list.append(h("p", {}, "No key."));
      return;
    }
    list.append(
      h(
        "div",
        { class: "table-wrap" },
        h(
          "table",
          { id: "keys-table" },
          h("caption", {}, "Your API keys"),
          h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Name"), h("th", { scope: "col" }, "Starts with"), h("th", { scope: "col" }, "Created"), h("th", { scope: "col" }, h("span", { class: "skip" }, "Revoke")))),
          h(
            "tbody",
            {},
            keys.map((k) => {
              const revoke = h("button", { type: "button", "aria-label": `Revoke ${k.name} (${k.prefix}…)` }, "Revoke");
              revoke.addEventListener("click", () => {
                if (!window.confirm(`Revoke the key ${k.name} (${k.prefix}…)? It stops working at once, everywhere.`)) return;
                void ctx.api
                  .deleteKey(k.id)
                  .then(refresh)
                  .catch((e: unknown) => ctx.showError(e));
              });
              return h("tr", {}, h("td", {}, k.name), h("td", {}, h("code", {}, `${k.prefix}…`)), h("td", {}, formatTime(k.created_at)), h("td", {}, revoke));
            }),
          ),
        ),
      ),
    );
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    ctx.showError("");
    void ctx.api
      .createKey(name.value.trim())
      .then(async (key) => {
        name.value = "";
        clear(created);
        created.append(
          h(
            "div",
            { class: "notice" },
            h("p", {}, `The key ${key.name}: copy it now, it is not shown again.`),
            h("p", { class: "secret", id: "key-secret" }, key.key),
          ),
        );
        await refresh();
      })
      .catch((e: unknown) => ctx.showError(e));
  });
  await refresh();
}
