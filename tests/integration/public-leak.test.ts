// Nothing private leaks: every kind of private data, in two practices, each
// carrying a unique marker; every public page, filter, idea page, group page,
// the feed and the poster, in every language, is checked for every marker.
// The same walk covers a facilitator's staff pages for sessions they do not
// run: they may see what the public sees, and nothing more (lib/visibility.ts).
import request from "supertest";
import { beforeAll, describe, expect, it } from "vitest";
import { LANGUAGES } from "../../src/i18n.js";
import { withPractice } from "../helpers/with-practice.js";
import { createGroupAndSession, createPracticeWithStaff, PASSWORD } from "../helpers/fixtures.js";
import { signInAs } from "../helpers/app.js";
import { addUserToPractice } from "../../src/features/practices/service.js";
import { CONSENTS, IDEA_STATUSES } from "../../src/lib/vocabulary.js";
import { createIdea } from "../helpers/public.js";

const { ctx } = withPractice({ practices: [] });

/** Where a marker may appear: nowhere, on its practice's public pages, or only on one group's private pages. */
type Allowed = { kind: "never" } | { kind: "practice"; slug: string; token?: string } | { kind: "group"; token: string };
const markers = new Map<string, Allowed>();
let counter = 0;
function marker(label: string, allowed: Allowed = { kind: "never" }): string {
  const m = `Mk${++counter}q${label}`;
  markers.set(m, allowed);
  return m;
}

interface Seeded {
  slug: string;
  tokens: string[];
  groupIds: string[];
  themeIds: string[];
  visibleIdeaIds: string[];
  groupIdeaIds: Record<string, string[]>;
  hiddenIdeaIds: string[];
  /** Markers that must appear on the practice board (and poster, feed). */
  expectedOnBoard: string[];
  /** Answers the Arabic poster shows translated: original -> translation. */
  translatedOnPoster: Record<string, string>;
  /** Verdict words that must appear on the practice board (not the poster or feed). */
  expectedVerdictsOnBoard: string[];
  /** Per group token, markers that must appear on that group's board. */
  expectedOnGroup: Record<string, string[]>;
  /** A facilitator of this practice assigned to none of its sessions. */
  outsider: { email: string; password: string };
}
const seeded: Seeded[] = [];

