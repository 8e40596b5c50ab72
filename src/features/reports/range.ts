// The report's date range: two NHS date inputs (from[day], to[day], ...), in
// Europe/London, inclusive of both days. Stored as [start, endExclusive) UTC.
import { addDays, addYears } from "date-fns";
import { londonToUtc, parseDateParts, utcToLondonParts, type DateParts } from "../../lib/dates.js";
import type { FieldErrors } from "../../lib/forms.js";

export interface Ymd {
  year: number;
  month: number;
  day: number;
}

export interface DateRange {
  from: Ymd;
  to: Ymd;
  /** Midnight (London) at the start of `from`, as UTC. */
  start: Date;
  /** Midnight (London) at the end of `to`, as UTC (exclusive). */
  endExclusive: Date;
  isDefault: boolean;
}

export const MAX_RANGE_YEARS = 5;

function ymdOf(d: Date): Ymd {
  // Calendar arithmetic on a UTC-noon date avoids any time-zone slip.
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}
function asUtcNoon(v: Ymd): Date {
  return new Date(Date.UTC(v.year, v.month - 1, v.day, 12));
}

export function rangeOf(from: Ymd, to: Ymd, isDefault = false): DateRange {
  return { from, to, start: londonToUtc(from), endExclusive: londonToUtc(ymdOf(addDays(asUtcNoon(to), 1))), isDefault };
}

/**
 * The last default worked out, by UTC hour: London's date only ever changes on
 * a UTC hour (its offset is 0 or +1 h), so within one the default is the same,
 * and the time-zone arithmetic runs once an hour instead of on every request.
 */
let lastDefault: { hour: number; range: DateRange } | undefined;

/**
 * The default: the last 12 months, up to and including today in London: from
 * the day after this date a year ago (2 December 2025 to 1 December 2026).
 * It used to start on the 1st of the month 11 months back, so "the last 12
 * months" was 11 months and a few days early in a month.
 */
export function defaultRange(now = new Date()): DateRange {
  const hour = Math.floor(now.getTime() / 3_600_000);
  if (lastDefault?.hour === hour) return lastDefault.range;
  const p = utcToLondonParts(now);
  const today: Ymd = { year: Number(p.year), month: Number(p.month), day: Number(p.day) };
  const from = ymdOf(addDays(addYears(asUtcNoon(today), -1), 1));
  const range = rangeOf(from, today, true);
  lastDefault = { hour, range };
  return range;
}

export function rangeValues(r: DateRange): { from: Record<keyof DateParts, string>; to: Record<keyof DateParts, string> } {
  const v = (x: Ymd) => ({ day: String(x.day), month: String(x.month), year: String(x.year) });
  return { from: v(r.from), to: v(r.to) };
}

/** The range as query parameters, for links to exports and the evidence report. */
export function rangeQuery(r: DateRange): string {
  const p = new URLSearchParams();
  const v = rangeValues(r);
  for (const k of ["day", "month", "year"] as const) {
    p.set(`from[${k}]`, v.from[k]);
    p.set(`to[${k}]`, v.to[k]);
  }
  return p.toString();
}

export type RangeResult = { range: DateRange; errors: FieldErrors; values: { from: DateParts; to: DateParts } };

function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

/**
 * Reads the range from the query string (the app uses the "simple" query
 * parser, so the keys are literally "from[day]" and so on). No range given:
 * the default. A reversed, invalid or too long range: errors keyed by field id,
 * and the default range to show instead.
 */
export function parseRange(query: Record<string, unknown>, now = new Date()): RangeResult {
  const parts = (name: "from" | "to"): DateParts => ({
    day: str(query[`${name}[day]`]),
    month: str(query[`${name}[month]`]),
    year: str(query[`${name}[year]`]),
  });
  const fromParts = parts("from");
  const toParts = parts("to");
  const given = [...Object.values(fromParts), ...Object.values(toParts)].some((v) => v !== undefined && v.trim() !== "");
  const fallback = defaultRange(now);
  if (!given) return { range: fallback, errors: {}, values: rangeValues(fallback) };

  const errors: FieldErrors = {};
  const from = parseDateParts(fromParts, "Start date");
  const to = parseDateParts(toParts, "End date");
  if (!from.ok) errors.from = from.message;
  if (!to.ok) errors.to = to.message;
  if (from.ok && to.ok) {
    const a = asUtcNoon(from.value);
    const b = asUtcNoon(to.value);
    if (b < a) errors.to = "End date must be the same as or after the start date";
    else if (addYears(a, MAX_RANGE_YEARS) <= b) errors.from = `The date range must be ${MAX_RANGE_YEARS} years or shorter`;
    else return { range: rangeOf(from.value, to.value), errors, values: { from: fromParts, to: toParts } };
  }
  return { range: fallback, errors, values: { from: fromParts, to: toParts } };
}
