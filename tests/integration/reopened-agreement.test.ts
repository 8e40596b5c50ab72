// Is an idea reopened (issue 18)? The rule is written once, in lib/visibility.ts,
// but asked in four places, which must agree on every idea:
//   - TypeScript: reopeningVerdict over the idea as the idea page reads it
//     (the page's notice, the response form's "say what changes" block, the route's rules);
//   - SQL: reopenedSql, the /ideas?reopened=yes filter;
//   - SQL: reopenedIdeas, the dashboard's list (one statement from the verdicts);
//   - the response rules inside createResponse's transaction (two indexed reads):
//     a staff-only response is refused exactly when the idea is reopened;
// and the report-back list (reportBackFor) has it as "waiting" exactly then.
// Timelines include equal timestamps (set directly in the database): a public
// response at the same instant as the verdict answers it (lib/visibility.ts
// answersVerdict), and two verdicts at the same instant are ordered by id.
import { beforeAll, describe, expect, it } from "vitest";
import { Prisma } from "../../src/generated/prisma/client.js";
import type { Consent, VerdictKind } from "../../src/generated/prisma/enums.js";
import { getIdeaDetail } from "../../src/features/ideas/service.js";
import { reopenedIdeas } from "../../src/features/report-back/reopened.js";
import { reportBackFor } from "../../src/features/report-back/service.js";
import { createResponse, MUST_BE_PUBLIC } from "../../src/features/responses/service.js";
import { reopenedSql, reopeningVerdict, type StaffViewer } from "../../src/lib/visibility.js";
import { withPractice } from "../helpers/with-practice.js";
import { createIdea, type IdeaOrigin } from "../helpers/ideas.js";
import { makeSession } from "../helpers/sessions.js";
import { createGroupAndSession } from "../helpers/fixtures.js";

const { ctx, a } = withPractice({ practices: ["Reopened agreement"] });
const DAY = 864e5;
const T0 = new Date(Date.now() - 30 * DAY);
const at = (day: number) => new Date(T0.getTime() + day * DAY);
/** About 15 minutes ago, in days from T0. */
const RECENT = 30 - 0.01;

let origin: IdeaOrigin;
let laterSessionId: string;
let viewer: StaffViewer;

interface Scenario {
  name: string;
  consent: Consent;
  /** Public (or staff-only) responses, by day. */
  responses: { day: number; isPublic?: boolean }[];
  /** Verdicts, by day (the second one at the group's later session); `id` orders two at the same instant. */
  verdicts: { day: number; kind: VerdictKind; id?: "low" | "high" }[];
  reopened: boolean;
}

interface Timeline extends Pick<Scenario, "responses" | "verdicts"> {
  label: string;
  /** Reopened when a public response can reach the group (PUBLIC, GROUP_ONLY). */
  reopenedWhenReachable: boolean;
}

const timelines: Timeline[] = [
  { label: "'not yet' after the last public answer", responses: [{ day: 1 }], verdicts: [{ day: 2, kind: "NOT_YET" }], reopenedWhenReachable: true },
  { label: "'partly' with no public answer yet", responses: [], verdicts: [{ day: 2, kind: "PARTLY" }], reopenedWhenReachable: true },
  { label: "'not yet', then only a staff-only note", responses: [{ day: 1 }, { day: 3, isPublic: false }], verdicts: [{ day: 2, kind: "NOT_YET" }], reopenedWhenReachable: true },
  { label: "'not yet', then a public answer", responses: [{ day: 1 }, { day: 3 }], verdicts: [{ day: 2, kind: "NOT_YET" }], reopenedWhenReachable: false },
  { label: "'this answers what we said'", responses: [{ day: 1 }], verdicts: [{ day: 2, kind: "ANSWERS" }], reopenedWhenReachable: false },
  { label: "'partly', then 'not discussed' later", responses: [{ day: 1 }], verdicts: [{ day: 2, kind: "PARTLY" }, { day: 4, kind: "NOT_DISCUSSED" }], reopenedWhenReachable: true },
  { label: "'not yet', then 'no longer matters' later", responses: [{ day: 1 }], verdicts: [{ day: 2, kind: "NOT_YET" }, { day: 4, kind: "NO_LONGER_MATTERS" }], reopenedWhenReachable: false },
  // Equal timestamps. RECENT is after the start of the group's previous held session, so an answer then is on the next report-back list.
  { label: "TIE: 'not yet' and a public answer at the same instant", responses: [{ day: 1 }, { day: RECENT }], verdicts: [{ day: RECENT, kind: "NOT_YET" }], reopenedWhenReachable: false },
  { label: "TIE: 'partly' and the first public answer at the same instant", responses: [{ day: RECENT }], verdicts: [{ day: RECENT, kind: "PARTLY" }], reopenedWhenReachable: false },
  { label: "TIE: 'not yet' and a staff-only note at the same instant", responses: [{ day: 1 }, { day: RECENT, isPublic: false }], verdicts: [{ day: RECENT, kind: "NOT_YET" }], reopenedWhenReachable: true },
  { label: "TIE: two verdicts at the same instant, 'not yet' has the higher id", responses: [{ day: 1 }], verdicts: [{ day: 2, kind: "ANSWERS", id: "low" }, { day: 2, kind: "NOT_YET", id: "high" }], reopenedWhenReachable: true },
  { label: "TIE: two verdicts at the same instant, 'this answers' has the higher id", responses: [{ day: 1 }], verdicts: [{ day: 2, kind: "NOT_YET", id: "low" }, { day: 2, kind: "ANSWERS", id: "high" }], reopenedWhenReachable: false },
];

