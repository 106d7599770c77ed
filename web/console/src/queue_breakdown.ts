// A queue's waiting tickets now (the `breakdown` of its stats): by how long
// they have waited, each wait band with the rule steps in force (the rules
// widening as the tickets wait), by skill and by region.
import { h } from "../../shared/dom.js";
import type { QueueBreakdown } from "./api.js";
import { formatMs, formatNumber } from "./format.js";
import { table } from "./table.js";

type WaitBand = QueueBreakdown["by_wait"][number];

/** A count with a bar of its share, for the eye; the number is what a screen reader reads. */
function countCell(n: number, most: number): HTMLElement {
  const bar = h("span", { class: "bar", "aria-hidden": "true" });
  bar.style.setProperty("--share", String(most > 0 ? n / most : 0));
  return h("td", { class: "num" }, bar, formatNumber(n));
}

function waitLabel(b: WaitBand): string {
  return b.to_ms === null ? `${formatMs(b.from_ms)} and more` : `${formatMs(b.from_ms)} to ${formatMs(b.to_ms)}`;
}

function ruleCell(step: number | null, value: number | null, unit: string): HTMLElement {
  if (step === null || value === null) return h("td", { class: "num" }, "no rule");
  return h("td", { class: "num", "data-step": String(step) }, `${formatNumber(value, value % 1 ? 1 : 0)}${unit} (step ${step + 1})`);
}

/** The three tables, or a line when nobody waits. */
export function breakdownTables(b: QueueBreakdown): HTMLElement[] {
  if (b.counted === 0) return [h("p", { id: "queue-breakdown-empty" }, "Nobody waits in this queue now.")];
  // The bands up to the longest wait: the steps the waiting tickets have reached.
  const last = b.by_wait.reduce((at, w, i) => (w.tickets > 0 ? i : at), 0);
  const waits = b.by_wait.slice(0, last + 1);
  const mostWait = Math.max(...waits.map((w) => w.tickets));
  const mostSkill = Math.max(0, ...b.by_skill.map((s) => s.tickets));
  const mostRegion = Math.max(...b.by_region.map((r) => r.tickets));
  const out = [
    table(
      "queue-by-wait",
      "Waiting tickets by wait, and the rules in force for them",
      ["Waited", "Tickets", "Players", "Skill window", "Highest ping", "Below the most players"],
      waits.map((w) =>
        h(
          "tr",
          { "data-waiting": String(w.tickets) },
          h("th", { scope: "row" }, waitLabel(w)),
          countCell(w.tickets, mostWait),
          h("td", { class: "num" }, formatNumber(w.players)),
          ruleCell(w.skill_step, w.skill_window, ""),
          ruleCell(w.ping_step, w.max_ping_ms, " ms"),
          h("td", { class: "num" }, w.below_max ? "may start" : "no"),
        ),
      ),
    ),
    b.by_skill.length
      ? table(
          "queue-by-skill",
          "Waiting tickets by skill",
          ["Skill", "Tickets", "Players"],
          b.by_skill.map((s) => h("tr", {}, h("th", { scope: "row" }, `${formatNumber(s.from, 1)} to ${formatNumber(s.to, 1)}`), countCell(s.tickets, mostSkill), h("td", { class: "num" }, formatNumber(s.players)))),
        )
      : h("p", {}, "No skill rule: the queue keeps no skills."),
    table(
      "queue-by-region",
      "Waiting tickets by the region of their lowest ping",
      ["Region", "Tickets", "Players"],
      b.by_region.map((r) => h("tr", {}, h("th", { scope: "row" }, r.region ?? "no ping"), countCell(r.tickets, mostRegion), h("td", { class: "num" }, formatNumber(r.players)))),
    ),
  ];
  if (!b.complete) out.unshift(h("p", {}, `The first ${formatNumber(b.counted)} waiting tickets counted.`));
  return out;
}
