import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signInAs, type Agent } from "../helpers/app.js";
import { addBulk, AWKWARD_TEXT, createCountingContext, FORMULA_TEXT, RANGE_2025, seedPractice, type SeededPractice } from "../helpers/reports.js";
import { deadlineFigures, evidenceFor, ideasByStatus, ideasByTheme, overdueIdeas, sessionsByGroupAndMonth } from "../../src/features/reports/service.js";
import { ideasExport } from "../../src/features/reports/exports.js";
import { rangeOf } from "../../src/features/reports/range.js";

let ctx: Awaited<ReturnType<typeof createCountingContext>>;
let a: SeededPractice;
let b: SeededPractice;
let manager: Agent;
const year2025 = rangeOf({ year: 2025, month: 1, day: 1 }, { year: 2025, month: 12, day: 31 });

beforeAll(async () => {
  ctx = await createCountingContext();
  a = await seedPractice(ctx.prisma, "Practice A");
  // Practice B has the same shape of data in the same period: none of it may be counted for A.
  b = await seedPractice(ctx.prisma, "Practice B");
  manager = (await signInAs(ctx.app, a.manager.email, a.manager.password)).agent;
});
afterAll(() => ctx?.close());

function csvRows(body: Buffer | string): Record<string, string>[] {
  return parse(body, { columns: true, bom: true, skip_empty_lines: true });
}

