// Every text that can reach a public page, a group board, a poster or a feed
// goes through the identifying-details check (lib/text-check.ts
// PUBLIC_TEXT_FIELDS): each form that writes one is refused with the
// highlighted details until the writer confirms with the token the server
// issued (a hash the client could compute is refused), and the confirmation
// is audited. Also: bidi controls are never stored, and a correction that
// removed identifying details does not keep them in the audit log.
import crypto from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { PUBLIC_TEXT_FIELDS } from "../../src/lib/text-check.js";
import { withPractice } from "../helpers/with-practice.js";
import { createGroupAndSession } from "../helpers/fixtures.js";
import { confirmValueIn, ideaFields, openOutcomeForm } from "../helpers/outcomes.js";
import { createIdea } from "../helpers/public.js";

const RISKY = "Please ring Mrs Ahmed on 07700 900123 or email amina@example.com";

const { ctx, a: f, manager } = withPractice({ practices: ["Text check"], signIn: ["manager"] });
let themeId: string;
let groupId: string;
let origin: { practiceId: string; sessionId: string; groupId: string; themeId: string };

beforeAll(async () => {
  const g = await createGroupAndSession(ctx.prisma, f);
  groupId = g.group.id;
  themeId = (await ctx.prisma.theme.findFirstOrThrow({ where: { practiceId: f.practice.id }, orderBy: { position: "asc" } })).id;
  origin = { practiceId: f.practice.id, sessionId: g.session.id, groupId, themeId };
});

interface Case {
  /** As listed in PUBLIC_TEXT_FIELDS. */
  form: string;
  /** Prepare, and give the URL and the fields of a post whose checked field holds `text`. */
  setup: () => Promise<{ url: string; fields: (text: string) => Record<string, string>; confirmName: string; saved: () => Promise<boolean>; audit: string }>;
}

async function freshOutcomeSession() {
  const g = await createGroupAndSession(ctx.prisma, f, { status: "SCHEDULED" });
  const { submissionId } = await openOutcomeForm(manager.agent, g.session.id);
  return { sessionId: g.session.id, submissionId };
}

