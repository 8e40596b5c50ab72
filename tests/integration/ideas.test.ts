// /ideas, /ideas/:id, publishing and managers' corrections.
import { beforeAll, describe, expect, it } from "vitest";
import { signInAs } from "../helpers/app.js";
import { withPractice } from "../helpers/with-practice.js";
import { createGroupAndSession, createPracticeWithStaff } from "../helpers/fixtures.js";
import { createIdea, hiddenField, type IdeaOrigin } from "../helpers/ideas.js";
import { dashboardFor } from "../../src/features/home/dashboard.js";
import { createResponse } from "../../src/features/responses/service.js";
import { listIdeasWithOptions, parseIdeaFilters } from "../../src/features/ideas/service.js";
import crypto from "node:crypto";

const { ctx, a, b, manager, viewer } = withPractice({ practices: ["Ideas A", "Ideas B"], signIn: ["manager", "viewer"] });
let origin: IdeaOrigin;
let origin2: IdeaOrigin;
let otherIdeaId: string;
let themes: { id: string; name: string }[];

const DAY = 864e5;

beforeAll(async () => {
  themes = await ctx.prisma.theme.findMany({ where: { practiceId: a.practice.id }, orderBy: { position: "asc" } });
  const g1 = await createGroupAndSession(ctx.prisma, a);
  const g2 = await createGroupAndSession(ctx.prisma, a);
  await ctx.prisma.communityGroup.update({ where: { id: g2.group.id }, data: { name: "Second group" } });
  await ctx.prisma.communitySession.update({ where: { id: g2.session.id }, data: { title: "Second session" } });
  origin = { practiceId: a.practice.id, sessionId: g1.session.id, groupId: g1.group.id, themeId: themes[0]!.id };
  origin2 = { practiceId: a.practice.id, sessionId: g2.session.id, groupId: g2.group.id, themeId: themes[1]!.id };
  const gb = await createGroupAndSession(ctx.prisma, b);
  const tb = await ctx.prisma.theme.findFirstOrThrow({ where: { practiceId: b.practice.id } });
  otherIdeaId = (await createIdea(ctx.prisma, { practiceId: b.practice.id, sessionId: gb.session.id, groupId: gb.group.id, themeId: tb.id }, { text: "Practice B secret idea" })).id;
});

