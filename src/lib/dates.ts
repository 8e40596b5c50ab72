// Dates and times as people enter and read them (Europe/London wall-clock,
// the NHS day/month/year pattern), stored as UTC instants.
import { TZDate } from "@date-fns/tz";

export const LONDON = "Europe/London";

export interface DateParts {
  day?: string;
  month?: string;
  year?: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** Validates the NHS date input's three fields; "31/02" is not a date. `label` starts the messages ("Date of the session"). */
export function parseDateParts(parts: DateParts | undefined, label: string): Parsed<{ year: number; month: number; day: number }> {
  const d = parts?.day?.trim() ?? "";
  const m = parts?.month?.trim() ?? "";
  const y = parts?.year?.trim() ?? "";
  if (!d && !m && !y) return { ok: false, message: `Enter the ${label.toLowerCase()}` };
  const missing = [!d && "day", !m && "month", !y && "year"].filter(Boolean);
  if (missing.length) return { ok: false, message: `${label} must include a ${missing.join(" and ")}` };
  if (!/^\d{1,2}$/.test(d) || !/^\d{1,2}$/.test(m) || !/^\d{4}$/.test(y)) return { ok: false, message: `${label} must be a real date` };
  const day = Number(d);
  const month = Number(m);
  const year = Number(y);
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (month < 1 || month > 12 || probe.getUTCDate() !== day || probe.getUTCMonth() !== month - 1) {
    return { ok: false, message: `${label} must be a real date` };
  }
  if (year < 2000 || year > 2100) return { ok: false, message: `${label} must be between 2000 and 2100` };
  return { ok: true, value: { year, month, day } };
}

/** "14:30", "2:30pm", "9am" -> { hour, minute } (24-hour). */
export function parseTime(raw: string | undefined, label: string): Parsed<{ hour: number; minute: number }> {
  const s = (raw ?? "").trim().toLowerCase().replace(/\s+/g, "").replace(".", ":");
  if (!s) return { ok: false, message: `Enter the ${label.toLowerCase()}` };
  const m = s.match(/^(\d{1,2})(?::(\d{2}))?(am|pm)?$/);
  if (!m) return { ok: false, message: `${label} must be a time, like 14:30 or 2:30pm` };
  let hour = Number(m[1]);
  const minute = m[2] ? Number(m[2]) : 0;
  if (m[3]) {
    if (hour < 1 || hour > 12) return { ok: false, message: `${label} must be a real time` };
    hour = (hour % 12) + (m[3] === "pm" ? 12 : 0);
  }
  if (hour > 23 || minute > 59) return { ok: false, message: `${label} must be a real time` };
  return { ok: true, value: { hour, minute } };
}

/** The UTC instant of a Europe/London wall-clock time (summer time handled). */
export function londonToUtc(d: { year: number; month: number; day: number }, t: { hour: number; minute: number } = { hour: 0, minute: 0 }): Date {
  return new Date(new TZDate(d.year, d.month - 1, d.day, t.hour, t.minute, LONDON).getTime());
}

/** A stored instant as the form fields show it, in Europe/London. */
export function utcToLondonParts(instant: Date): { day: string; month: string; year: string; time: string } {
  const z = new TZDate(instant.getTime(), LONDON);
  const pad = (n: number) => String(n).padStart(2, "0");
  return { day: String(z.getDate()), month: String(z.getMonth() + 1), year: String(z.getFullYear()), time: `${pad(z.getHours())}:${pad(z.getMinutes())}` };
}

/** Midnight at the start of a London calendar day, as UTC. */
export function startOfLondonDay(instant: Date): Date {
  const p = utcToLondonParts(instant);
  return londonToUtc({ year: Number(p.year), month: Number(p.month), day: Number(p.day) });
}

export type LondonInstant =
  | { ok: true; value: Date; /** The wall-clock time happens twice (the day the clocks go back): value is the first, in British Summer Time. */ ambiguous: boolean }
  | { ok: false; reason: "nonexistent" };

const HOUR_MS = 60 * 60 * 1000;

/**
 * A Europe/London wall-clock time as an instant, refusing the times that do not
 * exist. On the last Sunday of March the clocks go forward from 1am to 2am, so
 * 1:00am to 1:59am never happens that day: `nonexistent` (londonToUtc would
 * silently move it by an hour). On the last Sunday of October the clocks go
 * back from 2am to 1am, so 1:00am to 1:59am happens twice: the first time (in
 * British Summer Time) is taken, and `ambiguous` says so.
 */
export function resolveLondonTime(d: { year: number; month: number; day: number }, t: { hour: number; minute: number }): LondonInstant {
  const wanted = { day: String(d.day), month: String(d.month), year: String(d.year), time: `${String(t.hour).padStart(2, "0")}:${String(t.minute).padStart(2, "0")}` };
  const guess = londonToUtc(d, t).getTime();
  const matches = [guess - HOUR_MS, guess, guess + HOUR_MS].filter((ms) => {
    const p = utcToLondonParts(new Date(ms));
    return p.day === wanted.day && p.month === wanted.month && p.year === wanted.year && p.time === wanted.time;
  });
  if (matches.length === 0) return { ok: false, reason: "nonexistent" };
  return { ok: true, value: new Date(Math.min(...matches)), ambiguous: matches.length > 1 };
}
