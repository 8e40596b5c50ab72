import { describe, expect, it } from "vitest";
import { londonToUtc, parseDateParts, parseTime, utcToLondonParts } from "../../src/lib/dates.js";
import { paginationParams, parsePage } from "../../src/lib/pagination.js";

describe("dates", () => {
  it("refuses dates that do not exist and names what is missing", () => {
    expect(parseDateParts({ day: "31", month: "2", year: "2027" }, "Date of the session")).toEqual({ ok: false, message: "Date of the session must be a real date" });
    expect(parseDateParts({ day: "29", month: "2", year: "2028" }, "Date")).toEqual({ ok: true, value: { year: 2028, month: 2, day: 29 } });
    expect(parseDateParts({ day: "1", month: "", year: "" }, "Date")).toEqual({ ok: false, message: "Date must include a month and year" });
    expect(parseDateParts({}, "Date of the session")).toEqual({ ok: false, message: "Enter the date of the session" });
  });
  it("reads times the way people write them", () => {
    expect(parseTime("14:30", "Start time")).toEqual({ ok: true, value: { hour: 14, minute: 30 } });
    expect(parseTime("2:30pm", "Start time")).toEqual({ ok: true, value: { hour: 14, minute: 30 } });
    expect(parseTime("12am", "Start time")).toEqual({ ok: true, value: { hour: 0, minute: 0 } });
    expect(parseTime("25:00", "Start time").ok).toBe(false);
  });
  it("converts London wall-clock time to UTC across summer time", () => {
    expect(londonToUtc({ year: 2027, month: 1, day: 15 }, { hour: 10, minute: 0 }).toISOString()).toBe("2027-01-15T10:00:00.000Z");
    expect(londonToUtc({ year: 2027, month: 7, day: 15 }, { hour: 10, minute: 0 }).toISOString()).toBe("2027-07-15T09:00:00.000Z");
    expect(utcToLondonParts(new Date("2027-07-15T09:00:00Z"))).toEqual({ day: "15", month: "7", year: "2027", time: "10:00" });
    // The last Sunday of March 2027 is the 28th: 01:00 UTC becomes 02:00 BST.
    expect(utcToLondonParts(new Date("2027-03-28T01:30:00Z")).time).toBe("02:30");
  });
});

describe("pagination", () => {
  it("clamps page numbers instead of failing", () => {
    expect(parsePage("3")).toBe(3);
    expect(parsePage("0")).toBe(1);
    expect(parsePage("-2")).toBe(1);
    expect(parsePage("abc")).toBe(1);
    expect(parsePage("99999999999")).toBe(1);
    expect(parsePage("999999")).toBe(10_000);
  });
  it("links previous, next and a window of pages", () => {
    const p = paginationParams({ page: 5, total: 200, hrefFor: (n) => `/x?page=${n}` });
    expect(p.previous?.href).toBe("/x?page=4");
    expect(p.next?.href).toBe("/x?page=6");
    expect(p.items.map((i) => (i.ellipsis ? "…" : i.number))).toEqual([1, "…", 4, 5, 6, "…", 10]);
    expect(paginationParams({ page: 1, total: 5, hrefFor: String }).items).toEqual([]);
  });
});