describe("/ideas list", () => {
  beforeAll(async () => {
    const base = Date.now() - 100 * DAY;
    // 22 plain ideas (oldest first), then a few special ones.
    for (let i = 0; i < 22; i++) {
      await createIdea(ctx.prisma, origin, { text: `Plain idea number ${String(i).padStart(2, "0")}`, support: i % 5, createdAt: new Date(base + i * 1000) });
    }
    await createIdea(ctx.prisma, origin2, { text: "Most supported idea", support: 99, consent: "GROUP_ONLY", status: "PLANNED", createdAt: new Date(base - DAY), firstResponseAt: new Date() });
    await createIdea(ctx.prisma, origin, { text: "An overdue idea about interpreters", dueAt: new Date(Date.now() - DAY), consent: "PRACTICE_ONLY", createdAt: new Date(base + 50_000) });
    await createIdea(ctx.prisma, origin, { text: "Answered late but not overdue", dueAt: new Date(Date.now() - DAY), firstResponseAt: new Date(), status: "DONE", createdAt: new Date(base + 60_000) });
  });

  it("lists the practice's ideas, newest first, 20 a page, with group, theme, support, consent and status", async () => {
    const res = await viewer.agent.get("/ideas");
    expect(res.status).toBe(200);
    expect(res.text).toContain("25 ideas");
    expect(res.text).not.toContain("Practice B secret idea");
    const first = res.text.indexOf("Answered late but not overdue");
    const second = res.text.indexOf("An overdue idea about interpreters");
    expect(first).toBeGreaterThan(-1);
    expect(second).toBeGreaterThan(first);
    expect(res.text).toContain("Practice only");
    expect(res.text).toContain(themes[0]!.name);
    expect(res.text).not.toContain("Most supported idea"); // the oldest: on page 2
    expect(res.text).toContain('href="/ideas?page=2"');
    const page2 = await viewer.agent.get("/ideas?page=2");
    expect(page2.text).toContain("Most supported idea");
    expect(page2.text).toContain("Second group");
  });

  it("tags overdue ideas (no response and past the due date) and filters them", async () => {
    const res = await viewer.agent.get("/ideas?overdue=yes");
    expect(res.text).toContain("1 idea match");
    expect(res.text).toContain("An overdue idea about interpreters");
    expect(res.text).toContain(">Overdue<");
    expect(res.text).not.toContain("Answered late but not overdue");
  });

  it("filters by status, theme, group, session and consent", async () => {
    const byStatus = await viewer.agent.get("/ideas?status=DONE");
    expect(byStatus.text).toContain("1 idea match");
    expect(byStatus.text).toContain("Answered late but not overdue");
    const byTheme = await viewer.agent.get(`/ideas?theme=${themes[1]!.id}`);
    expect(byTheme.text).toContain("1 idea match");
    expect(byTheme.text).toContain("Most supported idea");
    const byGroup = await viewer.agent.get(`/ideas?group=${origin2.groupId}`);
    expect(byGroup.text).toContain("1 idea match");
    const bySession = await viewer.agent.get(`/ideas?session=${origin.sessionId}`);
    expect(bySession.text).toContain("24 ideas match");
    const byConsent = await viewer.agent.get("/ideas?consent=GROUP_ONLY");
    expect(byConsent.text).toContain("1 idea match");
    expect(byConsent.text).toContain("Most supported idea");
    const combined = await viewer.agent.get(`/ideas?consent=PUBLIC&status=RECEIVED&session=${origin.sessionId}`);
    expect(combined.text).toContain("22 ideas match");
    // Filters are kept in the pagination links.
    expect(combined.text).toContain(`href="/ideas?status=RECEIVED&amp;session=${origin.sessionId}&amp;consent=PUBLIC&amp;page=2"`);
  });

  it("shows each request's own choices in the filter form (its fixed fields are rendered once per value: views fixedPart)", async () => {
    const selected = (html: string, name: string) => html.match(new RegExp(`<select[^>]* name="${name}"[^>]*>([\\s\\S]*?)</select>`))![1]!.match(/<option value="([^"]*)" selected>/)?.[1] ?? "";
    const checked = (html: string, name: string) => new RegExp(`name="${name}" type="checkbox" value="yes" checked`).test(html);
    for (const [q, want] of [
      ["status=DONE&consent=PUBLIC&sort=oldest&overdue=yes", { status: "DONE", consent: "PUBLIC", sort: "oldest", overdue: true, reopened: false }],
      ["status=RECEIVED&sort=support&reopened=yes", { status: "RECEIVED", consent: "", sort: "support", overdue: false, reopened: true }],
      ["", { status: "", consent: "", sort: "newest", overdue: false, reopened: false }],
      ["status=DONE&consent=PUBLIC&sort=oldest&overdue=yes", { status: "DONE", consent: "PUBLIC", sort: "oldest", overdue: true, reopened: false }],
    ] as const) {
      const html = (await viewer.agent.get(`/ideas?${q}`)).text;
      expect({ status: selected(html, "status"), consent: selected(html, "consent"), sort: selected(html, "sort"), overdue: checked(html, "overdue"), reopened: checked(html, "reopened") }, q).toEqual(want);
    }
  });

  it("sorts by oldest and by most supported", async () => {
    const oldest = await viewer.agent.get("/ideas?sort=oldest");
    expect(oldest.text.indexOf("Most supported idea")).toBeLessThan(oldest.text.indexOf("Plain idea number 00"));
    expect(oldest.text.indexOf("Plain idea number 00")).toBeLessThan(oldest.text.indexOf("Plain idea number 01"));
    const support = await viewer.agent.get("/ideas?sort=support");
    const firstIdea = support.text.match(/href="\/ideas\/[0-9a-f-]{36}(?:\?back=[^"]*)?">([^<]+)</)![1];
    expect(firstIdea).toBe("Most supported idea");
  });

  it("ignores invalid filters and clamps the page, never a 500", async () => {
    for (const q of ["status=BOGUS", "theme=not-a-uuid", "group=1", "session=' or 1=1", "consent=EVERYONE", "overdue=maybe", "sort=sideways", "page=abc", "page=-3", "page=99999999", "theme[]=x", `theme=${crypto.randomUUID()}`]) {
      const res = await viewer.agent.get(`/ideas?${q}`);
      expect(res.status, q).toBe(200);
    }
    expect((await viewer.agent.get("/ideas?status=BOGUS")).text).toContain("25 ideas");
    const far = await viewer.agent.get("/ideas?page=500");
    expect(far.text).toContain("Most supported idea"); // the last page
    // Another practice's theme id matches nothing here.
    const tb = await ctx.prisma.theme.findFirstOrThrow({ where: { practiceId: b.practice.id } });
    const res = await viewer.agent.get(`/ideas?theme=${tb.id}`);
    expect(res.text).toContain("No ideas match these filters.");
    expect(res.text).not.toContain("0 ideas match");
    expect(res.text).not.toContain("Practice B secret idea");
  });
});