const cases: Case[] = [
  {
    form: "POST /ideas/:id/responses/:responseId/translations text",
    async setup() {
      const idea = await createIdea(ctx.prisma, { ...origin, text: "Letters in Arabic", consent: "PUBLIC", responses: [{ status: "PLANNED", text: "We will translate letters" }] });
      const response = await ctx.prisma.response.findFirstOrThrow({ where: { ideaId: idea.id } });
      const url = `/ideas/${idea.id}/responses/${response.id}/translations`;
      const formId = (await manager.agent.get(url)).text.match(/name="formId" value="([^"]+)"/)![1]!;
      return {
        url,
        fields: (text) => ({ formId, language: "ar", role: "INTERPRETER", text }),
        confirmName: "textConfirmSafe",
        saved: async () => (await ctx.prisma.responseTranslation.count({ where: { responseId: response.id, text: RISKY } })) === 1,
        audit: "translation.identifying-details-confirmed",
      };
    },
  },
  {
    form: "POST /sessions/:id/outcome verdicts[ideaId][words]",
    async setup() {
      // An idea answered since the group's last session, on the report-back list of its next one.
      const g = await createGroupAndSession(ctx.prisma, f, { status: "HELD", endsAt: new Date(Date.now() - 10 * 864e5) });
      const idea = await createIdea(ctx.prisma, { ...origin, sessionId: g.session.id, groupId: g.group.id, text: "Interpreters on Mondays", consent: "PUBLIC", ageDays: 9,
        responses: [{ status: "PLANNED", text: "We will book them", daysAgo: 2 }] });
      const next = await ctx.prisma.communitySession.create({
        data: { practiceId: f.practice.id, groupId: g.group.id, title: "Next", startsAt: new Date(Date.now() - 3 * 3600e3), endsAt: new Date(Date.now() - 3600e3), status: "SCHEDULED" },
      });
      const { submissionId } = await openOutcomeForm(manager.agent, next.id);
      return {
        url: `/sessions/${next.id}/outcome`,
        fields: (text) => ({ submissionId, action: "save", attendanceCount: "7", themesDiscussed: "", processReflection: "", privateReflections: "",
          [`verdicts[${idea.id}][kind]`]: "NOT_YET", [`verdicts[${idea.id}][words]`]: text }),
        confirmName: `verdicts[${idea.id}][confirmSafe]`,
        saved: async () => (await ctx.prisma.verdict.count({ where: { sessionId: next.id, words: RISKY } })) === 1,
        audit: "verdict.identifying-details-confirmed",
      };
    },
  },
  {
    form: "POST /sessions/:id/outcome ideas[n][text]",
    async setup() {
      const { sessionId, submissionId } = await freshOutcomeSession();
      return {
        url: `/sessions/${sessionId}/outcome`,
        fields: (text) => ({ submissionId, action: "save", attendanceCount: "7", themesDiscussed: "", processReflection: "", privateReflections: "", ...ideaFields([{ text, themeId, support: "3", consent: "PUBLIC" }]) }),
        confirmName: "ideas[0][confirmSafe]",
        saved: async () => (await ctx.prisma.idea.count({ where: { sessionId, text: RISKY } })) === 1,
        audit: "outcome.identifying-details-confirmed",
      };
    },
  },
  {
    form: "POST /sessions/:id/outcome themesDiscussed",
    async setup() {
      const { sessionId, submissionId } = await freshOutcomeSession();
      return {
        url: `/sessions/${sessionId}/outcome`,
        fields: (text) => ({ submissionId, action: "save", attendanceCount: "7", themesDiscussed: text, processReflection: "", privateReflections: "", ...ideaFields([{ text: "A quiet room", themeId, support: "3", consent: "PUBLIC" }]) }),
        confirmName: "themesConfirmSafe",
        saved: async () => (await ctx.prisma.sessionOutcome.count({ where: { sessionId, themesDiscussed: RISKY, isDraft: false } })) === 1,
        audit: "outcome.identifying-details-confirmed",
      };
    },
  },
  {
    form: "POST /ideas/:id/edit text",
    async setup() {
      const idea = await createIdea(ctx.prisma, { ...origin, text: "Longer waits at reception", consent: "PUBLIC" });
      const fresh = await ctx.prisma.idea.findUniqueOrThrow({ where: { id: idea.id } });
      return {
        url: `/ideas/${idea.id}/edit`,
        fields: (text) => ({ version: String(fresh.version), text, themeId, consent: "PUBLIC" }),
        confirmName: "textConfirmSafe",
        saved: async () => (await ctx.prisma.idea.findUniqueOrThrow({ where: { id: idea.id } })).text === RISKY,
        audit: "idea.identifying-details-confirmed",
      };
    },
  },
  {
    form: "POST /ideas/:id/responses text",
    async setup() {
      const idea = await createIdea(ctx.prisma, { ...origin, text: "Longer waits", consent: "PUBLIC", published: true });
      const formId = crypto.randomUUID();
      return {
        url: `/ideas/${idea.id}/responses`,
        fields: (text) => ({ formId, action: "save", status: "PLANNED", text, isPublic: "yes" }),
        confirmName: "textConfirmSafe",
        saved: async () => (await ctx.prisma.response.count({ where: { ideaId: idea.id, text: RISKY } })) === 1,
        audit: "response.identifying-details-confirmed",
      };
    },
  },
  {
    form: "POST /themes name",
    async setup() {
      const name = `${RISKY} ${crypto.randomBytes(2).toString("hex")}`;
      return {
        url: "/themes",
        fields: (text) => ({ name: text === RISKY ? name : text, formId: crypto.randomUUID() }),
        confirmName: "nameConfirmSafe",
        saved: async () => (await ctx.prisma.theme.count({ where: { practiceId: f.practice.id, name } })) === 1,
        audit: "theme.identifying-details-confirmed",
      };
    },
  },
  {
    form: "POST /themes/:id/edit name",
    async setup() {
      const theme = await ctx.prisma.theme.create({ data: { practiceId: f.practice.id, name: `Plain ${crypto.randomBytes(3).toString("hex")}`, position: 99 } });
      return {
        url: `/themes/${theme.id}/edit`,
        fields: (text) => ({ name: text }),
        confirmName: "nameConfirmSafe",
        saved: async () => (await ctx.prisma.theme.findUniqueOrThrow({ where: { id: theme.id } })).name === RISKY,
        audit: "theme.identifying-details-confirmed",
      };
    },
  },
  {
    form: "POST /groups name",
    async setup() {
      return {
        url: "/groups",
        fields: (text) => ({ name: text, partnerId: "", description: "", languages: "", accessNeeds: "", usualTimes: "", usualVenue: "" }),
        confirmName: "nameConfirmSafe",
        saved: async () => (await ctx.prisma.communityGroup.count({ where: { practiceId: f.practice.id, name: RISKY } })) >= 1,
        audit: "group.identifying-details-confirmed",
      };
    },
  },
  {
    form: "POST /groups/:id/edit name",
    async setup() {
      const g = await createGroupAndSession(ctx.prisma, f);
      await ctx.prisma.communityGroup.update({ where: { id: g.group.id }, data: { name: "Plain group" } });
      return {
        url: `/groups/${g.group.id}/edit`,
        fields: (text) => ({ name: text, partnerId: g.partner.id, description: "", languages: "", accessNeeds: "", usualTimes: "", usualVenue: "" }),
        confirmName: "nameConfirmSafe",
        saved: async () => (await ctx.prisma.communityGroup.findUniqueOrThrow({ where: { id: g.group.id } })).name === RISKY,
        audit: "group.identifying-details-confirmed",
      };
    },
  },
];

