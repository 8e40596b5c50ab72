// Known data for the reports tests, and a test app that counts SQL statements.
import crypto from "node:crypto";
import type { PrismaClient } from "../../src/generated/prisma/client.js";
import type { IdeaStatus, Consent } from "../../src/generated/prisma/enums.js";
import { newLinkToken } from "../../src/features/practices/service.js";
import { createTestContext, type TestContext } from "./app.js";
import { createPracticeWithStaff, type PracticeFixture } from "./fixtures.js";

const DAY = 864e5;

/** Like createTestContext, but every SQL statement Prisma runs bumps `queries.count`. */
export async function createCountingContext(): Promise<TestContext & { queries: { count: number; log: string[] } }> {
  const queries = { count: 0, log: [] as string[] };
  const ctx = await createTestContext({}, {
    onQuery: (sql) => {
      queries.count += 1;
      queries.log.push(sql);
    },
  });
  return { ...ctx, queries };
}

/** The range the seeded figures are for (London calendar year 2025), as query parameters. */
export const RANGE_2025 = "from%5Bday%5D=1&from%5Bmonth%5D=1&from%5Byear%5D=2025&to%5Bday%5D=31&to%5Bmonth%5D=12&to%5Byear%5D=2025";

export const AWKWARD_TEXT = 'Café, "quoted" words\nand a second line: Ελληνικά, العربية, 🙂';
export const FORMULA_TEXT = "=HYPERLINK(\"http://evil.example\",\"click\")";

export interface SeededPractice extends PracticeFixture {
  groups: { refugee: string; recovery: string };
  s1: { id: string; endsAt: Date };
  ideas: Record<"i1" | "i2" | "i3" | "i4" | "i5" | "i6" | "i7", string>;
}

/**
 * One practice's known data. For the range 2025 (London):
 * - 6 held sessions: refugee group Jan 2 (attendance 12 + 8), Mar 1 (5); recovery group Mar 1 (7),
 *   Jul 2 (10 + no outcome; one starts 30 June 23:30 UTC, which is July in London);
 *   not counted: a scheduled session, a held one on 31 Dec 2024 23:30 London, one in 2026.
 * - ideas (all from session s1, which ended 15 Jan 2025 12:00 UTC; due 28 days later):
 *   i1 theme 1, answered day 3, done day 10 (DONE, public, published)
 *   i2 theme 1, answered day 5 (IN_PROGRESS, public, published)
 *   i3 theme 2, answered day 30, late, done day 40 (DONE, group only)
 *   i4 theme 2, no answer, past due (RECEIVED): overdue
 *   i5 theme 3, no answer, due in 2099 (RECEIVED)
 *   i6 theme 1, answered day 28 exactly = on time (NOT_POSSIBLE, practice only)
 *   i7 raised in 2024 (outside the range), no answer, due July 2024: the oldest overdue.
 */
