// The calendar's month: parsing ?month=YYYY-MM and laying out the weeks (Monday
// first), with each day's sessions. Pure: no database, no Express.
import { LONDON, londonToUtc, utcToLondonParts } from "../../lib/dates.js";
import { formatTime } from "../../lib/view-helpers.js";

export interface Month {
  year: number;
  month: number; // 1..12
}

const MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
export const DAY_NAMES = [
  { short: "Mon", long: "Monday" }, { short: "Tue", long: "Tuesday" }, { short: "Wed", long: "Wednesday" }, { short: "Thu", long: "Thursday" },
  { short: "Fri", long: "Friday" }, { short: "Sat", long: "Saturday" }, { short: "Sun", long: "Sunday" },
];

/** The London month an instant falls in. */
export function monthOf(instant: Date): Month {
  const p = utcToLondonParts(instant);
  return { year: Number(p.year), month: Number(p.month) };
}

/** ?month=YYYY-MM: undefined when absent (the current month), null when it is not a real month from 2000 to 2100. */
export function parseMonth(raw: unknown): Month | null | undefined {
  if (raw === undefined || raw === "") return undefined;
  if (typeof raw !== "string") return null;
  const m = /^(\d{4})-(\d{2})$/.exec(raw.trim());
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  if (month < 1 || month > 12 || year < 2000 || year > 2100) return null;
  return { year, month };
}

export function formatMonth(m: Month): string {
  return `${m.year}-${String(m.month).padStart(2, "0")}`;
}

export function monthLabel(m: Month): string {
  return `${MONTH_NAMES[m.month - 1]} ${m.year}`;
}

export function addMonths(m: Month, n: number): Month {
  const i = m.year * 12 + (m.month - 1) + n;
  return { year: Math.floor(i / 12), month: (i % 12) + 1 };
}

/** The month as UTC instants: [first midnight, next month's first midnight), in London time. */
export function monthRange(m: Month): { from: Date; to: Date } {
  const next = addMonths(m, 1);
  return { from: londonToUtc({ ...m, day: 1 }), to: londonToUtc({ ...next, day: 1 }) };
}

export interface Day {
  day: number;
  /** YYYY-MM-DD */
  iso: string;
  label: string; // "Tuesday 3 March 2026"
  isToday: boolean;
}

export interface Week<T> {
  cells: ({ day: Day; items: T[] } | null)[];
}

/** The weeks of a month, Monday first; days outside the month are null. Items go on the London day they start. */
export function layOutMonth<T extends { startsAt: Date }>(m: Month, items: T[], now: Date): { weeks: Week<T>[]; days: { day: Day; items: T[] }[] } {
  const daysInMonth = new Date(Date.UTC(m.year, m.month, 0)).getUTCDate();
  const firstWeekday = (new Date(Date.UTC(m.year, m.month - 1, 1)).getUTCDay() + 6) % 7; // Monday = 0
  const today = utcToLondonParts(now);
  const days: { day: Day; items: T[] }[] = [];
  for (let d = 1; d <= daysInMonth; d++) {
    const weekday = DAY_NAMES[(firstWeekday + d - 1) % 7]!.long;
    days.push({
      day: {
        day: d,
        iso: `${formatMonth(m)}-${String(d).padStart(2, "0")}`,
        label: `${weekday} ${d} ${MONTH_NAMES[m.month - 1]} ${m.year}`,
        isToday: Number(today.year) === m.year && Number(today.month) === m.month && Number(today.day) === d,
      },
      items: [],
    });
  }
  for (const item of items) {
    const p = utcToLondonParts(item.startsAt);
    if (Number(p.year) === m.year && Number(p.month) === m.month) days[Number(p.day) - 1]!.items.push(item);
  }
  const cells: ({ day: Day; items: T[] } | null)[] = [...Array<null>(firstWeekday).fill(null), ...days];
  while (cells.length % 7) cells.push(null);
  const weeks: Week<T>[] = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push({ cells: cells.slice(i, i + 7) });
  return { weeks, days };
}

/** "10:00am to 12:00pm" in London time: the 12-hour clock of the briefing, the dashboard and the e-mails. */
export function timeRange(startsAt: Date, endsAt: Date): string {
  return `${formatTime(startsAt)} to ${formatTime(endsAt)}`;
}

/** "3 March 2026", in London time. */
export function londonDate(instant: Date): string {
  const p = utcToLondonParts(instant);
  return `${p.day} ${MONTH_NAMES[Number(p.month) - 1]} ${p.year}`;
}

export { LONDON };