describe("the identifying-details check on every public text", () => {
  it("has a case here for every form of every public text (PUBLIC_TEXT_FIELDS)", () => {
    const listed = PUBLIC_TEXT_FIELDS.flatMap((x) => [...x.forms]).sort();
    expect(cases.map((c) => c.form).sort()).toEqual(listed);
  });

  for (const c of cases) {
    it(`${c.form}: refused until confirmed with the server's token; the confirmation is audited`, async () => {
      const s = await c.setup();
      const before = await ctx.prisma.auditEvent.count({ where: { action: s.audit } });
      const post = (extra: Record<string, string> = {}) => manager.agent.post(s.url).type("form").send({ _csrf: manager.csrf, ...s.fields(RISKY), ...extra });
      const refused = await post();
      expect(refused.status, refused.text.slice(0, 300)).toBe(400);
      expect(refused.text).toContain("This may identify someone");
      expect(refused.text).toContain('<mark class="app-highlight">07700 900123');
      expect(refused.text).toContain('<mark class="app-highlight">amina@example.com');
      expect(refused.text).toContain('<mark class="app-highlight">Mrs Ahmed');
      expect(await s.saved()).toBe(false);
      // A hash anyone could compute from the text is not a confirmation.
      for (const guess of [crypto.createHash("sha256").update(RISKY).digest("hex").slice(0, 20), "yes", "on"]) {
        expect((await post({ [s.confirmName]: guess })).status).toBe(400);
        expect(await s.saved()).toBe(false);
      }
      const token = confirmValueIn(refused.text, s.confirmName);
      const ok = await post({ [s.confirmName]: token });
      expect(ok.status, ok.text.slice(0, 300)).toBe(303);
      expect(await s.saved()).toBe(true);
      expect(await ctx.prisma.auditEvent.count({ where: { action: s.audit } })).toBe(before + 1);
      const audit = await ctx.prisma.auditEvent.findFirstOrThrow({ where: { action: s.audit }, orderBy: { createdAt: "desc" } });
      expect(JSON.stringify(audit.details)).not.toContain("07700");
    });
  }

  it("lets a staff-only response through without asking", async () => {
    const idea = await createIdea(ctx.prisma, { ...origin, text: "Staff only answer", consent: "PUBLIC" });
    const res = await manager.agent.post(`/ideas/${idea.id}/responses`).type("form")
      .send({ _csrf: manager.csrf, formId: crypto.randomUUID(), action: "save", status: "PLANNED", text: RISKY, isPublic: "no" });
    expect(res.status).toBe(303);
  });

  it("never stores bidirectional control characters", async () => {
    const res = await manager.agent.post("/themes").type("form").send({ _csrf: manager.csrf, name: "Waiting \u202Etimes\u202C\u2066 here\u2069", formId: crypto.randomUUID() });
    expect(res.status).toBe(303);
    const theme = await ctx.prisma.theme.findFirstOrThrow({ where: { practiceId: f.practice.id, name: { startsWith: "Waiting" } } });
    expect(theme.name).toBe("Waiting times here");
  });

  it("does not keep removed identifying details in the audit log's previous value", async () => {
    const idea = await createIdea(ctx.prisma, { ...origin, text: RISKY, consent: "PUBLIC" });
    const fresh = await ctx.prisma.idea.findUniqueOrThrow({ where: { id: idea.id } });
    const res = await manager.agent.post(`/ideas/${idea.id}/edit`).type("form")
      .send({ _csrf: manager.csrf, version: String(fresh.version), text: "Please ring the practice", themeId, consent: "PUBLIC" });
    expect(res.status).toBe(303);
    const audit = await ctx.prisma.auditEvent.findFirstOrThrow({ where: { action: "idea.correct-text", entityId: idea.id } });
    const details = JSON.stringify(audit.details);
    for (const detail of ["07700", "amina@example.com", "Ahmed"]) expect(details).not.toContain(detail);
    expect(details).toContain("[a phone number removed]");
  });
});

