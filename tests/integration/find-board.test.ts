// "Find your practice's board" (/boards?q=): by name, town or ODS code; bad
// input is harmless; one bounded statement a page, through the search index.
import { beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createPractice } from "../../src/features/practices/service.js";
import { FIND_PAGE_SIZE, searchTerms } from "../../src/features/public/find.js";
import { withPractice } from "../helpers/with-practice.js";

const { ctx } = withPractice({ context: { onQuery: (sql) => queries.push(sql) }, practices: [] });
const queries: string[] = [];

beforeAll(async () => {
  await createPractice(ctx.prisma, { name: "Riverside Health Centre", odsCode: "X99001", slug: "riverside", address: "1 River Street, Exampleton" });
  await createPractice(ctx.prisma, { name: "St Mary's Surgery", odsCode: "Y20002", slug: "st-marys", address: "Church Road, Kettering" });
  for (let i = 1; i <= 23; i++) {
    await createPractice(ctx.prisma, { name: `Valley Practice ${String(i).padStart(2, "0")}`, odsCode: `V${30000 + i}`, slug: `valley-${i}`, address: "High Street, Dalesford" });
  }
});

const get = (url: string) => request(ctx.app).get(url);
const names = (html: string) => [...html.matchAll(/class="nhsuk-link app-find-results__link"[^>]*><span dir="auto">([^<]+)</g)].map((m) => m[1]!);

describe("searchTerms", () => {
  it.each([
    ["river health", "river:* & health:*"],
    ["  X99001 ", "x99001:*"],
    ["St Mary's", "st:* & mary:* & s:*"],
    ["a & b | !c:* (d)", "a:* & b:* & c:* & d:*"],
    ["'; drop table \"Practice\"; --", "drop:* & table:* & practice:*"],
    ["Київ", "київ:*"],
    ["one two three four five six seven", "one:* & two:* & three:* & four:* & five:* & six:*"],
    ["!!!", null],
    ["", null],
  ])("%j -> %j", (input, expected) => expect(searchTerms(input)).toBe(expected));
});

describe("/boards", () => {
  it("finds by the start of words of the name, the town or the ODS code, in any case", async () => {
    for (const [q, expected] of [
      ["river", ["Riverside Health Centre"]],
      ["RIVERSIDE health", ["Riverside Health Centre"]],
      ["exampleton", ["Riverside Health Centre"]],
      ["x99001", ["Riverside Health Centre"]],
      ["st mary's", ["St Mary's Surgery"]],
      ["kettering", ["St Mary's Surgery"]],
      ["health kettering", []],
    ] as const) {
      const res = await get(`/boards?q=${encodeURIComponent(q)}`);
      expect(res.status, q).toBe(200);
      expect(names(res.text).map((n) => n.replace(/&#39;/g, "'")), q).toEqual(expected);
    }
  });

  it("shows the form alone without a query, and plain advice when nothing matches", async () => {
    const empty = await get("/boards");
    expect(empty.status).toBe(200);
    expect(empty.text).toContain('action="/boards"');
    expect(empty.text).not.toContain("noindex");
    const none = await get("/boards?q=nowhere");
    expect(none.text).toContain("No practice matches &#34;nowhere&#34;.");
    expect(none.text).toContain('<meta name="robots" content="noindex, nofollow">');
  });

  it("pages the results, 10 at a time, with one statement a page whatever the number of practices", async () => {
    queries.length = 0;
    const first = await get("/boards?q=dalesford");
    expect(first.text).toContain("23 practices found");
    expect(names(first.text)).toHaveLength(FIND_PAGE_SIZE);
    expect(first.text).toContain('href="/boards?q=dalesford&amp;page=2"');
    expect(queries.length).toBe(1);
    expect(queries[0]).toContain("to_tsvector('simple', p.\"name\" || ' ' || p.\"address\" || ' ' || p.\"odsCode\")");
    const third = await get("/boards?q=dalesford&page=3");
    expect(names(third.text)).toEqual(["Valley Practice 21", "Valley Practice 22", "Valley Practice 23"]);
    // Past the end: the last page.
    const past = await get("/boards?q=dalesford&page=99");
    expect(names(past.text)).toEqual(["Valley Practice 21", "Valley Practice 22", "Valley Practice 23"]);
  });

  it("never fails on odd input: query syntax, repeated or bracketed parameters, very long text", async () => {
    for (const url of ["/boards?q=%27%3B%20select", "/boards?q=a&q=b", "/boards?q[x]=1", `/boards?q=${"river ".repeat(500)}`, "/boards?q=%00%01", "/boards?q=river&page=-1", "/boards?q=river&page=abc"]) {
      const res = await get(url);
      expect(res.status, url).toBe(200);
    }
  });

  it("is in the visitor's language", async () => {
    const res = await get("/boards?q=river&lang=ar");
    expect(res.text).toContain('<html lang="ar" dir="rtl"');
    expect(res.text).toContain("ابحث عن لوحة عيادتك");
    expect(res.text).toContain("تم العثور على عيادة واحدة");
  });

  it("uses the search index (the planner can, when it is the cheaper way)", async () => {
    // One transaction (one connection), so the setting applies to the explain.
    const [, plan] = await ctx.prisma.$transaction([
      ctx.prisma.$executeRawUnsafe("set local enable_seqscan = off"),
      ctx.prisma.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(
        `explain select 1 from "Practice" p where to_tsvector('simple', p."name" || ' ' || p."address" || ' ' || p."odsCode") @@ to_tsquery('simple', 'river:*')`,
      ),
    ]);
    expect(plan.map((r) => r["QUERY PLAN"]).join("\n")).toContain("Practice_search_idx");
  });
});