describe("report figures (counted in the database, scoped to the practice)", () => {
  it("counts held sessions per group and London month, with attendance totals", async () => {
    const cells = await sessionsByGroupAndMonth(ctx.prisma, a.practice.id, year2025);
    expect(cells.map(({ groupName, month, sessions, attendance, partnerName }) => ({ groupName, month, sessions, attendance, partnerName }))).toEqual([
      { groupName: "Recovery café", month: "2025-03", sessions: 1, attendance: 7, partnerName: "Recovery Café Trust" },
      { groupName: "Recovery café", month: "2025-07", sessions: 2, attendance: 10, partnerName: "Recovery Café Trust" },
      { groupName: "Refugee women's group", month: "2025-01", sessions: 2, attendance: 20, partnerName: "Women's Network, Leeds" },
      { groupName: "Refugee women's group", month: "2025-03", sessions: 1, attendance: 5, partnerName: "Women's Network, Leeds" },
    ]);
  });

  it("counts ideas by theme and by status", async () => {
    const themes = await ideasByTheme(ctx.prisma, a.practice.id, year2025);
    expect(themes.map((t) => [t.name, t.count])).toEqual([
      ["Access and appointments", 3],
      ["Communication and information", 2],
      ["Reception and environment", 1],
    ]);
    const statuses = await ideasByStatus(ctx.prisma, a.practice.id, year2025);
    expect(Object.fromEntries(statuses.map((s) => [s.status, s.count]))).toEqual({
      RECEIVED: 2, UNDER_CONSIDERATION: 0, PLANNED: 0, IN_PROGRESS: 1, DONE: 2, NOT_POSSIBLE: 1,
    });
  });

  it("computes the deadline share (answered at or before dueAt, of ideas answered or past due) and both medians", async () => {
    const d = await deadlineFigures(ctx.prisma, a.practice.id, year2025, new Date());
    expect(d).toMatchObject({ total: 6, counted: 5, onTime: 3, late: 1, unansweredPastDue: 1, notYetDue: 1, answeredCount: 4, doneCount: 2 });
    expect(d.share).toBeCloseTo(0.6, 10);
    // First responses at 3, 5, 28 and 30 days after the session ended: median 16.5. Done at 10 and 40: median 25.
    expect(d.medianDaysToFirstResponse).toBeCloseTo(16.5, 6);
    expect(d.medianDaysToDone).toBeCloseTo(25, 6);
  });

  it("lists overdue ideas oldest first, whatever the range", async () => {
    const o = await overdueIdeas(ctx.prisma, a.practice.id, new Date());
    expect(o.count).toBe(2);
    expect(o.items.map((i) => i.id)).toEqual([a.ideas.i7, a.ideas.i4]);
  });

  it("shows the same figures on /reports for the chosen range", async () => {
    const res = await manager.get(`/reports?${RANGE_2025}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain("1 January 2025 to 31 December 2025");
    expect(res.text).toMatch(/<strong>6<\/strong> sessions held with 2 groups, with <strong>42<\/strong> attendances/);
    expect(res.text).toMatch(/<strong>60%<\/strong> of ideas were answered within the deadline \(3 of 5\)/);
    expect(res.text).toContain("16.5 days");
    expect(res.text).toContain("25.0 days");
    expect(res.text).toMatch(/<strong>2<\/strong> ideas are overdue/);
    // Each chart is an accessible SVG, labelled by its title and description.
    const svgs = res.text.match(/<svg class="app-chart"[^>]*>/g) ?? [];
    expect(svgs.length).toBe(6);
    for (const s of svgs) expect(s).toMatch(/role="img" aria-labelledby="chart-[a-z]+-title chart-[a-z]+-desc"/);
    // The idea text is escaped, and nothing of practice B's appears.
    expect(res.text).not.toContain(b.practice.name);
    expect(res.text.indexOf(a.ideas.i7)).toBeLessThan(res.text.indexOf(a.ideas.i4));
    expect(res.text).not.toContain(b.ideas.i4);
  });

  it("defaults to the last 12 months", async () => {
    const res = await manager.get("/reports");
    expect(res.status).toBe(200);
    expect(res.text).toContain("Showing the last 12 months");
  });
});

describe("bad date ranges", () => {
  const q = (from: [string, string, string], to: [string, string, string]) =>
    `from%5Bday%5D=${from[0]}&from%5Bmonth%5D=${from[1]}&from%5Byear%5D=${from[2]}&to%5Bday%5D=${to[0]}&to%5Bmonth%5D=${to[1]}&to%5Byear%5D=${to[2]}`;
  const cases: [string, string, string, string][] = [
    ["reversed", q(["1", "6", "2025"], ["1", "1", "2025"]), "End date must be the same as or after the start date", "#to-day"],
    ["not a real date", q(["31", "2", "2025"], ["1", "3", "2025"]), "Start date must be a real date", "#from-day"],
    ["missing a part", q(["1", "", "2025"], ["1", "3", "2025"]), "Start date must include a month", "#from-day"],
    ["longer than 5 years", q(["1", "1", "2019"], ["1", "1", "2025"]), "The date range must be 5 years or shorter", "#from-day"],
  ];
  for (const [name, query, message, href] of cases) {
    it(`${name}: a message in the error summary, the input kept, the default range shown`, async () => {
      const res = await manager.get(`/reports?${query}`);
      expect(res.status).toBe(400);
      expect(res.text).toContain("There is a problem");
      expect(res.text).toContain(`<a href="${href}">${message.replace(/'/g, "&#39;")}</a>`);
      expect(res.text).toMatch(/<title>Error: /);
      expect(res.text).toContain("the reports below show the last 12 months");
      for (const csv of ["ideas", "sessions", "responses"]) {
        const exp = await manager.get(`/reports/${csv}.csv?${query}`);
        expect(exp.status).toBe(400);
        expect(exp.text).toContain(message);
      }
    });
  }
  it("exactly 5 years less a day is allowed", async () => {
    const res = await manager.get(`/reports?${q(["1", "1", "2020"], ["31", "12", "2024"])}`);
    expect(res.status).toBe(200);
  });
});

describe("CSV exports", () => {
  it("ideas.csv round-trips through a CSV parser with the same values, the latest response, and formulas neutralised", async () => {
    const res = await manager.get(`/reports/ideas.csv?${RANGE_2025}`).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on("data", (c: Buffer) => chunks.push(c));
      r.on("end", () => cb(null, Buffer.concat(chunks)));
    });
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(res.headers["content-disposition"]).toBe('attachment; filename="ideas-2025-01-01-to-2025-12-31.csv"');
    const body = res.body as Buffer;
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = csvRows(body);
    expect(rows).toHaveLength(6);
    const byId = new Map(rows.map((r) => [r["Idea ID"], r]));
    const i1 = byId.get(a.ideas.i1)!;
    expect(i1["Idea (participants' words)"]).toBe(AWKWARD_TEXT);
    expect(i1["Group"]).toBe("Refugee women's group");
    expect(i1["Theme"]).toBe("Access and appointments");
    expect(i1["Status"]).toBe("Done");
    expect(i1["Consent to share"]).toBe("Public");
    expect(i1["Answered within deadline"]).toBe("yes");
    expect(i1["Latest response status"]).toBe("Done");
    expect(i1["Latest response"]).toBe('Done: new signs, in 5 languages — «Ελληνικά», "العربية"\nSee the board.');
    expect(i1["Latest response by"]).toBe("Practice manager");
    expect(i1["First response"]).toBe("2025-01-18 12:00");
    // Formula injection: each cell a spreadsheet would run is prefixed with a quote.
    expect(byId.get(a.ideas.i2)!["Idea (participants' words)"]).toBe(`'${FORMULA_TEXT}`);
    expect(byId.get(a.ideas.i2)!["Latest response"]).toBe("Internal note, not public");
    expect(byId.get(a.ideas.i3)!["Idea (participants' words)"]).toBe("'-5 fewer phone menus");
    expect(byId.get(a.ideas.i3)!["Answered within deadline"]).toBe("no");
    expect(byId.get(a.ideas.i4)!["Idea (participants' words)"]).toBe("'@reception please smile");
    expect(byId.get(a.ideas.i4)!["Overdue"]).toBe("yes");
    expect(byId.get(a.ideas.i5)!["Idea (participants' words)"]).toBe("'+ more interpreters");
    expect(byId.get(a.ideas.i6)!["Idea (participants' words)"]).toBe("'\tA tab first");
    expect(byId.get(a.ideas.i6)!["Answered within deadline"]).toBe("yes");
    // Nothing of practice B's, nothing outside the range.
    expect(byId.has(b.ideas.i1)).toBe(false);
    expect(byId.has(a.ideas.i7)).toBe(false);
  });

  it("sessions.csv has the sessions in the range, without reflections or staff names", async () => {
    const res = await manager.get(`/reports/sessions.csv?${RANGE_2025}`);
    expect(res.status).toBe(200);
    expect(res.headers["content-disposition"]).toBe('attachment; filename="sessions-2025-01-01-to-2025-12-31.csv"');
    const rows = csvRows(res.text);
    // Every status: the 6 held sessions starting in 2025 (London) and the scheduled one.
    expect(rows).toHaveLength(7);
    expect(rows.map((r) => r["Starts"])).toEqual([
      "2025-01-15 10:00", "2025-01-29 10:00", "2025-03-10 10:00", "2025-03-20 18:00", "2025-05-05 19:00", "2025-07-01 00:30", "2025-07-05 19:00",
    ]);
    expect(rows[0]!["Attendance"]).toBe("12");
    expect(rows[0]!["Partner organisation"]).toBe("Women's Network, Leeds");
    expect(rows[0]!["Checklist: safety"]).toBe("Quiet room, exits shown");
    expect(rows[4]!["Status"]).toBe("Scheduled");
    expect(rows[6]!["Attendance"]).toBe("");
    expect(res.text).not.toContain("PRIVATE-REFLECTION");
    expect(res.text).not.toContain("PROCESS-REFLECTION");
    expect(res.text).not.toContain(a.facilitator.email);
  });

  it("counts only a final outcome's attendance: a draft outcome is not in sessions.csv or the evidence report", async () => {
    // The held session of 5 July 2025 has no outcome yet; a facilitator has started one as a draft.
    const held = await ctx.prisma.communitySession.findFirstOrThrow({ where: { practiceId: a.practice.id, startsAt: new Date("2025-07-05T18:00:00Z") } });
    const draft = await ctx.prisma.sessionOutcome.create({
      data: { practiceId: a.practice.id, sessionId: held.id, attendanceCount: 33, themesDiscussed: "DRAFT-THEMES", isDraft: true },
    });
    try {
      const rows = csvRows((await manager.get(`/reports/sessions.csv?${RANGE_2025}`)).text);
      const row = rows.find((r) => r["Session ID"] === held.id)!;
      expect([row["Attendance"], row["Themes discussed"]]).toEqual(["", ""]);
      expect(rows.find((r) => r["Session ID"] === a.s1.id)!["Attendance"]).toBe("12");
      const evidence = await evidenceFor(ctx.prisma, a.practice.id, year2025, new Date());
      expect(evidence.sessionsHeld.find((s) => s.id === held.id)!.outcome).toBeNull();
      expect(evidence.sessionsHeld.find((s) => s.id === a.s1.id)!.outcome?.attendanceCount).toBe(12);
      const page = await manager.get(`/reports/evidence?${RANGE_2025}`);
      expect(page.text).not.toContain(">33<");
    } finally {
      await ctx.prisma.sessionOutcome.delete({ where: { id: draft.id } });
    }
  });

  it("responses.csv has the full timeline, private and public, by role only", async () => {
    const res = await manager.get(`/reports/responses.csv?${RANGE_2025}`);
    expect(res.status).toBe(200);
    const rows = csvRows(res.text);
    expect(rows).toHaveLength(6);
    expect(rows.map((r) => r["Response"])).toEqual([
      'We are looking at this, "carefully".', "'=1+2 started", "Internal note, not public", 'Done: new signs, in 5 languages — «Ελληνικά», "العربية"\nSee the board.',
      "Not possible because of the building lease", "Menu shortened",
    ]);
    expect(rows[2]!["Public"]).toBe("no");
    expect(rows[0]!["By"]).toBe("Practice manager");
    expect(rows[0]!["Idea"]).toBe(AWKWARD_TEXT);
    expect(res.text).not.toContain(a.manager.email);
  });

  it("reads in keyset batches: every row once, in order, even when timestamps tie", async () => {
    const exp = ideasExport(ctx.prisma, a.practice.id, year2025, new Date(), 2);
    const ids: string[] = [];
    for await (const row of exp.rows) ids.push(String(row[0]));
    expect(ids).toHaveLength(6);
    expect(new Set(ids).size).toBe(6);
    expect(ids).toEqual([...ids].sort());
  });
});

