// What every view of the console gets: the API, the live events, the route's
// parameters and an AbortSignal that fires when the view is left (stop its
// timers, requests and subscriptions then).
import type { ConsoleApi } from "./api.js";
import type { LiveEvents } from "./live.js";

export interface ViewContext {
  api: ConsoleApi;
  live: LiveEvents;
  /** The path segments after the view's name (`#/sessions/ses_x` → ["ses_x"]). */
  path: string[];
  /** The query of the hash (`#/sessions?state=ready`). */
  query: URLSearchParams;
  signal: AbortSignal;
  /** Shows an error in the page's alert (an empty message hides it). */
  showError(error: unknown): void;
  navigate(hash: string): void;
}

export type View = (root: HTMLElement, ctx: ViewContext) => Promise<void> | void;

/** Subscribes to a live event type for the life of the view. */
export function onLive(ctx: ViewContext, type: string, listener: (data: unknown) => void): void {
  const off = ctx.live.on(type, listener);
  ctx.signal.addEventListener("abort", off, { once: true });
}

/** Runs `tick` every `ms` while the view is shown (not when the tab is hidden), one at a time. */
export function every(ctx: ViewContext, ms: number, tick: () => Promise<void>): void {
  let running = false;
  const timer = setInterval(() => {
    if (running || document.hidden) return;
    running = true;
    tick()
      .catch((e: unknown) => {
        if (!ctx.signal.aborted) ctx.showError(e);
      })
      .finally(() => (running = false));
  }, ms);
  ctx.signal.addEventListener("abort", () => clearInterval(timer), { once: true });
}