const scenarios: Scenario[] = (["PUBLIC", "GROUP_ONLY", "PRACTICE_ONLY"] as Consent[]).flatMap((consent) =>
  timelines.map((t) => ({
    name: `${consent}: ${t.label}`, consent, responses: t.responses, verdicts: t.verdicts,
    // A public response to a PRACTICE_ONLY idea reaches nobody: never reopened.
    reopened: t.reopenedWhenReachable && consent !== "PRACTICE_ONLY",
  })),
);

const ideaIds = new Map<string, string>();

async function makeScenario(s: Scenario): Promise<string> {
  const practiceId = a.practice.id;
  const idea = await createIdea(ctx.prisma, origin, { text: s.name, consent: s.consent, status: "PLANNED", createdAt: T0 });
  for (const r of s.responses) {
    await ctx.prisma.response.create({
      data: { practiceId, ideaId: idea.id, status: "PLANNED", text: `Answer on day ${r.day}`, isPublic: r.isPublic ?? true, authorId: a.manager.id, authorRole: "MANAGER", createdAt: at(r.day) },
    });
  }
  const [low, high] = [crypto.randomUUID(), crypto.randomUUID()].sort();
  for (const [n, v] of s.verdicts.entries()) {
    const id = v.id === "low" ? low : v.id === "high" ? high : undefined;
    await ctx.prisma.verdict.create({
      data: { ...(id ? { id } : {}), practiceId, ideaId: idea.id, sessionId: n === 0 ? origin.sessionId : laterSessionId, groupId: origin.groupId, kind: v.kind, saidAt: at(v.day), createdAt: at(v.day) },
    });
  }
  return idea.id;
}

beforeAll(async () => {
  const { group, session } = await createGroupAndSession(ctx.prisma, a);
  const theme = await ctx.prisma.theme.findFirstOrThrow({ where: { practiceId: a.practice.id } });
  origin = { practiceId: a.practice.id, sessionId: session.id, groupId: group.id, themeId: theme.id };
  laterSessionId = (await makeSession(ctx.prisma, a.practice.id, group.id, { startsAt: at(4), status: "HELD" })).id;
  viewer = { practiceId: a.practice.id, userId: a.manager.id, role: "MANAGER" };
  for (const s of scenarios) ideaIds.set(s.name, await makeScenario(s));
});

/** The four answers for every scenario's idea. */
async function answers() {
  const practiceId = a.practice.id;
  const bySql = new Set((await ctx.prisma.$queryRaw<{ id: string }[]>(Prisma.sql`select i.id from "Idea" i where i."practiceId" = ${practiceId}::uuid and ${reopenedSql("i")}`)).map((r) => r.id));
  const dashboard = await reopenedIdeas(ctx.prisma, viewer, 1000);
  const onDashboard = new Set(dashboard.ideas.map((i) => i.id));
  expect(dashboard.total).toBe(onDashboard.size);
  // The group's next session (the outcome's report-back list): its previous held session is the one the ideas came from.
  const next = { id: crypto.randomUUID(), practiceId, groupId: origin.groupId, startsAt: new Date(Date.now() + 3600e3) };
  const list = new Map((await reportBackFor(ctx.prisma, next)).items.map((item) => [item.ideaId, item.reason]));
  const out: Record<string, { expected: boolean; ts: boolean; sql: boolean; dashboard: boolean; responseRules: boolean; reportBack: string }> = {};
  for (const s of scenarios) {
    const id = ideaIds.get(s.name)!;
    const detail = await getIdeaDetail(ctx.prisma, practiceId, id);
    // A staff-only response is refused (and nothing written) exactly when the idea is reopened; a staff-only response never changes the answer.
    const staffOnly = await createResponse(ctx.prisma, practiceId, id, { id: a.manager.id, role: "MANAGER" }, { status: "PLANNED", text: "Staff note", isPublic: false, targetDate: null }, crypto.randomUUID());
    const refused = !staffOnly.ok && staffOnly.reason === "invalid" && staffOnly.errors.isPublic === MUST_BE_PUBLIC;
    out[s.name] = { expected: s.reopened, ts: reopeningVerdict(detail) !== null, sql: bySql.has(id), dashboard: onDashboard.has(id), responseRules: refused, reportBack: list.get(id) ?? "absent" };
  }
  return out;
}

describe("reopened: the TypeScript rule, the /ideas SQL, the dashboard's SQL and the response rules agree", () => {
  it("on every scenario, and each says what the rule says", async () => {
    const all = await answers();
    for (const [name, r] of Object.entries(all)) {
      const { reportBack, ...answered } = r;
      expect({ name, ...answered }).toEqual({ name, expected: r.expected, ts: r.expected, sql: r.expected, dashboard: r.expected, responseRules: r.expected });
      // The report-back list has it as waiting again exactly when it is reopened.
      expect({ name, waiting: reportBack === "waiting" }).toEqual({ name, waiting: r.expected });
    }
    // Both outcomes are exercised.
    expect(Object.values(all).filter((r) => r.expected).length).toBeGreaterThan(0);
    expect(Object.values(all).filter((r) => !r.expected).length).toBeGreaterThan(0);
  });

  it("a public response at the same instant as the verdict answers it: not reopened, and on the group's next report-back list as an answer", async () => {
    const all = await answers();
    for (const consent of ["PUBLIC", "GROUP_ONLY"] as const) {
      for (const label of ["TIE: 'not yet' and a public answer at the same instant", "TIE: 'partly' and the first public answer at the same instant"]) {
        const name = `${consent}: ${label}`;
        expect({ name, ...all[name] }).toEqual({ name, expected: false, ts: false, sql: false, dashboard: false, responseRules: false, reportBack: "answered" });
      }
    }
  });
});