describe("the evidence report", () => {
  it("has the groups, sessions, checklist coverage, highlights (done first) and outstanding items", async () => {
    const e = await evidenceFor(ctx.prisma, a.practice.id, year2025, new Date());
    expect(e.sessionsHeldCount).toBe(6);
    expect(e.attendanceTotal).toBe(42);
    expect(e.groups.map((g) => [g.name, g.partnerName, g.sessions, g.attendance])).toEqual([
      ["Recovery café", "Recovery Café Trust", 3, 17],
      ["Refugee women's group", "Women's Network, Leeds", 3, 25],
    ]);
    expect(e.checklist.held).toBe(6);
    expect(Object.fromEntries(e.checklist.principles.map((p) => [p.key, p.count]))).toEqual({ safety: 2, trust: 1, choice: 0, collaboration: 0, empowerment: 0, culture: 2 });
    expect(e.highlights.map((h) => [h.id, h.responseText])).toEqual([
      [a.ideas.i1, 'Done: new signs, in 5 languages — «Ελληνικά», "العربية"\nSee the board.'],
      [a.ideas.i2, "=1+2 started"],
    ]);
    expect(e.openCount).toBe(3);
    expect(e.overdueCount).toBe(1);
    expect(e.overdue.map((i) => i.id)).toEqual([a.ideas.i4]);

    const res = await manager.get(`/reports/evidence?${RANGE_2025}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain("Engagement evidence report");
    expect(res.text).toContain("1 January 2025 to 31 December 2025");
    expect(res.text).toContain("Women&#39;s Network, Leeds");
    expect(res.text).toContain("Cultural consideration");
    // A practice-only idea's words never leave the practice, even in the printed report.
    expect(res.text).not.toContain("@reception please smile");
    expect(res.text).toContain("Not shown: the group did not consent");
    expect(res.text).not.toContain(b.practice.name);
  });
});

describe("access", () => {
  it("refuses VIEWER and FACILITATOR on every report route", async () => {
    for (const who of [a.viewer, a.facilitator]) {
      const { agent } = await signInAs(ctx.app, who.email, who.password);
      for (const path of ["/reports", "/reports/evidence", "/reports/ideas.csv", "/reports/sessions.csv", "/reports/responses.csv"]) {
        const res = await agent.get(`${path}?${RANGE_2025}`);
        expect(res.status, `${who.role} ${path}`).toBe(403);
        expect(res.headers["content-disposition"]).toBeUndefined();
      }
    }
  });
});

describe("query count", () => {
  it("does not grow with the data", async () => {
    // What a page costs when it is built (not served from the staff page cache):
    // any change to the practice's data makes the next request build it again.
    const count = async (path: string) => {
      await manager.get(path); // warm up
      await ctx.prisma.$executeRaw`update "Practice" set name = name where id = ${a.practice.id}::uuid`;
      const before = ctx.queries.count;
      const res = await manager.get(path);
      expect(res.status).toBe(200);
      return ctx.queries.count - before;
    };
    const reportsBefore = await count(`/reports?${RANGE_2025}`);
    const evidenceBefore = await count(`/reports/evidence?${RANGE_2025}`);
    await addBulk(ctx.prisma, a, 30, 8);
    const reportsAfter = await count(`/reports?${RANGE_2025}`);
    const evidenceAfter = await count(`/reports/evidence?${RANGE_2025}`);
    // Built, not served from the cache (a cache hit runs no Prisma query): /reports is one statement.
    expect(reportsBefore).toBeGreaterThan(0);
    expect(reportsAfter).toBe(reportsBefore);
    expect(evidenceAfter).toBe(evidenceBefore);
    expect(reportsAfter).toBeLessThanOrEqual(12);
    expect(evidenceAfter).toBeLessThanOrEqual(18);
  }, 120_000);
});
