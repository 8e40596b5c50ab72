import { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { barChart, foldSeries, PALETTE, stackedBarChart } from "../../src/features/reports/charts.js";
import { loopView, VERDICT_COLOURS } from "../../src/features/report-back/loop-view.js";
import { csvStringifier, neutraliseCell } from "../../src/features/reports/csv.js";
import { defaultRange, parseRange, rangeQuery } from "../../src/features/reports/range.js";
import { monthLabel, monthsOf } from "../../src/features/reports/service.js";

const rects = (svg: string) => [...svg.matchAll(/<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"/g)].map((m) => m.slice(1).map(Number));

describe("formula-injection neutralising", () => {
  it("prefixes a quote to cells starting with = + - @ tab or carriage return", () => {
    expect(neutraliseCell("=SUM(A1:A9)")).toBe("'=SUM(A1:A9)");
    expect(neutraliseCell("+44 20 7946 0000")).toBe("'+44 20 7946 0000");
    expect(neutraliseCell("-2+3")).toBe("'-2+3");
    expect(neutraliseCell("@cmd")).toBe("'@cmd");
    expect(neutraliseCell("\t=1")).toBe("'\t'=1");
    expect(neutraliseCell("\r=1")).toBe("'\r'=1");
  });
  it("neutralises a trigger wherever a spreadsheet could start a new cell: after , ; tab and line ends", () => {
    expect(neutraliseCell("x;=cmd|' /C calc'!A0")).toBe("x;'=cmd|' /C calc'!A0");
    expect(neutraliseCell("a,+1")).toBe("a,'+1");
    expect(neutraliseCell("a\t@SUM(1)")).toBe("a\t'@SUM(1)");
    expect(neutraliseCell("first line\n-2+3")).toBe("first line\n'-2+3");
    expect(neutraliseCell("a\r\n=1")).toBe("a\r\n'=1");
    expect(neutraliseCell("=1;=2")).toBe("'=1;'=2");
  });
  it("leaves ordinary text alone, including those characters later in the cell", () => {
    for (const s of ["", "Access and appointments", "a=b", "Email me @ reception", "Café, «quoted»", "'already quoted", "a, -b", "x; =y"]) {
      expect(neutraliseCell(s)).toBe(s);
    }
  });
  it("is applied by the stringifier to text cells, not to numbers, with a BOM and correct quoting", async () => {
    const out = await buffer(Readable.from([["=1+1", -5, 'a, "b"\nc', "Ελληνικά", true, null]]).pipe(csvStringifier(["A", "B", "C", "D", "E", "F"])));
    expect([...out.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [row] = parse(out, { bom: true, columns: true }) as Record<string, string>[];
    expect(row).toEqual({ A: "'=1+1", B: "-5", C: 'a, "b"\nc', D: "Ελληνικά", E: "yes", F: "" });
  });
  it("quotes every text cell, so a `;` inside one never splits it where `;` is the list separator", async () => {
    const out = await buffer(Readable.from([["x;=cmd|' /C calc'!A0", "plain", 7]]).pipe(csvStringifier(["A", "B", "C"])));
    const lines = out.toString("utf8").replace(/^\uFEFF/, "").split("\r\n");
    expect(lines[1]).toBe(`"x;'=cmd|' /C calc'!A0","plain",7`);
    // Read as Excel does with `;` as its list separator: still one cell, and no cell starts with a trigger.
    const [, row] = parse(out, { bom: true, delimiter: ";", relax_quotes: true }) as string[][];
    for (const cell of row!) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });
});

describe("SVG charts", () => {
  const t = { id: "c1", title: "Ideas by <theme>", desc: 'A & B "quoted"' };

  it("is an image labelled by its own title and description", () => {
    const { svg } = barChart(t, [{ label: "x", value: 1 }]);
    expect(svg).toMatch(/^<svg [^>]*role="img" aria-labelledby="c1-title c1-desc"/);
    expect(svg).toContain('<title id="c1-title">Ideas by &lt;theme&gt;</title>');
    expect(svg).toContain('<desc id="c1-desc">A &amp; B &quot;quoted&quot;</desc>');
  });

  it("escapes every label", () => {
    const evil = '<script>alert("x")</script>';
    const bar = barChart({ ...t, id: '"><script>' }, [{ label: evil, value: 2 }]).svg;
    const stacked = stackedBarChart(t, [evil], [{ name: evil, values: [1] }]).svg;
    for (const svg of [bar, stacked]) {
      expect(svg).not.toContain("<script");
      expect(svg).not.toContain('"><script');
    }
    expect(bar).toContain("&lt;script&gt;");
  });

  it("draws bars in proportion to their values, with the value written beside each", () => {
    const { svg } = barChart(t, [
      { label: "a", value: 10 },
      { label: "b", value: 5 },
      { label: "c", value: 0 },
    ]);
    const [a, b, c] = rects(svg);
    expect(a![2]).toBeGreaterThan(0);
    expect(b![2]).toBeCloseTo(a![2]! / 2, 0);
    expect(c![2]).toBe(0);
    expect(svg).toMatch(/>10<\/text>/);
    expect(svg).toMatch(/>5<\/text>/);
  });

  it("says when there is nothing to show", () => {
    expect(barChart(t, []).svg).toContain("No data in this period");
    expect(stackedBarChart(t, ["Jan"], []).svg).toContain("No data in this period");
  });

  it("stacks series per category, segment heights in proportion, total on top, legend per series", () => {
    const { svg } = stackedBarChart(t, ["Jan 2025", "Feb 2025"], [
      { name: "Group one", values: [2, 0] },
      { name: "Group two", values: [2, 4] },
    ]);
    const segments = rects(svg).filter((r) => r[3]! > 14 || r[2] !== 14); // legend swatches are 14x14
    const [jan1, jan2, feb2] = segments;
    expect(jan1![3]).toBeCloseTo(jan2![3]!, 5);
    expect(feb2![3]).toBeCloseTo(jan1![3]! * 2, 5);
    // Jan's two segments sit on top of each other, at the same x.
    expect(jan1![0]).toBe(jan2![0]);
    expect(jan2![1]! + jan2![3]!).toBeCloseTo(jan1![1]!, 5);
    expect(svg).toContain(`fill="${PALETTE[0]}"`);
    expect(svg).toContain(`fill="${PALETTE[1]}"`);
    expect(svg).toContain(">Group one</text>");
    expect(svg).toMatch(/>4<\/text>/);
  });
});

describe("SVG charts for narrow screens", () => {
  const t = { id: "c2", title: "Ideas by theme", desc: "Three themes" };
  const widths = (svg: string) => [...svg.matchAll(/<rect x="([\d.]+)%" y="[\d.]+" width="([\d.]+)%"/g)].map((m) => [Number(m[1]), Number(m[2])]);
  const fontSizes = (svg: string) => [...svg.matchAll(/font-size="(\d+)"/g)].map((m) => Number(m[1]));

  it("are drawn unscaled (no viewBox: a unit is a pixel), text at 14 px, with ids of their own", () => {
    for (const { narrow } of [barChart(t, [{ label: "x", value: 1 }]), stackedBarChart(t, ["Jan 2025"], [{ name: "Group", values: [1] }])]) {
      expect(narrow).toMatch(/^<svg class="app-chart-narrow" [^>]*width="100%" [^>]*role="img" aria-labelledby="c2-narrow-title c2-narrow-desc"/);
      expect(narrow).not.toContain("viewBox");
      expect(narrow).toContain('<title id="c2-narrow-title">Ideas by theme</title>');
      expect(Math.min(...fontSizes(narrow))).toBe(14);
    }
  });

  it("give each bar a share of the width, the largest the whole of it, the label and value on a line above", () => {
    const { narrow } = barChart(t, [{ label: "a long theme name that does not fit on a phone", value: 10 }, { label: "b", value: 5 }], { unit: "days" });
    expect(widths(narrow)).toEqual([[0, 100], [0, 50]]);
    expect(narrow).toContain(">a long theme name that do…</text>");
    expect(narrow).toContain('text-anchor="end" font-size="14" font-weight="bold" fill="#212b32">10 days</text>');
  });

  it("stack a category's series side by side in one row, with its total, and a legend", () => {
    const { narrow } = stackedBarChart(t, ["Jan 2025", "Feb 2025"], [{ name: "Group one", values: [2, 0] }, { name: "Group two", values: [2, 4] }]);
    expect(widths(narrow)).toEqual([[0, 50], [50, 50], [0, 100]]);
    expect(narrow).toContain(">Jan 2025</text>");
    expect(narrow).toContain(">Group two</text>");
    expect(barChart(t, []).narrow).toContain("No data in this period");
  });
});

describe("folding many series into 'Other'", () => {
  it("keeps the largest series, in their order, and sums the rest, so each colour is used once", () => {
    const series = Array.from({ length: 10 }, (_, i) => ({ name: `G${i}`, values: [i, 1] }));
    const folded = foldSeries(series, "Other groups", 4);
    expect(folded.map((s) => s.name)).toEqual(["G7", "G8", "G9", "Other groups"]);
    expect(folded[3]!.values).toEqual([0 + 1 + 2 + 3 + 4 + 5 + 6, 7]);
    expect(foldSeries(series.slice(0, 3), "Other", 4)).toHaveLength(3);
  });
});

describe("the report's date range", () => {
  it("defaults to the last 12 months: the day after this date a year ago, up to today (London)", () => {
    const r = defaultRange(new Date("2026-03-29T23:30:00Z")); // 30 March 00:30 in London (summer time)
    expect(r.from).toEqual({ year: 2025, month: 3, day: 31 });
    expect(r.to).toEqual({ year: 2026, month: 3, day: 30 });
    expect(r.start.toISOString()).toBe("2025-03-30T23:00:00.000Z");
    expect(r.endExclusive.toISOString()).toBe("2026-03-30T23:00:00.000Z");
    // 365 days (366 across a 29 February).
    expect((r.endExclusive.getTime() - r.start.getTime()) / 864e5).toBe(365);
    expect(monthLabel(monthsOf(r)[0]!)).toBe("Mar 2025");
    expect(defaultRange(new Date("2028-03-01T12:00:00Z")).from).toEqual({ year: 2027, month: 3, day: 2 });
    expect(defaultRange(new Date("2028-02-29T12:00:00Z")).from).toEqual({ year: 2027, month: 3, day: 1 });
  });

  it("moves on to the next day at London midnight, one call after another (summer and winter)", () => {
    // Summer: London midnight is 23:00 UTC.
    expect(defaultRange(new Date("2026-06-30T22:59:59Z")).to).toEqual({ year: 2026, month: 6, day: 30 });
    expect(defaultRange(new Date("2026-06-30T23:00:00Z")).to).toEqual({ year: 2026, month: 7, day: 1 });
    expect(defaultRange(new Date("2026-06-30T23:00:00Z")).from).toEqual({ year: 2025, month: 7, day: 2 });
    // Winter: London midnight is 00:00 UTC.
    expect(defaultRange(new Date("2026-12-31T23:59:59Z")).to).toEqual({ year: 2026, month: 12, day: 31 });
    expect(defaultRange(new Date("2027-01-01T00:00:00Z")).to).toEqual({ year: 2027, month: 1, day: 1 });
    expect(defaultRange(new Date("2026-12-31T23:30:00Z")).to).toEqual({ year: 2026, month: 12, day: 31 });
  });

  it("reads a good range, inclusive of the end day", () => {
    const { range, errors } = parseRange({ "from[day]": "1", "from[month]": "1", "from[year]": "2025", "to[day]": "31", "to[month]": "12", "to[year]": "2025" });
    expect(errors).toEqual({});
    expect(range.start.toISOString()).toBe("2025-01-01T00:00:00.000Z");
    expect(range.endExclusive.toISOString()).toBe("2026-01-01T00:00:00.000Z");
    expect(rangeQuery(range)).toBe("from%5Bday%5D=1&to%5Bday%5D=31&from%5Bmonth%5D=1&to%5Bmonth%5D=12&from%5Byear%5D=2025&to%5Byear%5D=2025");
  });

  it("refuses reversed, unreal and too long ranges, keeping the input and falling back to the default", () => {
    const now = new Date("2026-11-26T12:00:00Z");
    const reversed = parseRange({ "from[day]": "2", "from[month]": "1", "from[year]": "2025", "to[day]": "1", "to[month]": "1", "to[year]": "2025" }, now);
    expect(reversed.errors).toEqual({ to: "End date must be the same as or after the start date" });
    expect(reversed.range).toEqual(defaultRange(now));
    expect(reversed.values.from.day).toBe("2");
    const unreal = parseRange({ "from[day]": "30", "from[month]": "2", "from[year]": "2025", "to[day]": "x", "to[month]": "1", "to[year]": "2026" }, now);
    expect(unreal.errors).toEqual({ from: "Start date must be a real date", to: "End date must be a real date" });
    const long = parseRange({ "from[day]": "1", "from[month]": "1", "from[year]": "2020", "to[day]": "1", "to[month]": "1", "to[year]": "2025" }, now);
    expect(long.errors).toEqual({ from: "The date range must be 5 years or shorter" });
    const ok = parseRange({ "from[day]": "1", "from[month]": "1", "from[year]": "2020", "to[day]": "31", "to[month]": "12", "to[year]": "2024" }, now);
    expect(ok.errors).toEqual({});
    // Arrays (from[day]=1&from[day]=2) are not strings: treated as missing, never a crash.
    const odd = parseRange({ "from[day]": ["1", "2"], "to[day]": "1", "to[month]": "1", "to[year]": "2025" }, now);
    expect(odd.errors.from).toBeDefined();
  });
});

describe("Closing the loop: each verdict has its own colour, in the chart and its legend", () => {
  const labels = { ANSWERS: "This answers what we said", PARTLY: "Partly", NOT_YET: "Not yet, still a problem", NO_LONGER_MATTERS: "No longer matters to us", NOT_DISCUSSED: "Not discussed" };
  const row = (name: string, c: [number, number, number, number]) => {
    const counts = { ANSWERS: c[0], PARTLY: c[1], NOT_YET: c[2], NO_LONGER_MATTERS: c[3] };
    const total = c.reduce((s, n) => s + n, 0);
    return { id: name, name, counts, total, shares: { ANSWERS: c[0] / total, PARTLY: c[1] / total, NOT_YET: c[2] / total, NO_LONGER_MATTERS: c[3] / total } };
  };
  const loop = { overall: row("All", [1, 1, 3, 1]), byGroup: [row("Only not yet", [0, 0, 2, 0]), row("Mixed", [1, 1, 1, 1])], byTheme: [], medianDaysToAnswered: null, answeredCount: 1, labels };
  const contrast = (hex: string) => {
    const lin = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((x) => (x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4));
    return 1.05 / (0.2126 * lin[0]! + 0.7152 * lin[1]! + 0.0722 * lin[2]! + 0.05);
  };

  it("answers green, partly blue, not yet dark red, no longer matters grey; legend and bars agree; each at least 3:1 against white", () => {
    expect(VERDICT_COLOURS).toEqual({ ANSWERS: "#007f3b", PARTLY: "#005eb8", NOT_YET: "#8a1538", NO_LONGER_MATTERS: "#768692" });
    for (const c of Object.values(VERDICT_COLOURS)) expect(contrast(c)).toBeGreaterThanOrEqual(3);
    const { loopChart } = loopView(loop, null);
    for (const drawing of [loopChart.svg, loopChart.narrow]) {
      // The legend: each label follows a swatch of its kind's colour.
      for (const [kind, label] of Object.entries(labels).filter(([k]) => k !== "NOT_DISCUSSED")) {
        const swatch = drawing.match(new RegExp(`fill="(#[0-9a-f]{6})"/><text[^>]*>${label}</text>`));
        expect(swatch?.[1], label).toBe(VERDICT_COLOURS[kind as keyof typeof VERDICT_COLOURS]);
      }
    }
    // The group with only "not yet" verdicts: its one bar is dark red, never green.
    const column = loopChart.svg.split('<g class="app-chart__column">')[1]!;
    expect(column.match(/<rect [^>]*fill="(#[0-9a-f]{6})"/g)!.map((r) => r.match(/fill="([^"]+)"/)![1])).toEqual(["#8a1538"]);
  });
});
