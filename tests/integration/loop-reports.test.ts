// "Closing the loop" in the reports (issue 18): the figures on known data, the
// reports page, the CQC evidence report and the verdicts CSV.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, signInAs, type Agent, type TestContext } from "../helpers/app.js";
import { createPracticeWithStaff, type PracticeFixture } from "../helpers/fixtures.js";
import { RANGE_2025 } from "../helpers/reports.js";
import { makeGroup, makeSession } from "../helpers/sessions.js";
import { loopFigures } from "../../src/features/report-back/figures.js";
import { reportFor, reportWithLoop } from "../../src/features/reports/service.js";
import { rangeOf } from "../../src/features/reports/range.js";
import type { VerdictKind } from "../../src/generated/prisma/enums.js";

let ctx: TestContext;
let a: PracticeFixture;
let manager: Agent;
const YEAR_2025 = { start: new Date("2025-01-01T00:00:00Z"), endExclusive: new Date("2026-01-01T00:00:00Z") };

beforeAll(async () => {
  ctx = await createTestContext();
  a = await createPracticeWithStaff(ctx.prisma, "Loop A");
  const b = await createPracticeWithStaff(ctx.prisma, "Loop B");
  const prisma = ctx.prisma;
  async function seed(f: PracticeFixture, spec: { group: string; theme: number; verdicts: [VerdictKind, string, string?][] }[]) {
    const p = f.practice.id;
    const themes = await prisma.theme.findMany({ where: { practiceId: p }, orderBy: { position: "asc" } });
    const groups = new Map<string, string>();
    for (const s of spec) {
      if (!groups.has(s.group)) groups.set(s.group, (await makeGroup(prisma, p, { name: s.group })).id);
      const groupId = groups.get(s.group)!;
      // The idea's session ends on 10 January 2025 at noon.
      const origin = await makeSession(prisma, p, groupId, { startsAt: new Date("2025-01-10T10:00:00Z"), endsAt: new Date("2025-01-10T12:00:00Z"), status: "HELD" });
      const idea = await prisma.idea.create({
        data: { practiceId: p, sessionId: origin.id, groupId, themeId: themes[s.theme]!.id, text: `Idea of ${s.group}`, consent: "PUBLIC", dueAt: new Date("2025-02-07T12:00:00Z"), createdAt: new Date("2025-01-10T13:00:00Z") },
      });
      for (const [kind, at, words] of s.verdicts) {
        const later = await makeSession(prisma, p, groupId, { startsAt: new Date(at), status: "HELD" });
        await prisma.verdict.create({ data: { practiceId: p, ideaId: idea.id, sessionId: later.id, groupId, kind, words: words ?? "", saidAt: later.startsAt, createdAt: new Date(at) } });
      }
    }
  }
  await seed(a, [
    { group: "Group one", theme: 0, verdicts: [["ANSWERS", "2025-02-09T12:00:00Z", "Yes, the letters are clearer"]] }, // 30 days
    { group: "Group one", theme: 0, verdicts: [["PARTLY", "2025-02-09T12:00:00Z"], ["ANSWERS", "2025-03-11T12:00:00Z"]] }, // latest ANSWERS; 60 days
    { group: "Group one", theme: 1, verdicts: [["NOT_YET", "2025-02-09T12:00:00Z", "=HYPERLINK(\"http://evil.example\")"]] },
    { group: "Group two", theme: 1, verdicts: [["NO_LONGER_MATTERS", "2025-04-01T12:00:00Z"]] },
    { group: "Group two", theme: 1, verdicts: [["NOT_DISCUSSED", "2025-04-01T12:00:00Z"]] },
    { group: "Group two", theme: 0, verdicts: [["ANSWERS", "2026-02-01T12:00:00Z"]] }, // outside the range
  ]);
  await seed(b, [{ group: "Practice B group", theme: 0, verdicts: [["NOT_YET", "2025-02-09T12:00:00Z"]] }]);
  manager = (await signInAs(ctx.app, a.manager.email, a.manager.password)).agent;
});
afterAll(() => ctx?.close());

describe("the figures' statements through the pg pool (what /reports runs)", () => {
  it("return exactly what the Prisma client returns", async () => {
    const now = new Date("2025-06-01T12:00:00Z");
    const ranges = [YEAR_2025, { start: new Date("2024-01-01T00:00:00Z"), endExclusive: new Date("2025-01-01T00:00:00Z") }];
    for (const range of ranges) expect(await loopFigures(ctx.db.pool, a.practice.id, range)).toStrictEqual(await loopFigures(ctx.prisma, a.practice.id, range));
    const year = (y: number) => rangeOf({ year: y, month: 1, day: 1 }, { year: y, month: 12, day: 31 });
    const FEBRUARY_9_2025 = rangeOf({ year: 2025, month: 2, day: 9 }, { year: 2025, month: 2, day: 9 });
    for (const range of [year(2025), year(2024), FEBRUARY_9_2025]) {
      const viaPool = await reportFor(ctx.db.pool, a.practice.id, range, now);
      expect(viaPool, JSON.stringify(range)).toStrictEqual(await reportFor(ctx.prisma, a.practice.id, range, now));
    }
    // /reports reads both in one statement: the same figures as the two functions.
    for (const range of [year(2025), year(2024), FEBRUARY_9_2025]) {
      const both = await reportWithLoop(ctx.db.pool, a.practice.id, range, now);
      expect(both, JSON.stringify(range)).toStrictEqual({ report: await reportFor(ctx.prisma, a.practice.id, range, now), loop: await loopFigures(ctx.prisma, a.practice.id, range) });
    }
    const filled = await reportFor(ctx.db.pool, a.practice.id, year(2025), now);
    expect(filled.sessions.length).toBeGreaterThan(0);
    expect(filled.overdue.items.length).toBeGreaterThan(0);
    expect(filled.deadline.total).toBeGreaterThan(0);
  });
});