describe("the list's statement through the pg pool (what the route runs)", () => {
  it("returns exactly what the Prisma client returns, for every viewer, filter, sort and a page past the last", async () => {
    const now = new Date();
    const viewers = (["manager", "facilitator", "viewer"] as const).map((k) => ({ practiceId: a.practice.id, userId: a[k].id, role: a[k].role }));
    const queries = [
      {}, { status: "PLANNED" }, { sort: "support" }, { sort: "oldest", consent: "PUBLIC" }, { sort: "due", overdue: "yes" }, { reopened: "yes" },
      { theme: origin.themeId, group: origin.groupId }, { session: origin2.sessionId }, { status: "BOGUS", sort: "sideways" },
    ];
    for (const viewer of viewers) {
      for (const q of queries) {
        for (const page of [1, 2, 500]) {
          const filters = parseIdeaFilters(q);
          const viaPool = await listIdeasWithOptions(ctx.db.pool, viewer, filters, page, now);
          const viaPrisma = await listIdeasWithOptions(ctx.prisma, viewer, filters, page, now);
          expect(viaPool, `${viewer.role} ${JSON.stringify(q)} page ${page}`).toStrictEqual(viaPrisma);
        }
      }
    }
    // The comparison saw rows, dates and the filter choices, not only empty pages.
    const sample = await listIdeasWithOptions(ctx.db.pool, viewers[0]!, parseIdeaFilters({}), 1, now);
    expect(sample.ideas.length).toBeGreaterThan(0);
    expect(sample.ideas[0]!.createdAt).toBeInstanceOf(Date);
    expect(sample.options.sessions.length).toBeGreaterThan(0);
  });
});

