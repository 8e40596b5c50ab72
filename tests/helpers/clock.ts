// Tests whose fixtures say "today" or "this month" in London time. The app
// reads the real clock, so a file that sets its data up at 23:59:58 and
// loads the page at 00:00:01 sees another day (CI once failed exactly so).
// Before such a file sets up, wait until London midnight is at least
// `marginMs` away (a minute: the file takes seconds, and the wait stays
// inside the hook timeout); away from midnight this returns at once.
import { startOfLondonDay } from "../../src/lib/dates.js";

const DAY_MS = 864e5;

/** Milliseconds from `now` until the next London midnight (handles 23- and 25-hour days). */
export function msUntilLondonMidnight(now: Date = new Date()): number {
  const today = startOfLondonDay(now);
  // Noon of the next day is always in the next London day, whatever the clocks do.
  const next = startOfLondonDay(new Date(today.getTime() + DAY_MS + 12 * 3600e3));
  return next.getTime() - now.getTime();
}

/** Wait, if need be, so that the next `marginMs` do not cross London midnight. */
export async function awayFromLondonMidnight(marginMs = 60e3): Promise<void> {
  const left = msUntilLondonMidnight();
  if (left < marginMs) await new Promise((resolve) => setTimeout(resolve, left + 1000));
}