async function seedPractice(name: string): Promise<Seeded> {
  const prisma = ctx.prisma;
  const f = await createPracticeWithStaff(prisma, name);
  const slug = f.practice.slug;
  // Staff names and e-mails.
  for (const member of [f.manager, f.facilitator, f.viewer]) {
    await prisma.user.update({ where: { id: member.id }, data: { name: marker(`${name}StaffName`) } });
    markers.set(member.email, { kind: "never" });
  }
  const outsiderEmail = `outsider-${slug}@example.org`;
  await addUserToPractice(prisma, { practiceId: f.practice.id, email: outsiderEmail, name: "Outside Facilitator", password: PASSWORD, role: "FACILITATOR" });
  await prisma.auditEvent.create({ data: { practiceId: f.practice.id, actorId: f.manager.id, action: "idea.update", entityType: "Idea", details: { previous: marker("AuditDetails") } } });
  const g1 = await createGroupAndSession(prisma, f);
  const g2 = await createGroupAndSession(prisma, f);
  const themes = await prisma.theme.findMany({ where: { practiceId: f.practice.id }, orderBy: { position: "asc" } });
  const s: Seeded = { slug, tokens: [g1.group.linkToken, g2.group.linkToken], groupIds: [g1.group.id, g2.group.id], themeIds: themes.map((t) => t.id), visibleIdeaIds: [], groupIdeaIds: {}, hiddenIdeaIds: [], expectedOnBoard: [], expectedVerdictsOnBoard: [], translatedOnPoster: {}, expectedOnGroup: {}, outsider: { email: outsiderEmail, password: PASSWORD } };
  for (const [i, { group, session, partner }] of [g1, g2].entries()) {
    const token = group.linkToken;
    s.groupIdeaIds[token] = [];
    s.expectedOnGroup[token] = [];
    // Private details of groups, partners, sessions and outcomes.
    await prisma.communityGroup.update({
      where: { id: group.id },
      data: { description: marker("GroupDescription"), accessNeeds: marker("AccessNeeds"), usualVenue: marker("UsualVenue"), usualTimes: marker("UsualTimes"), languages: [marker("GroupLanguage")] },
    });
    await prisma.partnerOrganisation.update({
      where: { id: partner.id },
      data: { name: marker("PartnerName"), contactName: marker("PartnerContact"), contactEmail: `${marker("PartnerEmail")}@example.test`, notes: marker("PartnerNotes") },
    });
    await prisma.communitySession.update({
      where: { id: session.id },
      data: {
        title: marker("SessionTitle"), purpose: marker("SessionPurpose"), venueName: marker("Venue"), groundRules: marker("GroundRules"),
        safeguardingLead: marker("SafeguardingLead"), checklistSafety: marker("Checklist"), preparationNotes: marker("PreparationNotes"), confidentiality: marker("Confidentiality"),
      },
    });
    await prisma.sessionOutcome.create({
      data: {
        practiceId: f.practice.id, sessionId: session.id, attendanceCount: 11, isDraft: false,
        themesDiscussed: marker("ThemesDiscussed"), privateReflections: marker("PrivateReflection"), processReflection: marker("ProcessReflection"),
        draftData: { note: marker("DraftData") },
      },
    });
    const base = { practiceId: f.practice.id, sessionId: session.id, groupId: group.id, themeId: themes[i]!.id };
    // On the practice board, and on its own group's board.
    const practiceWide: Allowed = { kind: "practice", slug, token };
    const groupOnly: Allowed = { kind: "group", token };
    // A published PUBLIC idea: public everywhere, with a public and a later private response.
    const publicText = marker("PublicIdea", practiceWide);
    const publicAnswer = marker("PublicAnswer", practiceWide);
    const pub = await createIdea(prisma, {
      ...base, text: publicText, consent: "PUBLIC", published: true,
      responses: [
        { status: "IN_PROGRESS", text: publicAnswer, daysAgo: 3, authorId: f.manager.id },
        { status: "NOT_POSSIBLE", text: marker("PrivateResponse"), daysAgo: 1, isPublic: false, authorId: f.manager.id },
      ],
    });
    s.visibleIdeaIds.push(pub.id);
    s.groupIdeaIds[token]!.push(pub.id);
    s.expectedOnBoard.push(publicText, publicAnswer);
    s.expectedOnGroup[token]!.push(publicText, publicAnswer);
    // Published with only private responses.
    const waiting = await createIdea(prisma, {
      ...base, text: marker("PublicIdeaNoPublicAnswer", practiceWide), consent: "PUBLIC", published: true,
      responses: [{ status: "DONE", text: marker("OnlyPrivateResponse"), isPublic: false }],
    });
    s.visibleIdeaIds.push(waiting.id);
    s.groupIdeaIds[token]!.push(waiting.id);
    // PUBLIC but not published yet: on its own group's board (the group agreed to share it at least that far), nowhere else.
    const unpublishedText = marker("UnpublishedIdea", groupOnly);
    const unpublishedAnswer = marker("UnpublishedIdeaAnswer", groupOnly);
    const unpublished = await createIdea(prisma, {
      ...base, text: unpublishedText, consent: "PUBLIC", published: false,
      responses: [{ status: "PLANNED", text: unpublishedAnswer }, { status: "NOT_POSSIBLE", text: marker("UnpublishedPrivateAnswer"), isPublic: false, daysAgo: 0 }],
    });
    s.hiddenIdeaIds.push(unpublished.id);
    s.groupIdeaIds[token]!.push(unpublished.id);
    s.expectedOnGroup[token]!.push(unpublishedText, unpublishedAnswer);
    // PRACTICE_ONLY, even if published by mistake, with public responses.
    s.hiddenIdeaIds.push((await createIdea(prisma, {
      ...base, text: marker("PracticeOnlyIdea"), consent: "PRACTICE_ONLY", published: true,
      responses: [{ status: "DONE", text: marker("PracticeOnlyAnswer") }],
    })).id);
    // GROUP_ONLY: only behind this group's own link, with its public responses; never its private ones.
    const groupText = marker("GroupOnlyIdea", groupOnly);
    const groupAnswer = marker("GroupOnlyAnswer", groupOnly);
    const grp = await createIdea(prisma, {
      ...base, text: groupText, consent: "GROUP_ONLY", published: i === 0,
      responses: [
        { status: "PLANNED", text: groupAnswer, daysAgo: 2 },
        { status: "DONE", text: marker("GroupOnlyPrivateResponse"), daysAgo: 1, isPublic: false },
      ],
    });
    s.hiddenIdeaIds.push(grp.id);
    s.groupIdeaIds[token]!.push(grp.id);
    s.expectedOnGroup[token]!.push(groupText, groupAnswer);
    // Verdicts (issue 18), given at the group's next session: each follows its idea's consent;
    // "not discussed" is shown nowhere outside the practice.
    const later = await prisma.communitySession.create({
      data: {
        practiceId: f.practice.id, groupId: group.id, title: marker("VerdictSessionTitle"), status: "HELD",
        startsAt: new Date(Date.now() - 3600e3 * 3), endsAt: new Date(Date.now() - 3600e3),
      },
    });
    const verdict = (ideaId: string, kind: "ANSWERS" | "PARTLY" | "NOT_YET" | "NO_LONGER_MATTERS" | "NOT_DISCUSSED", words: string) =>
      prisma.verdict.create({ data: { practiceId: f.practice.id, ideaId, sessionId: later.id, groupId: group.id, kind, words, saidAt: later.startsAt } });
    const publicVerdict = marker("PublicVerdictWords", practiceWide);
    await verdict(pub.id, "PARTLY", publicVerdict);
    s.expectedVerdictsOnBoard.push(publicVerdict);
    s.expectedOnGroup[token]!.push(publicVerdict);
    await verdict(waiting.id, "NOT_DISCUSSED", marker("NotDiscussedVerdictWords"));
    const unpublishedVerdict = marker("UnpublishedIdeaVerdictWords", groupOnly);
    await verdict(unpublished.id, "ANSWERS", unpublishedVerdict);
    s.expectedOnGroup[token]!.push(unpublishedVerdict);
    const groupVerdict = marker("GroupOnlyVerdictWords", groupOnly);
    await verdict(grp.id, "NOT_YET", groupVerdict);
    s.expectedOnGroup[token]!.push(groupVerdict);
    const practiceOnly = s.hiddenIdeaIds.at(-2)!;
    await verdict(practiceOnly, "ANSWERS", marker("PracticeOnlyVerdictWords"));
    // Translations (issue 18): shown only where their response is, in Arabic.
    const translate = async (ideaId: string, isPublic: boolean, text: string) => {
      const r = await prisma.response.findFirstOrThrow({ where: { ideaId, isPublic }, orderBy: { createdAt: "desc" } });
      await prisma.responseTranslation.create({ data: { practiceId: f.practice.id, responseId: r.id, ideaId, language: "ar", text, translatorRole: "INTERPRETER" } });
    };
    const publicTranslation = marker("PublicAnswerTranslation", practiceWide);
    await translate(pub.id, true, publicTranslation);
    // The printed poster has no "original" to open: in Arabic it carries the translation instead.
    s.translatedOnPoster[publicAnswer] = publicTranslation;
    await translate(pub.id, false, marker("PrivateResponseTranslation"));
    await translate(grp.id, true, marker("GroupOnlyAnswerTranslation", groupOnly));
    await translate(practiceOnly, true, marker("PracticeOnlyAnswerTranslation"));
    await translate(unpublished.id, true, marker("UnpublishedAnswerTranslation", groupOnly));
  }
  return s;
}