export async function seedPractice(prisma: PrismaClient, name: string): Promise<SeededPractice> {
  const f = await createPracticeWithStaff(prisma, name);
  const practiceId = f.practice.id;
  const themes = await prisma.theme.findMany({ where: { practiceId }, orderBy: { position: "asc" } });
  const partner1 = await prisma.partnerOrganisation.create({ data: { practiceId, name: "Women's Network, Leeds" } });
  const partner2 = await prisma.partnerOrganisation.create({ data: { practiceId, name: "Recovery Café Trust" } });
  const refugee = await prisma.communityGroup.create({ data: { practiceId, partnerId: partner1.id, name: "Refugee women's group", linkToken: newLinkToken() } });
  const recovery = await prisma.communityGroup.create({ data: { practiceId, partnerId: partner2.id, name: "Recovery café", linkToken: newLinkToken() } });

  const session = async (groupId: string, startsAt: string, opts: { attendance?: number; status?: "HELD" | "SCHEDULED"; checklist?: Record<string, string> } = {}) => {
    const start = new Date(startsAt);
    const s = await prisma.communitySession.create({
      data: {
        practiceId, groupId, title: `Session ${startsAt}`, startsAt: start, endsAt: new Date(start.getTime() + 2 * 3600e3),
        status: opts.status ?? "HELD", venueName: "Community centre", ...(opts.checklist ?? {}),
        facilitators: { create: [{ practiceId, userId: f.facilitator.id }] },
      },
    });
    if (opts.attendance !== undefined) {
      await prisma.sessionOutcome.create({ data: { practiceId, sessionId: s.id, attendanceCount: opts.attendance, isDraft: false, privateReflections: "PRIVATE-REFLECTION-NEVER-EXPORTED", processReflection: "PROCESS-REFLECTION" } });
    }
    return s;
  };
  const s1 = await session(refugee.id, "2025-01-15T10:00:00Z", { attendance: 12, checklist: { checklistSafety: "Quiet room, exits shown", checklistTrust: "Partner led", checklistCulture: "Interpreter booked" } });
  await session(refugee.id, "2025-01-29T10:00:00Z", { attendance: 8, checklist: { checklistSafety: "Same room", checklistChoice: "   " } });
  await session(refugee.id, "2025-03-10T10:00:00Z", { attendance: 5 });
  await session(recovery.id, "2025-03-20T18:00:00Z", { attendance: 7, checklist: { checklistCulture: "Peer-led" } });
  await session(recovery.id, "2025-06-30T23:30:00Z", { attendance: 10 });
  await session(recovery.id, "2025-07-05T18:00:00Z");
  await session(recovery.id, "2025-05-05T18:00:00Z", { status: "SCHEDULED", attendance: 99 });
  await session(refugee.id, "2024-12-31T23:30:00Z", { attendance: 50 });
  await session(refugee.id, "2026-01-01T00:30:00Z", { attendance: 60 });
  const s0 = await session(refugee.id, "2024-06-01T10:00:00Z", { attendance: 4 });

  const endsAt = s1.endsAt;
  const dueAt = new Date(endsAt.getTime() + 28 * DAY);
  const at = (days: number) => new Date(endsAt.getTime() + days * DAY);
  const idea = async (o: { text: string; theme: number; status: IdeaStatus; consent: Consent; first?: number; done?: number; dueAt?: Date; createdAt?: Date; published?: boolean; sessionId?: string }) =>
    prisma.idea.create({
      data: {
        practiceId, sessionId: o.sessionId ?? s1.id, groupId: refugee.id, themeId: themes[o.theme]!.id, text: o.text, support: 4, consent: o.consent,
        status: o.status, dueAt: o.dueAt ?? dueAt, firstResponseAt: o.first === undefined ? null : at(o.first), doneAt: o.done === undefined ? null : at(o.done),
        publishedAt: o.published ? at(1) : null, createdAt: o.createdAt ?? at(0.5),
      },
    });
  const i1 = await idea({ text: AWKWARD_TEXT, theme: 0, status: "DONE", consent: "PUBLIC", first: 3, done: 10, published: true });
  const i2 = await idea({ text: FORMULA_TEXT, theme: 0, status: "IN_PROGRESS", consent: "PUBLIC", first: 5, published: true });
  const i3 = await idea({ text: "-5 fewer phone menus", theme: 1, status: "DONE", consent: "GROUP_ONLY", first: 30, done: 40 });
  const i4 = await idea({ text: "@reception please smile", theme: 1, status: "RECEIVED", consent: "PRACTICE_ONLY" });
  const i5 = await idea({ text: "+ more interpreters", theme: 2, status: "RECEIVED", consent: "PUBLIC", dueAt: new Date("2099-01-01T00:00:00Z") });
  const i6 = await idea({ text: "\tA tab first", theme: 0, status: "NOT_POSSIBLE", consent: "PRACTICE_ONLY", first: 28 });
  const i7 = await idea({ text: "An old idea", theme: 3, status: "RECEIVED", consent: "PUBLIC", sessionId: s0.id, createdAt: new Date("2024-06-02T10:00:00Z"), dueAt: new Date("2024-07-01T10:00:00Z") });

  const response = (ideaId: string, status: IdeaStatus, text: string, days: number, isPublic = true) =>
    prisma.response.create({ data: { practiceId, ideaId, status, text, isPublic, authorId: f.manager.id, authorRole: "MANAGER", createdAt: at(days) } });
  await response(i1.id, "UNDER_CONSIDERATION", "We are looking at this, \"carefully\".", 3);
  await response(i1.id, "DONE", 'Done: new signs, in 5 languages — «Ελληνικά», "العربية"\nSee the board.', 10);
  await response(i2.id, "IN_PROGRESS", "=1+2 started", 5);
  await response(i2.id, "IN_PROGRESS", "Internal note, not public", 6, false);
  await response(i3.id, "DONE", "Menu shortened", 40);
  await response(i6.id, "NOT_POSSIBLE", "Not possible because of the building lease", 28);

  return {
    ...f,
    groups: { refugee: refugee.id, recovery: recovery.id },
    s1: { id: s1.id, endsAt },
    ideas: { i1: i1.id, i2: i2.id, i3: i3.id, i4: i4.id, i5: i5.id, i6: i6.id, i7: i7.id },
  };
}

/** Lots more rows for a practice (to show the query count does not grow). */
export async function addBulk(prisma: PrismaClient, p: SeededPractice, sessions = 40, ideasPerSession = 10): Promise<void> {
  const practiceId = p.practice.id;
  const theme = await prisma.theme.findFirstOrThrow({ where: { practiceId }, orderBy: { position: "desc" } });
  for (let k = 0; k < sessions; k++) {
    const groupId = k % 2 ? p.groups.refugee : p.groups.recovery;
    const group = await prisma.communityGroup.create({ data: { practiceId, name: `Bulk group ${k}`, linkToken: newLinkToken() } });
    const startsAt = new Date(Date.UTC(2025, k % 12, 2 + (k % 20), 10));
    const s = await prisma.communitySession.create({
      data: { practiceId, groupId: k % 3 ? groupId : group.id, title: `Bulk ${k}`, startsAt, endsAt: new Date(startsAt.getTime() + 3600e3), status: "HELD", checklistSafety: "yes" },
    });
    await prisma.sessionOutcome.create({ data: { practiceId, sessionId: s.id, attendanceCount: 3 } });
    await prisma.idea.createMany({
      data: Array.from({ length: ideasPerSession }, (_, j) => ({
        id: crypto.randomUUID(), practiceId, sessionId: s.id, groupId: s.groupId, themeId: theme.id, text: `Bulk idea ${k}.${j}`, consent: "PUBLIC" as const,
        status: "RECEIVED" as const, dueAt: new Date(startsAt.getTime() + 28 * DAY), createdAt: new Date(startsAt.getTime() + 3600e3), publishedAt: new Date(startsAt.getTime() + 7200e3),
      })),
    });
  }
}
