// Functions every view can call (installed as app.locals).
import { LRUCache } from "lru-cache";
import type { FieldErrors } from "./forms.js";

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export function escapeHtml(s: unknown): string {
  return String(s ?? "").replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** Renders an attributes object as ` name="value"` pairs, escaped. */
export function attrs(attributes?: Record<string, string | number | boolean | undefined | null>): string {
  if (!attributes) return "";
  let out = "";
  for (const [k, v] of Object.entries(attributes)) {
    if (v === undefined || v === null || v === false) continue;
    if (!/^[a-zA-Z_:][-a-zA-Z0-9_:.]*$/.test(k)) continue;
    out += v === true ? ` ${k}` : ` ${k}="${escapeHtml(v)}"`;
  }
  return out;
}

/** `{ text }` for a field's error message, or undefined: fits the components' errorMessage param. */
export function errorFor(errors: FieldErrors | undefined, key: string): { text: string } | undefined {
  const text = errors?.[key];
  return text ? { text } : undefined;
}

const londonDate = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", day: "numeric", month: "long", year: "numeric" });
const londonDateTime = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/London", day: "numeric", month: "long", year: "numeric", hour: "numeric", minute: "2-digit", hourCycle: "h12",
});
const londonTime = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", hour: "numeric", minute: "2-digit", hourCycle: "h12" });

/**
 * Dates already formatted, by instant: a page of ideas and its filter form show
 * the same few hundred session dates on every render, and Intl formatting with a
 * time zone is one of the costliest calls of a render. Bounded (lru-cache, as the page caches).
 */
const formattedDates = new LRUCache<number, string>({ max: 5_000 });

/** "26 November 2026" (NHS style), in Europe/London. */
export function formatDate(d: Date | string | null | undefined): string {
  if (!d) return "";
  const date = new Date(d);
  const t = date.getTime();
  let s = formattedDates.get(t);
  if (s === undefined) {
    s = londonDate.format(date);
    if (!Number.isNaN(t)) formattedDates.set(t, s);
  }
  return s;
}
/** "26 November 2026, 2:30pm", in Europe/London. */
export function formatDateTime(d: Date | string | null | undefined): string {
  return d ? londonDateTime.format(new Date(d)).replace(" am", "am").replace(" pm", "pm").replace(" at ", ", ") : "";
}
export function formatTime(d: Date | string | null | undefined): string {
  return d ? londonTime.format(new Date(d)).replace(" am", "am").replace(" pm", "pm") : "";
}

/**
 * Parts of a page that depend on nothing but a few fixed choices (the /ideas
 * filter form's status, consent, overdue and sort fields, by the value chosen),
 * rendered once and reused: each is an include, and an include copies every
 * local of the page. Only for markup made from the key's values and constants,
 * never from a practice's data or a request (nothing in it may differ between
 * two pages with the same key). Bounded like formatDate's memo. Kept in every
 * mode, so tests exercise the cached path; in development, an edit to one of
 * these fields' templates shows after a restart.
 */
const fixedParts = new LRUCache<string, string>({ max: 1_000 });
export function fixedPart(key: string, render: () => string): string {
  let html = fixedParts.get(key);
  if (html === undefined) {
    html = render();
    fixedParts.set(key, html);
  }
  return html;
}

export const viewHelpers = { attrs, errorFor, formatDate, formatDateTime, formatTime, escapeHtml, fixedPart };