beforeAll(async () => {
  seeded.push(await seedPractice("Leak A"), await seedPractice("Leak B"));
});

/** Every public URL of a practice, including filters, pages and ids that must 404. */
function urlsFor(s: Seeded): { url: string; scope: Allowed }[] {
  const board: Allowed = { kind: "practice", slug: s.slug };
  const urls: { url: string; scope: Allowed }[] = [];
  const p = `/p/${s.slug}`;
  const filters = [
    "", "?page=2", "?page=99999", "?status=WAITING", "?status=NOT_POSSIBLE", "?status=DONE", "?status=IN_PROGRESS", "?status=PLANNED",
    ...s.themeIds.slice(0, 3).map((t) => `?theme=${t}`), ...s.groupIds.map((g) => `?group=${g}`),
  ];
  for (const q of filters) urls.push({ url: p + q, scope: board });
  for (const id of [...s.visibleIdeaIds, ...s.hiddenIdeaIds]) urls.push({ url: `${p}/ideas/${id}`, scope: board });
  urls.push({ url: `${p}/feed.atom`, scope: board }, { url: `${p}/poster`, scope: board });
  for (const token of s.tokens) {
    const scope: Allowed = { kind: "group", token };
    for (const q of ["", "?status=DONE", "?status=PLANNED", "?status=NOT_POSSIBLE", "?page=5"]) urls.push({ url: `/g/${token}${q}`, scope });
    for (const id of [...s.visibleIdeaIds, ...s.hiddenIdeaIds]) urls.push({ url: `/g/${token}/ideas/${id}`, scope });
  }
  return urls;
}

function allowedOn(allowed: Allowed, page: Allowed): boolean {
  if (allowed.kind === "never") return false;
  if (allowed.kind === "practice") return (page.kind === "practice" && page.slug === allowed.slug) || (page.kind === "group" && page.token === allowed.token);
  return page.kind === "group" && page.token === allowed.token;
}