describe("/ideas/:id", () => {
  it("shows the idea, where it came from, consent and the whole timeline newest first with author role and name", async () => {
    const idea = await createIdea(ctx.prisma, origin, { text: "Please have leaflets in Tigrinya", support: 7, consent: "GROUP_ONLY" });
    await ctx.prisma.response.create({ data: { practiceId: a.practice.id, ideaId: idea.id, status: "RECEIVED", text: "First we heard you", isPublic: true, authorId: a.manager.id, authorRole: "MANAGER", createdAt: new Date(Date.now() - 2 * DAY) } });
    await ctx.prisma.response.create({ data: { practiceId: a.practice.id, ideaId: idea.id, status: "PLANNED", text: "Second a private note", isPublic: false, authorId: a.manager.id, authorRole: "MANAGER", targetDate: new Date(Date.UTC(2027, 2, 15)) } });
    const res = await viewer.agent.get(`/ideas/${idea.id}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain("Please have leaflets in Tigrinya");
    expect(res.text).toContain("Test session");
    expect(res.text).toContain("Test group");
    expect(res.text).toContain("Group only");
    expect(res.text).toContain(">7<");
    expect(res.text.indexOf("Second a private note")).toBeLessThan(res.text.indexOf("First we heard you"));
    expect(res.text).toContain("15 March 2027");
    expect(res.text).toContain("Not public: staff only");
    expect(res.text).toContain(`Practice manager (MANAGER `); // role label and the staff member's name
    // A viewer cannot respond, correct or publish.
    expect(res.text).not.toContain("Add a response");
    expect(res.text).not.toContain(`/ideas/${idea.id}/edit`);
    const asManager = await manager.agent.get(`/ideas/${idea.id}`);
    expect(asManager.text).toContain("Add a response");
    expect(asManager.text).toContain(`/ideas/${idea.id}/edit`);
  });

  it("lets a facilitator read ideas of the practice", async () => {
    const f = await signInAs(ctx.app, a.facilitator.email, a.facilitator.password);
    const idea = await createIdea(ctx.prisma, origin2, { text: "Facilitator can read this" });
    const res = await f.agent.get(`/ideas/${idea.id}`);
    expect(res.status).toBe(200);
    expect(res.text).not.toContain("Add a response");
  });

  it("answers 404 for another practice's idea and for a malformed id", async () => {
    const res = await manager.agent.get(`/ideas/${otherIdeaId}`);
    expect(res.status).toBe(404);
    expect(res.text).not.toContain("Practice B secret idea");
    expect((await manager.agent.get("/ideas/not-a-uuid")).status).toBe(404);
    expect((await manager.agent.get(`/ideas/${crypto.randomUUID()}`)).status).toBe(404);
    for (const path of ["publish", "edit"]) expect((await manager.agent.get(`/ideas/${otherIdeaId}/${path}`)).status).toBe(404);
    const before = await ctx.prisma.idea.findUniqueOrThrow({ where: { id: otherIdeaId } });
    for (const path of ["publish", "unpublish", "edit", "responses"]) {
      const r = await manager.agent.post(`/ideas/${otherIdeaId}/${path}`).type("form").send({ _csrf: manager.csrf, version: String(before.version), confirm: "yes", text: "x".repeat(50), status: "DONE", isPublic: "yes", themeId: before.themeId, consent: "PRACTICE_ONLY" });
      expect(r.status, path).toBe(404);
    }
    expect(await ctx.prisma.idea.findUniqueOrThrow({ where: { id: otherIdeaId } })).toEqual(before);
    expect(await ctx.prisma.response.count({ where: { ideaId: otherIdeaId } })).toBe(0);
  });
});

describe("publishing", () => {
  it("previews exactly what the public will see: public responses only, roles not names", async () => {
    const idea = await createIdea(ctx.prisma, origin, { text: "A ramp at the side door" });
    await ctx.prisma.response.create({ data: { practiceId: a.practice.id, ideaId: idea.id, status: "PLANNED", text: "We have asked the landlord", isPublic: true, authorId: a.manager.id, authorRole: "MANAGER" } });
    await ctx.prisma.response.create({ data: { practiceId: a.practice.id, ideaId: idea.id, status: "PLANNED", text: "PRIVATE budget worry", isPublic: false, authorId: a.manager.id, authorRole: "MANAGER" } });
    await ctx.prisma.sessionOutcome.create({ data: { practiceId: a.practice.id, sessionId: origin.sessionId, privateReflections: "PRIVATE reflection text", isDraft: false } });
    const res = await manager.agent.get(`/ideas/${idea.id}/publish`);
    expect(res.status).toBe(200);
    const preview = res.text.slice(res.text.indexOf("app-public-preview"), res.text.indexOf("Publish this idea"));
    expect(preview).toContain("A ramp at the side door");
    expect(preview).toContain(themes[0]!.name);
    expect(preview).toContain("Test group");
    expect(preview).toContain("We have asked the landlord");
    expect(preview).toContain("The practice manager");
    expect(res.text).not.toContain("PRIVATE budget worry");
    expect(res.text).not.toContain("PRIVATE reflection text");
    const managerName = (await ctx.prisma.user.findUniqueOrThrow({ where: { id: a.manager.id } })).name;
    expect(preview).not.toContain(managerName);

    const version = hiddenField(res.text, "version");
    const post = await manager.agent.post(`/ideas/${idea.id}/publish`).type("form").send({ _csrf: manager.csrf, version });
    expect(post.status).toBe(303);
    const after = await ctx.prisma.idea.findUniqueOrThrow({ where: { id: idea.id } });
    expect(after.publishedAt).toBeInstanceOf(Date);
    expect(after.publishedById).toBe(a.manager.id);
    expect(after.publicUpdatedAt).toBeInstanceOf(Date);
    expect(await ctx.prisma.auditEvent.count({ where: { action: "idea.publish", entityId: idea.id, actorId: a.manager.id } })).toBe(1);
    expect((await manager.agent.get(`/ideas/${idea.id}`)).text).toContain("The idea is now on the public board");

    // Unpublish.
    const un = await manager.agent.post(`/ideas/${idea.id}/unpublish`).type("form").send({ _csrf: manager.csrf, confirm: "yes" });
    expect(un.status).toBe(303);
    const off = await ctx.prisma.idea.findUniqueOrThrow({ where: { id: idea.id } });
    expect(off.publishedAt).toBeNull();
    expect(off.publishedById).toBeNull();
    const audit = await ctx.prisma.auditEvent.findFirstOrThrow({ where: { action: "idea.unpublish", entityId: idea.id } });
    expect((audit.details as { previous: { publishedAt: string } }).previous.publishedAt).toBe(after.publishedAt!.toISOString());
  });

  it("publishes only PUBLIC ideas: others get a clear message and nothing changes", async () => {
    for (const consent of ["GROUP_ONLY", "PRACTICE_ONLY"] as const) {
      const idea = await createIdea(ctx.prisma, origin, { text: `Not for the board ${consent}`, consent });
      const page = await manager.agent.get(`/ideas/${idea.id}/publish`);
      expect(page.text).toContain("This idea cannot be published");
      expect(page.text).not.toContain("Publish this idea");
      const res = await manager.agent.post(`/ideas/${idea.id}/publish`).type("form").send({ _csrf: manager.csrf, version: String(idea.version) });
      expect(res.status).toBe(400);
      expect(res.text).toContain("This idea cannot be published");
      expect(await ctx.prisma.idea.findUniqueOrThrow({ where: { id: idea.id } })).toEqual(idea);
      expect(await ctx.prisma.auditEvent.count({ where: { entityId: idea.id } })).toBe(0);
    }
  });

  it("refuses to publish without the preview's confirmation, or after the idea changed since the preview", async () => {
    const idea = await createIdea(ctx.prisma, origin, { text: "Changes after preview" });
    const empty = await manager.agent.post(`/ideas/${idea.id}/publish`).type("form").send({ _csrf: manager.csrf });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain("Check the preview");
    const stale = String(idea.version - 1);
    const res = await manager.agent.post(`/ideas/${idea.id}/publish`).type("form").send({ _csrf: manager.csrf, version: stale });
    expect(res.status).toBe(409);
    expect(res.text).toContain("changed after you opened the preview");
    expect((await ctx.prisma.idea.findUniqueOrThrow({ where: { id: idea.id } })).publishedAt).toBeNull();
    // A response added after the preview changes the version too: the preview showed another status.
    const preview = hiddenField((await manager.agent.get(`/ideas/${idea.id}/publish`)).text, "version");
    await createResponse(ctx.prisma, origin.practiceId, idea.id, { id: a.manager.id, role: "MANAGER" }, { status: "PLANNED", text: "We will look at it.", targetDate: null, isPublic: true }, crypto.randomUUID());
    const afterResponse = await manager.agent.post(`/ideas/${idea.id}/publish`).type("form").send({ _csrf: manager.csrf, version: preview });
    expect(afterResponse.status).toBe(409);
  });

  it("does not let a viewer or facilitator publish", async () => {
    const idea = await createIdea(ctx.prisma, origin, { text: "Viewer tries" });
    const res = await viewer.agent.post(`/ideas/${idea.id}/publish`).type("form").send({ _csrf: viewer.csrf, version: String(idea.version) });
    expect(res.status).toBe(403);
    expect((await ctx.prisma.idea.findUniqueOrThrow({ where: { id: idea.id } })).publishedAt).toBeNull();
  });
});

describe("managers' corrections", () => {
  async function editPage(id: string) {
    const page = await manager.agent.get(`/ideas/${id}/edit`);
    expect(page.status).toBe(200);
    return hiddenField(page.text, "version");
  }

  it("corrects the text and theme, auditing each change with its previous value", async () => {
    const idea = await createIdea(ctx.prisma, origin, { text: "Originl text with a typo" });
    const version = await editPage(idea.id);
    const res = await manager.agent.post(`/ideas/${idea.id}/edit`).type("form").send({ _csrf: manager.csrf, version, text: "Original text, typo fixed", themeId: themes[2]!.id, consent: "PUBLIC" });
    expect(res.status).toBe(303);
    const after = await ctx.prisma.idea.findUniqueOrThrow({ where: { id: idea.id } });
    expect(after.text).toBe("Original text, typo fixed");
    expect(after.themeId).toBe(themes[2]!.id);
    const textAudit = await ctx.prisma.auditEvent.findFirstOrThrow({ where: { action: "idea.correct-text", entityId: idea.id } });
    expect(textAudit.details).toMatchObject({ previous: "Originl text with a typo", new: "Original text, typo fixed" });
    expect(textAudit.actorId).toBe(a.manager.id);
    const themeAudit = await ctx.prisma.auditEvent.findFirstOrThrow({ where: { action: "idea.correct-theme", entityId: idea.id } });
    expect(themeAudit.details).toMatchObject({ previous: themes[0]!.id, new: themes[2]!.id });
  });

  it("runs the identifying-details check on a corrected text: edit it or confirm it, and the confirmation is audited", async () => {
    const idea = await createIdea(ctx.prisma, origin, { text: "Longer waits at reception" });
    const version = await editPage(idea.id);
    const risky = "Longer waits at reception, ring 07700 900123";
    const res = await manager.agent.post(`/ideas/${idea.id}/edit`).type("form").send({ _csrf: manager.csrf, version, text: risky, themeId: idea.themeId, consent: "PUBLIC" });
    expect(res.status).toBe(400);
    expect(res.text).toContain("may identify someone");
    expect(res.text).toContain('<mark class="app-highlight">07700 900123');
    expect(res.text).toContain(risky); // input kept
    expect((await ctx.prisma.idea.findUniqueOrThrow({ where: { id: idea.id } })).text).toBe("Longer waits at reception");
    const confirm = res.text.match(/name="textConfirmSafe"[^>]*value="([^"]+)"/)![1]!;
    const ok = await manager.agent.post(`/ideas/${idea.id}/edit`).type("form").send({ _csrf: manager.csrf, version, text: risky, themeId: idea.themeId, consent: "PUBLIC", textConfirmSafe: confirm });
    expect(ok.status).toBe(303);
    expect((await ctx.prisma.idea.findUniqueOrThrow({ where: { id: idea.id } })).text).toBe(risky);
    const audit = await ctx.prisma.auditEvent.findFirstOrThrow({ where: { action: "idea.identifying-details-confirmed", entityId: idea.id } });
    expect(audit.details).toEqual({ kinds: ["phone"] });
  });

  it("saves a correction and the audit of its confirmed identifying details in one transaction: neither without the other", async () => {
    const idea = await createIdea(ctx.prisma, origin, { text: "Longer waits at the desk" });
    const version = await editPage(idea.id);
    const risky = "Longer waits at the desk, ring 07700 900456";
    const first = await manager.agent.post(`/ideas/${idea.id}/edit`).type("form").send({ _csrf: manager.csrf, version, text: risky, themeId: idea.themeId, consent: "PUBLIC" });
    const confirm = first.text.match(/name="textConfirmSafe"[^>]*value="([^"]+)"/)![1]!;
    // The confirmation's audit row cannot be written: the correction must not be saved either.
    await ctx.prisma.$executeRawUnsafe(`create function refuse_confirmation_audit() returns trigger language plpgsql as $$ begin
      if new.action = 'idea.identifying-details-confirmed' then raise exception 'audit refused (test)'; end if; return new; end $$`);
    await ctx.prisma.$executeRawUnsafe(`create trigger refuse_confirmation_audit before insert on "AuditEvent" for each row execute function refuse_confirmation_audit()`);
    try {
      const refused = await manager.agent.post(`/ideas/${idea.id}/edit`).type("form").send({ _csrf: manager.csrf, version, text: risky, themeId: idea.themeId, consent: "PUBLIC", textConfirmSafe: confirm });
      expect(refused.status).toBe(500);
    } finally {
      await ctx.prisma.$executeRawUnsafe(`drop trigger refuse_confirmation_audit on "AuditEvent"`);
      await ctx.prisma.$executeRawUnsafe(`drop function refuse_confirmation_audit()`);
    }
    expect((await ctx.prisma.idea.findUniqueOrThrow({ where: { id: idea.id } })).text).toBe("Longer waits at the desk");
    expect(await ctx.prisma.auditEvent.count({ where: { entityId: idea.id, action: { in: ["idea.correct-text", "idea.identifying-details-confirmed"] } } })).toBe(0);
    // With the audit writable again, the same confirmed form saves both.
    const ok = await manager.agent.post(`/ideas/${idea.id}/edit`).type("form").send({ _csrf: manager.csrf, version, text: risky, themeId: idea.themeId, consent: "PUBLIC", textConfirmSafe: confirm });
    expect(ok.status).toBe(303);
    expect((await ctx.prisma.idea.findUniqueOrThrow({ where: { id: idea.id } })).text).toBe(risky);
    expect(await ctx.prisma.auditEvent.count({ where: { entityId: idea.id, action: { in: ["idea.correct-text", "idea.identifying-details-confirmed"] } } })).toBe(2);
  });

  it("narrows consent; narrowing away from PUBLIC unpublishes", async () => {
    const idea = await createIdea(ctx.prisma, origin, { text: "Published then narrowed", publishedAt: new Date() });
    const version = await editPage(idea.id);
    const res = await manager.agent.post(`/ideas/${idea.id}/edit`).type("form").send({ _csrf: manager.csrf, version, text: idea.text, themeId: idea.themeId, consent: "GROUP_ONLY" });
    expect(res.status).toBe(303);
    const after = await ctx.prisma.idea.findUniqueOrThrow({ where: { id: idea.id } });
    expect(after.consent).toBe("GROUP_ONLY");
    expect(after.publishedAt).toBeNull();
    expect(after.publishedById).toBeNull();
    expect((await ctx.prisma.auditEvent.findFirstOrThrow({ where: { action: "idea.narrow-consent", entityId: idea.id } })).details).toMatchObject({ previous: "PUBLIC", new: "GROUP_ONLY" });
    expect(await ctx.prisma.auditEvent.count({ where: { action: "idea.unpublish", entityId: idea.id } })).toBe(1);
    // And further, to PRACTICE_ONLY.
    const v2 = await editPage(idea.id);
    const page = await manager.agent.get(`/ideas/${idea.id}/edit`);
    expect(page.text).not.toContain('value="PUBLIC"'); // wider choices are not offered
    await manager.agent.post(`/ideas/${idea.id}/edit`).type("form").send({ _csrf: manager.csrf, version: v2, text: idea.text, themeId: idea.themeId, consent: "PRACTICE_ONLY" });
    expect((await ctx.prisma.idea.findUniqueOrThrow({ where: { id: idea.id } })).consent).toBe("PRACTICE_ONLY");
  });

  it("refuses to widen consent, with a message, changing nothing", async () => {
    const idea = await createIdea(ctx.prisma, origin, { text: "Group only idea", consent: "GROUP_ONLY" });
    const version = await editPage(idea.id);
    const res = await manager.agent.post(`/ideas/${idea.id}/edit`).type("form").send({ _csrf: manager.csrf, version, text: "Changed text too", themeId: idea.themeId, consent: "PUBLIC" });
    expect(res.status).toBe(400);
    expect(res.text).toContain("Consent can only be narrowed");
    expect(res.text).toContain("Changed text too"); // input kept
    expect(await ctx.prisma.idea.findUniqueOrThrow({ where: { id: idea.id } })).toEqual(idea);
    expect(await ctx.prisma.auditEvent.count({ where: { entityId: idea.id } })).toBe(0);
  });

  it("refuses an edit made on a stale page (someone else saved first)", async () => {
    const idea = await createIdea(ctx.prisma, origin, { text: "Two managers edit" });
    const version = await editPage(idea.id);
    const first = await manager.agent.post(`/ideas/${idea.id}/edit`).type("form").send({ _csrf: manager.csrf, version, text: "First manager's text", themeId: idea.themeId, consent: "PUBLIC" });
    expect(first.status).toBe(303);
    const second = await manager.agent.post(`/ideas/${idea.id}/edit`).type("form").send({ _csrf: manager.csrf, version, text: "Second manager's text", themeId: idea.themeId, consent: "PUBLIC" });
    expect(second.status).toBe(409);
    expect(second.text).toContain("Someone else changed this idea");
    expect(second.text).toContain("Second manager&#39;s text");
    expect((await ctx.prisma.idea.findUniqueOrThrow({ where: { id: idea.id } })).text).toBe("First manager's text");
  });

  it("validates the correction: empty or overlong text, unknown or other practice's theme, missing consent", async () => {
    const idea = await createIdea(ctx.prisma, origin, { text: "Validate me" });
    const version = await editPage(idea.id);
    const tb = await ctx.prisma.theme.findFirstOrThrow({ where: { practiceId: b.practice.id } });
    const cases: [Record<string, string>, string, number][] = [
      [{ text: "  ", themeId: idea.themeId, consent: "PUBLIC" }, "Enter the idea in the participants", 400],
      [{ text: "x".repeat(2001), themeId: idea.themeId, consent: "PUBLIC" }, "2,000 characters or fewer", 400],
      [{ text: "Kept text", themeId: "nope", consent: "PUBLIC" }, "Select a theme", 400],
      [{ text: "Kept text", themeId: tb.id, consent: "PUBLIC" }, "Select a theme from the list", 400],
      [{ text: "Kept text", themeId: idea.themeId }, "Select what the group consented to share", 400],
      [{ text: "Kept text", themeId: idea.themeId, consent: "PUBLIC", version: "" }, "Reload the page and try again", 400],
      [{ text: "Kept text", themeId: idea.themeId, consent: "PUBLIC", version: "yesterday" }, "Someone else changed this idea", 409],
    ];
    for (const [body, message, status] of cases) {
      const res = await manager.agent.post(`/ideas/${idea.id}/edit`).type("form").send({ _csrf: manager.csrf, version, ...body });
      expect(res.status, message).toBe(status);
      expect(res.text).toContain(message);
      expect(res.text).toContain("There is a problem");
    }
    expect(await ctx.prisma.idea.findUniqueOrThrow({ where: { id: idea.id } })).toEqual(idea);
  });
});

describe("overdue on the dashboard", () => {
  it("counts ideas with no response past the practice's own deadline, oldest first", async () => {
    const p = await createPracticeWithStaff(ctx.prisma, "Deadline practice");
    await ctx.prisma.practice.update({ where: { id: p.practice.id }, data: { responseDeadlineDays: 14 } });
    const deadlineDays = (await ctx.prisma.practice.findUniqueOrThrow({ where: { id: p.practice.id } })).responseDeadlineDays;
    const theme = await ctx.prisma.theme.findFirstOrThrow({ where: { practiceId: p.practice.id } });
    // dueAt = session end + the practice's deadline, as set when an idea is created.
    const make = async (endedDaysAgo: number, text: string, answered = false) => {
      const { group, session } = await createGroupAndSession(ctx.prisma, p, { endsAt: new Date(Date.now() - endedDaysAgo * DAY) });
      return createIdea(ctx.prisma, { practiceId: p.practice.id, sessionId: session.id, groupId: group.id, themeId: theme.id }, {
        text, dueAt: new Date(session.endsAt.getTime() + deadlineDays * DAY), firstResponseAt: answered ? new Date() : null,
      });
    };
    await make(20, "Twenty days: overdue with a 14-day deadline");
    await make(30, "Thirty days: the oldest overdue");
    await make(10, "Ten days: not yet due");
    await make(40, "Forty days but answered", true);
    const d = await dashboardFor(ctx.prisma, { practiceId: p.practice.id, userId: p.manager.id, role: "MANAGER" });
    expect(d.overdueCount).toBe(2);
    expect(d.overdue.map((i) => i.text)).toEqual(["Thirty days: the oldest overdue", "Twenty days: overdue with a 14-day deadline"]);
    const m = await signInAs(ctx.app, p.manager.email, p.manager.password);
    const page = await m.agent.get("/dashboard");
    expect(page.text).toContain("2 ideas have had no response within the deadline");
    // The same rule on /ideas.
    const list = await m.agent.get("/ideas?overdue=yes");
    expect(list.text).toContain("2 ideas match");
  });
});

describe("the dashboard's upcoming sessions", () => {
  it("keep a session under way until it ends, marked so, for the manager and its facilitator", async () => {
    const p = await createPracticeWithStaff(ctx.prisma, "Session under way");
    // Started an hour ago, ends in an hour: not yet an outcome to log, so it must stay on the upcoming list.
    const { session } = await createGroupAndSession(ctx.prisma, p, { endsAt: new Date(Date.now() + 3600 * 1000), status: "SCHEDULED" });
    for (const who of [p.manager, p.facilitator]) {
      const { agent } = await signInAs(ctx.app, who.email, who.password);
      const page = (await agent.get("/dashboard")).text;
      const upcoming = page.slice(page.indexOf("Upcoming sessions"), page.indexOf("Outcomes to log"));
      expect(upcoming).toContain(`/sessions/${session.id}`);
      expect(upcoming).toContain("Under way");
    }
  });
});

describe("the practice's response deadline", () => {
  it("a manager changes it (audited with the previous value); new due dates use it", async () => {
    const p = await createPracticeWithStaff(ctx.prisma, "Deadline setting");
    const m = await signInAs(ctx.app, p.manager.email, p.manager.password);
    const page = await m.agent.get("/ideas/deadline");
    expect(page.status).toBe(200);
    expect(page.text).toContain('value="28"');
    expect((await m.agent.get("/ideas")).text).toContain("due a first response 28 days after its session");
    const res = await m.agent.post("/ideas/deadline").type("form").send({ _csrf: m.csrf, responseDeadlineDays: "14" });
    expect(res.status).toBe(303);
    expect((await ctx.prisma.practice.findUniqueOrThrow({ where: { id: p.practice.id } })).responseDeadlineDays).toBe(14);
    const audit = await ctx.prisma.auditEvent.findFirstOrThrow({ where: { practiceId: p.practice.id, action: "practice.response-deadline" } });
    expect(audit.details).toMatchObject({ previous: 28, new: 14 });
    expect(audit.actorId).toBe(p.manager.id);
    expect((await m.agent.get("/ideas")).text).toContain("due a first response 14 days after its session");
  });

  it("refuses a deadline that is not a whole number from 1 to 365, keeping the input, changing nothing", async () => {
    const p = await createPracticeWithStaff(ctx.prisma, "Deadline bad input");
    const m = await signInAs(ctx.app, p.manager.email, p.manager.password);
    const cases: [string, string][] = [["", "Enter the number of days"], ["abc", "whole number of days"], ["7.5", "whole number of days"], ["0", "at least 1 day"], ["400", "365 days or fewer"], ["-3", "whole number of days"]];
    for (const [value, message] of cases) {
      const res = await m.agent.post("/ideas/deadline").type("form").send({ _csrf: m.csrf, responseDeadlineDays: value });
      expect(res.status, value).toBe(400);
      expect(res.text).toContain(message);
      if (value) expect(res.text).toContain(`value="${value}"`);
    }
    expect((await ctx.prisma.practice.findUniqueOrThrow({ where: { id: p.practice.id } })).responseDeadlineDays).toBe(28);
    expect(await ctx.prisma.auditEvent.count({ where: { practiceId: p.practice.id, action: "practice.response-deadline" } })).toBe(0);
    const v = await signInAs(ctx.app, p.viewer.email, p.viewer.password);
    expect((await v.agent.post("/ideas/deadline").type("form").send({ _csrf: v.csrf, responseDeadlineDays: "7" })).status).toBe(403);
    expect((await ctx.prisma.practice.findUniqueOrThrow({ where: { id: p.practice.id } })).responseDeadlineDays).toBe(28);
  });
});