describe("closing the loop", () => {
  it("counts each idea once by its latest verdict in the period, per group and theme, with the median time to an answer", async () => {
    const f = await loopFigures(ctx.prisma, a.practice.id, YEAR_2025);
    expect(f.overall.counts).toEqual({ ANSWERS: 2, PARTLY: 0, NOT_YET: 1, NO_LONGER_MATTERS: 1 });
    expect(f.overall.total).toBe(4);
    expect(f.overall.shares).toEqual({ ANSWERS: 0.5, PARTLY: 0, NOT_YET: 0.25, NO_LONGER_MATTERS: 0.25 });
    expect(f.byGroup.map((g) => [g.name, g.counts, g.total])).toEqual([
      ["Group one", { ANSWERS: 2, PARTLY: 0, NOT_YET: 1, NO_LONGER_MATTERS: 0 }, 3],
      ["Group two", { ANSWERS: 0, PARTLY: 0, NOT_YET: 0, NO_LONGER_MATTERS: 1 }, 1],
    ]);
    const themes = await ctx.prisma.theme.findMany({ where: { practiceId: a.practice.id }, orderBy: { position: "asc" } });
    expect(f.byTheme.map((t) => [t.name, t.counts, t.total]).sort()).toEqual([
      [themes[0]!.name, { ANSWERS: 2, PARTLY: 0, NOT_YET: 0, NO_LONGER_MATTERS: 0 }, 2],
      [themes[1]!.name, { ANSWERS: 0, PARTLY: 0, NOT_YET: 1, NO_LONGER_MATTERS: 1 }, 2],
    ].sort());
    expect(f.medianDaysToAnswered).toBeCloseTo(45, 5);
    expect(f.answeredCount).toBe(2);
    // A period with nothing: no shares, no median.
    const empty = await loopFigures(ctx.prisma, a.practice.id, { start: new Date("2024-01-01T00:00:00Z"), endExclusive: new Date("2025-01-01T00:00:00Z") });
    expect(empty.overall.total).toBe(0);
    expect(empty.overall.shares.ANSWERS).toBeNull();
    expect(empty.medianDaysToAnswered).toBeNull();
  });

  it("is on the reports page as a chart with tables, and in the evidence report", async () => {
    const page = await manager.get(`/reports?${RANGE_2025}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('id="closing-the-loop"');
    expect(page.text).toContain('id="chart-loop-title"');
    expect(page.text).toMatch(/<strong>50%<\/strong> answered what they said/);
    expect(page.text).toContain("45 days");
    expect(page.text).toContain("2 (67%)"); // Group one: 2 of 3 answered
    // Six columns: stacked on a phone (320 px) rather than widening the page.
    expect(page.text).toMatch(/<table class="nhsuk-table-responsive">\s*<caption class="nhsuk-table__caption nhsuk-table__caption--s">By group<\/caption>/);
    expect(page.text).not.toContain("Practice B group");
    const evidence = await manager.get(`/reports/evidence?${RANGE_2025}`);
    expect(evidence.status).toBe(200);
    expect(evidence.text).toContain("Closing the loop");
    expect(evidence.text).toMatch(/<strong>50%<\/strong> answered what they said/);
  });

  it("exports every verdict of the period as CSV, formulas neutralised", async () => {
    const res = await manager.get(`/reports/verdicts.csv?${RANGE_2025}`).buffer(true).parse((r, cb) => {
      let s = "";
      r.on("data", (c: Buffer) => (s += c.toString("utf8")));
      r.on("end", () => cb(null, s));
    });
    expect(res.status).toBe(200);
    const text = res.body as string;
    const lines = text.trim().split(/\r?\n/);
    expect(lines[0]).toContain('"Verdict ID","Idea ID","Idea","Group","Theme","Consent","Session","Said at","Verdict","The group\'s words"');
    expect(lines).toHaveLength(1 + 6);
    expect(text).toContain("This answers what we said");
    expect(text).toContain("Yes, the letters are clearer");
    expect(text).not.toMatch(/(^|,)"?=HYPERLINK/m);
    expect(text).not.toContain("Practice B group");
  });
});