describe("nothing private leaks from public pages", () => {
  it("seeded every kind of private data", () => {
    expect([...markers.values()].filter((a) => a.kind === "never").length).toBeGreaterThan(60);
  });

  for (const { code } of LANGUAGES) {
    it(`no forbidden marker on any public page, feed or poster (${code})`, async () => {
      const failures: string[] = [];
      let pages = 0;
      for (const s of seeded) {
        for (const { url, scope } of urlsFor(s)) {
          const res = await request(ctx.app).get(url).set("Accept-Language", code);
          if (res.status >= 500) failures.push(`${url}: ${res.status}`);
          pages++;
          const body = res.text;
          for (const [m, allowed] of markers) {
            if (body.includes(m) && !allowedOn(allowed, scope)) failures.push(`${url} shows ${m}`);
          }
          if (/Mk\d+q\w*StaffName|@example\.test/.test(body)) failures.push(`${url} shows a staff name or e-mail`);
        }
      }
      expect(pages).toBeGreaterThan(60);
      expect(failures).toEqual([]);
    }, 120_000);
  }

  it("shows the allowed data where it belongs", async () => {
    for (const s of seeded) {
      for (const { code } of LANGUAGES) {
        const board = (await request(ctx.app).get(`/p/${s.slug}?lang=${code}`)).text;
        const poster = (await request(ctx.app).get(`/p/${s.slug}/poster?lang=${code}`)).text;
        const feed = (await request(ctx.app).get(`/p/${s.slug}/feed.atom?lang=${code}`)).text;
        for (const m of s.expectedOnBoard) {
          expect(board, `board ${code}`).toContain(m);
          expect(poster, `poster ${code}`).toContain(code === "ar" ? (s.translatedOnPoster[m] ?? m) : m);
          expect(feed, `feed ${code}`).toContain(m);
        }
        for (const m of s.expectedVerdictsOnBoard) expect(board, `board ${code}`).toContain(m);
        for (const token of s.tokens) {
          const group = (await request(ctx.app).get(`/g/${token}?lang=${code}`)).text;
          for (const m of s.expectedOnGroup[token]!) expect(group, `group board ${code}`).toContain(m);
        }
      }
      // Idea pages: visible ones 200 on the practice board; hidden ones 404 there.
      for (const id of s.visibleIdeaIds) expect((await request(ctx.app).get(`/p/${s.slug}/ideas/${id}`)).status).toBe(200);
      for (const id of s.hiddenIdeaIds) expect((await request(ctx.app).get(`/p/${s.slug}/ideas/${id}`)).status).toBe(404);
    }
    // One practice's ids never resolve under the other's slug or group links.
    const [a, b] = seeded as [Seeded, Seeded];
    for (const id of [...b.visibleIdeaIds, ...b.hiddenIdeaIds]) {
      expect((await request(ctx.app).get(`/p/${a.slug}/ideas/${id}`)).status).toBe(404);
      expect((await request(ctx.app).get(`/g/${a.tokens[0]}/ideas/${id}`)).status).toBe(404);
    }
  });

  it("a facilitator sees, of sessions they do not run, exactly what the public sees and nothing more", async () => {
    const failures: string[] = [];
    for (const s of seeded) {
      const { agent } = await signInAs(ctx.app, s.outsider.email, s.outsider.password);
      const page: Allowed = { kind: "practice", slug: s.slug };
      const urls = [
        "/dashboard", "/sessions", "/ideas", "/ideas?overdue=yes", "/ideas?reopened=yes", "/translations", "/ideas?sort=support", "/ideas?page=2",
        ...IDEA_STATUSES.map((st) => `/ideas?status=${st}`),
        ...CONSENTS.map((c) => `/ideas?consent=${c}`),
        ...s.groupIds.map((g) => `/ideas?group=${g}`), ...s.themeIds.slice(0, 3).map((t) => `/ideas?theme=${t}`),
        ...[...s.visibleIdeaIds, ...s.hiddenIdeaIds].map((id) => `/ideas/${id}`),
        ...seeded.filter((o) => o !== s).flatMap((o) => [...o.visibleIdeaIds, ...o.hiddenIdeaIds].map((id) => `/ideas/${id}`)),
      ];
      for (const url of urls) {
        const res = await agent.get(url);
        if (res.status >= 500) failures.push(`${url}: ${res.status}`);
        for (const [m, allowed] of markers) {
          if (res.text.includes(m) && !allowedOn(allowed, page)) failures.push(`${url} shows ${m}`);
        }
        if (/Mk\d+q\w*StaffName/.test(res.text)) failures.push(`${url} shows a staff name`);
      }
      // What the public sees, they see; the rest is a 404.
      for (const id of s.visibleIdeaIds) expect((await agent.get(`/ideas/${id}`)).status).toBe(200);
      for (const id of s.hiddenIdeaIds) expect((await agent.get(`/ideas/${id}`)).status).toBe(404);
      const list = (await agent.get("/ideas")).text;
      for (const m of s.expectedOnBoard.filter((x) => /PublicIdea/.test(x))) expect(list).toContain(m);
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