describe("names written in Ukrainian and Arabic", () => {
  it("asks about a response translation naming someone in Ukrainian, saves nothing until confirmed, then saves it once", async () => {
    const idea = await createIdea(ctx.prisma, { ...origin, text: "Letters in Ukrainian", consent: "PUBLIC", published: true, responses: [{ status: "PLANNED", text: "We will translate letters" }] });
    const response = await ctx.prisma.response.findFirstOrThrow({ where: { ideaId: idea.id } });
    const url = `/ideas/${idea.id}/responses/${response.id}/translations`;
    const formId = (await manager.agent.get(url)).text.match(/name="formId" value="([^"]+)"/)![1]!;
    const text = "Листи перекладе пані Оксани Коваленко";
    const body = { _csrf: manager.csrf, formId, language: "uk", role: "INTERPRETER", text };
    const refused = await manager.agent.post(url).type("form").send(body);
    expect(refused.status).toBe(400);
    expect(refused.text).toContain("may identify someone");
    expect(refused.text).toContain('<mark class="app-highlight">пані Оксани Коваленко');
    expect(refused.text).toContain(text); // input kept
    expect(await ctx.prisma.responseTranslation.count({ where: { responseId: response.id } })).toBe(0);
    const token = confirmValueIn(refused.text, "textConfirmSafe");
    for (let i = 0; i < 2; i++) expect((await manager.agent.post(url).type("form").send({ ...body, textConfirmSafe: token })).status).toBe(303);
    expect(await ctx.prisma.responseTranslation.count({ where: { responseId: response.id, text } })).toBe(1);
  });

  it("asks about an idea correction naming someone in Arabic, keeps the old text until confirmed", async () => {
    const idea = await createIdea(ctx.prisma, { ...origin, text: "Longer waits at reception", consent: "PUBLIC" });
    const version = String((await ctx.prisma.idea.findUniqueOrThrow({ where: { id: idea.id } })).version);
    const text = "أخي محمد يقول إن الانتظار طويل";
    const body = { _csrf: manager.csrf, version, text, themeId, consent: "PUBLIC" };
    const refused = await manager.agent.post(`/ideas/${idea.id}/edit`).type("form").send(body);
    expect(refused.status).toBe(400);
    expect(refused.text).toContain("may identify someone");
    expect(refused.text).toContain('<mark class="app-highlight">أخي محمد');
    expect(refused.text).toContain(text);
    expect((await ctx.prisma.idea.findUniqueOrThrow({ where: { id: idea.id } })).text).toBe("Longer waits at reception");
    const ok = await manager.agent.post(`/ideas/${idea.id}/edit`).type("form").send({ ...body, textConfirmSafe: confirmValueIn(refused.text, "textConfirmSafe") });
    expect(ok.status).toBe(303);
    expect((await ctx.prisma.idea.findUniqueOrThrow({ where: { id: idea.id } })).text).toBe(text);
  });

  it("saves a plain Ukrainian or Arabic correction straight away", async () => {
    for (const text of ["Мій брат каже, що запис на прийом через телефон важко", "أخي يقول إن حجز المواعيد عبر الهاتف صعب"]) {
      const idea = await createIdea(ctx.prisma, { ...origin, text: "Longer waits", consent: "PUBLIC" });
      const version = String((await ctx.prisma.idea.findUniqueOrThrow({ where: { id: idea.id } })).version);
      const ok = await manager.agent.post(`/ideas/${idea.id}/edit`).type("form").send({ _csrf: manager.csrf, version, text, themeId, consent: "PUBLIC" });
      expect(ok.status, text).toBe(303);
    }
  });
});
