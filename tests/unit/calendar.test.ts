// The calendar's pure rules, as tables: ?month= parsing, the month's London
// range across the clock changes, months counted back for gaps, and which
// sessions a feed holds (lib/visibility.ts).
import { describe, expect, it } from "vitest";
import { addMonths, layOutMonth, monthRange, parseMonth, timeRange } from "../../src/features/calendar/month.js";
import { isOverdue, monthsBefore } from "../../src/features/calendar/service.js";
import { feedSessionWhere, seesGroupGaps, staffSessionWhere } from "../../src/lib/visibility.js";

describe("?month=", () => {
  it.each([
    ["2030-06", { year: 2030, month: 6 }],
    [" 2030-12 ", { year: 2030, month: 12 }],
    [undefined, undefined],
    ["", undefined],
    ["2030-13", null],
    ["2030-00", null],
    ["2030-6", null],
    ["1999-12", null],
    ["2101-01", null],
    ["june", null],
    ["2030-06-01", null],
    [["2030-01", "2030-02"], null],
  ])("%j -> %j", (raw, expected) => {
    expect(parseMonth(raw)).toEqual(expected);
  });

  it("moves across years", () => {
    expect(addMonths({ year: 2030, month: 12 }, 1)).toEqual({ year: 2031, month: 1 });
    expect(addMonths({ year: 2030, month: 1 }, -1)).toEqual({ year: 2029, month: 12 });
  });
});

describe("a month in London time", () => {
  it.each([
    // month, first instant (UTC), first instant of the next month (UTC)
    [{ year: 2030, month: 1 }, "2030-01-01T00:00:00.000Z", "2030-02-01T00:00:00.000Z"],
    [{ year: 2030, month: 3 }, "2030-03-01T00:00:00.000Z", "2030-03-31T23:00:00.000Z"], // clocks go forward on 31 March 2030
    [{ year: 2030, month: 7 }, "2030-06-30T23:00:00.000Z", "2030-07-31T23:00:00.000Z"],
    [{ year: 2030, month: 10 }, "2030-09-30T23:00:00.000Z", "2030-11-01T00:00:00.000Z"], // and back on 27 October
  ])("%j", (m, from, to) => {
    const r = monthRange(m);
    expect([r.from.toISOString(), r.to.toISOString()]).toEqual([from, to]);
  });

  it("puts a session on the London day it starts, and shows London times", () => {
    const late = { startsAt: new Date("2030-06-30T22:30:00Z"), endsAt: new Date("2030-06-30T23:30:00Z") }; // 23:30 BST, 30 June
    const july = { startsAt: new Date("2030-06-30T23:30:00Z"), endsAt: new Date("2030-07-01T00:30:00Z") }; // 00:30 BST, 1 July
    const { days } = layOutMonth({ year: 2030, month: 6 }, [late, july], new Date("2030-06-15T12:00:00Z"));
    expect(days[29]!.items).toEqual([late]);
    expect(days.flatMap((d) => d.items)).not.toContain(july);
    expect(days[14]!.day.isToday).toBe(true);
    expect(timeRange(late.startsAt, late.endsAt)).toBe("11:30pm to 12:30am");
    expect(timeRange(new Date("2030-12-09T18:30:00Z"), new Date("2030-12-09T20:00:00Z"))).toBe("6:30pm to 8:00pm");
  });
});

describe("gaps", () => {
  const now = new Date("2030-06-15T12:00:00Z");
  it.each([
    // last held, group added, months, flagged
    ["2030-03-16T00:00:00Z", "2020-01-01T00:00:00Z", 3, false],
    ["2030-03-14T00:00:00Z", "2020-01-01T00:00:00Z", 3, true],
    ["2030-03-14T00:00:00Z", "2020-01-01T00:00:00Z", 6, false],
    [null, "2030-05-01T00:00:00Z", 3, false], // new group, not met yet: not flagged yet
    [null, "2030-01-01T00:00:00Z", 3, true],
  ])("last held %s, added %s, %i months -> %s", (lastHeld, createdAt, months, flagged) => {
    expect(isOverdue({ lastHeld: lastHeld ? new Date(lastHeld) : null, createdAt: new Date(createdAt) }, months, now)).toBe(flagged);
  });
  it("counts months by the calendar", () => {
    expect(monthsBefore(new Date("2030-05-31T12:00:00Z"), 3).toISOString()).toBe("2030-02-28T12:00:00.000Z");
    expect(monthsBefore(new Date("2032-05-31T12:00:00Z"), 3).toISOString()).toBe("2032-02-29T12:00:00.000Z");
  });
});

describe("who sees which sessions", () => {
  const v = (role: "MANAGER" | "FACILITATOR" | "VIEWER") => ({ practiceId: "p", userId: "u", role });
  const assigned = { practiceId: "p", facilitators: { some: { userId: "u", practiceId: "p" } } };
  it("on the calendar: the practice for managers and viewers, the assigned sessions for facilitators", () => {
    expect(staffSessionWhere(v("MANAGER"))).toEqual({ practiceId: "p" });
    expect(staffSessionWhere(v("VIEWER"))).toEqual({ practiceId: "p" });
    expect(staffSessionWhere(v("FACILITATOR"))).toEqual(assigned);
    expect([seesGroupGaps(v("MANAGER")), seesGroupGaps(v("VIEWER")), seesGroupGaps(v("FACILITATOR"))]).toEqual([true, true, false]);
  });
  it.each([
    // scope, holder's role now, whole practice?
    ["PRACTICE", "MANAGER", true],
    ["PRACTICE", "FACILITATOR", false],
    ["PRACTICE", "VIEWER", false],
    ["ASSIGNED", "MANAGER", false],
    ["ASSIGNED", "VIEWER", false],
  ] as const)("in a %s feed held by a %s: whole practice %s, never a staff-only (draft) session", (scope, role, whole) => {
    const notDraft = { status: { not: "DRAFT" } };
    expect(feedSessionWhere({ practiceId: "p", userId: "u", scope }, role)).toEqual(whole ? { practiceId: "p", ...notDraft } : { ...assigned, ...notDraft });
  });
});
