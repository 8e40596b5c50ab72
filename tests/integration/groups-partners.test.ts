import crypto from "node:crypto";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { signInAs } from "../helpers/app.js";
import { withPractice } from "../helpers/with-practice.js";
import { makeGroup } from "../helpers/sessions.js";

const { ctx, a, b, manager } = withPractice({ practices: ["GP A", "GP B"], signIn: ["manager"] });

const post = (url: string, body: Record<string, unknown>) => manager.agent.post(url).type("form").send({ _csrf: manager.csrf, ...body });

describe("partner organisations", () => {
  it("creates, lists, edits, archives and restores, with an audit trail", async () => {
    const created = await post("/partners", { formId: crypto.randomUUID(), name: "Recovery Together", contactName: "Ali", contactEmail: "ali@recovery.example", contactPhone: "01632 960 001", notes: "Weekly drop-in" });
    expect(created.status).toBe(303);
    const p = await ctx.prisma.partnerOrganisation.findFirstOrThrow({ where: { practiceId: a.practice.id, name: "Recovery Together" } });
    expect(p.contactEmail).toBe("ali@recovery.example");
    expect((await manager.agent.get("/partners")).text).toContain("Recovery Together");

    expect((await post(`/partners/${p.id}/edit`, { name: "Recovery Together CIC", contactEmail: "" })).status).toBe(303);
    const edited = await ctx.prisma.partnerOrganisation.findUniqueOrThrow({ where: { id: p.id } });
    expect(edited.name).toBe("Recovery Together CIC");
    const audit = await ctx.prisma.auditEvent.findFirstOrThrow({ where: { action: "partner.update", entityId: p.id } });
    expect((audit.details as { previous: { name: string } }).previous.name).toBe("Recovery Together");

    expect((await post(`/partners/${p.id}/archive`, { action: "archive" })).status).toBe(303);
    expect((await ctx.prisma.partnerOrganisation.findUniqueOrThrow({ where: { id: p.id } })).archivedAt).not.toBeNull();
    expect((await manager.agent.get("/partners")).text).not.toContain("Recovery Together CIC</a>");
    expect((await manager.agent.get("/partners?archived=1")).text).toContain("Recovery Together CIC</a>");
    expect((await post(`/partners/${p.id}/archive`, { action: "unarchive" })).status).toBe(303);
    expect((await ctx.prisma.partnerOrganisation.findUniqueOrThrow({ where: { id: p.id } })).archivedAt).toBeNull();
  });

  it("refuses bad input with field errors, keeps it, and saves nothing", async () => {
    const before = await ctx.prisma.partnerOrganisation.count();
    const res = await post("/partners", { formId: crypto.randomUUID(), name: " ", contactEmail: "not-an-email", contactPhone: "call me", notes: "Kept notes" });
    expect(res.status).toBe(400);
    expect(res.text).toContain('href="#name"');
    expect(res.text).toContain("Enter the name of the partner organisation");
    expect(res.text).toContain("Enter an email address in the correct format");
    expect(res.text).toContain("Enter a phone number");
    expect(res.text).toContain('value="not-an-email"');
    expect(res.text).toContain("Kept notes");
    expect(await ctx.prisma.partnerOrganisation.count()).toBe(before);
  });

  it("saves once on a double submit", async () => {
    const body = { formId: crypto.randomUUID(), name: "Double partner" };
    await post("/partners", body);
    await post("/partners", body);
    expect(await ctx.prisma.partnerOrganisation.count({ where: { name: "Double partner" } })).toBe(1);
  });

  it("gives 404 for another practice's partner and changes nothing", async () => {
    const theirs = await ctx.prisma.partnerOrganisation.create({ data: { practiceId: b.practice.id, name: "B partner" } });
    expect((await manager.agent.get(`/partners/${theirs.id}/edit`)).status).toBe(404);
    expect((await post(`/partners/${theirs.id}/edit`, { name: "Taken" })).status).toBe(404);
    expect((await post(`/partners/${theirs.id}/archive`, { action: "archive" })).status).toBe(404);
    const after = await ctx.prisma.partnerOrganisation.findUniqueOrThrow({ where: { id: theirs.id } });
    expect([after.name, after.archivedAt]).toEqual(["B partner", null]);
    expect((await manager.agent.get(`/partners/not-a-uuid/edit`)).status).toBe(404);
  });

  it("paginates and ignores a bad page number", async () => {
    await ctx.prisma.partnerOrganisation.createMany({ data: Array.from({ length: 25 }, (_, i) => ({ practiceId: a.practice.id, name: `Zeta ${String(i).padStart(2, "0")}` })) });
    const one = await manager.agent.get("/partners");
    expect(one.text).not.toContain("Zeta 24");
    expect(one.text).toContain('href="/partners?page=2"');
    expect((await manager.agent.get("/partners?page=2")).text).toContain("Zeta 24");
    expect((await manager.agent.get("/partners?page=abc")).status).toBe(200);
  });
});

describe("community groups", () => {
  it("creates a group with its partner and languages, edits and archives it", async () => {
    const partner = await ctx.prisma.partnerOrganisation.create({ data: { practiceId: a.practice.id, name: "Traveller Movement" } });
    const res = await post("/groups", {
      formId: crypto.randomUUID(), name: "Traveller women", partnerId: partner.id, description: "Monthly meet-up", languages: "English,  Romani , english,",
      accessNeeds: "Site visits preferred", usualTimes: "Weekday afternoons", usualVenue: "The site community room",
    });
    expect(res.status).toBe(303);
    const g = await ctx.prisma.communityGroup.findFirstOrThrow({ where: { practiceId: a.practice.id, name: "Traveller women" } });
    expect(res.headers.location).toBe(`/groups/${g.id}`);
    expect(g.languages).toEqual(["English", "Romani"]);
    expect(g.partnerId).toBe(partner.id);
    expect(g.linkToken).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const edit = await manager.agent.get(`/groups/${g.id}/edit`);
    expect(edit.text).toContain(`/g/${g.linkToken}`);
    expect(edit.text).toContain('value="English, Romani"');

    expect((await post(`/groups/${g.id}/edit`, { name: "Traveller women's group", partnerId: "", languages: "English" })).status).toBe(303);
    const edited = await ctx.prisma.communityGroup.findUniqueOrThrow({ where: { id: g.id } });
    expect([edited.name, edited.partnerId, edited.languages]).toEqual(["Traveller women's group", null, ["English"]]);
    expect(edited.linkToken).toBe(g.linkToken);

    expect((await post(`/groups/${g.id}/archive`, { action: "archive" })).status).toBe(303);
    expect((await ctx.prisma.communityGroup.findUniqueOrThrow({ where: { id: g.id } })).archivedAt).not.toBeNull();
    // Not offered for new sessions while archived.
    expect((await manager.agent.get("/sessions/new")).text).not.toContain(`value="${g.id}"`);
    expect((await manager.agent.get("/groups")).text).not.toContain("Traveller women&#39;s group</a>");
    expect((await manager.agent.get("/groups?archived=1")).text).toContain("Traveller women&#39;s group</a>");
    expect((await post(`/groups/${g.id}/archive`, { action: "unarchive" })).status).toBe(303);
    expect((await ctx.prisma.communityGroup.findUniqueOrThrow({ where: { id: g.id } })).archivedAt).toBeNull();
  });

  it("refuses another practice's partner and bad input, keeping what was typed", async () => {
    const theirs = await ctx.prisma.partnerOrganisation.create({ data: { practiceId: b.practice.id, name: "B's partner" } });
    const before = await ctx.prisma.communityGroup.count();
    const res = await post("/groups", { formId: crypto.randomUUID(), name: "Kept name", partnerId: theirs.id, languages: "Polish" });
    expect(res.status).toBe(400);
    expect(res.text).toContain('href="#partnerId"');
    expect(res.text).toContain("Select a partner organisation from the list");
    expect(res.text).toContain('value="Kept name"');
    expect(res.text).toContain('value="Polish"');
    const empty = await post("/groups", { formId: crypto.randomUUID(), name: "" });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain("Enter the name of the group");
    expect(await ctx.prisma.communityGroup.count()).toBe(before);
  });

  it("rotates the private link: the old token is gone at once, the new one is shown, the audit log holds no token", async () => {
    const g = await makeGroup(ctx.prisma, a.practice.id, { name: "Rotating group" });
    const refused = await post(`/groups/${g.id}/link`, {});
    expect(refused.status).toBe(400);
    expect(refused.text).toContain("Confirm that you want a new private link");
    expect((await ctx.prisma.communityGroup.findUniqueOrThrow({ where: { id: g.id } })).linkToken).toBe(g.linkToken);

    const res = await post(`/groups/${g.id}/link`, { confirm: "rotate" });
    expect(res.status).toBe(303);
    const after = await ctx.prisma.communityGroup.findUniqueOrThrow({ where: { id: g.id } });
    expect(after.linkToken).not.toBe(g.linkToken);
    expect(await ctx.prisma.communityGroup.count({ where: { linkToken: g.linkToken } })).toBe(0);
    const page = await manager.agent.get(`/groups/${g.id}/edit`);
    expect(page.text).toContain(`/g/${after.linkToken}`);
    expect(page.text).not.toContain(g.linkToken);
    const audit = await ctx.prisma.auditEvent.findFirstOrThrow({ where: { action: "group.rotate-link", entityId: g.id } });
    expect(JSON.stringify(audit.details)).not.toContain(after.linkToken);
    expect(JSON.stringify(audit.details)).not.toContain(g.linkToken);
  });

  it("saves a confirmed name and its confirmation's audit row in one transaction: a failing audit write saves neither", async () => {
    const risky = "Mrs Ahmed's group 07700 900123";
    const g = await makeGroup(ctx.prisma, a.practice.id, { name: "Plain name" });
    const createBody = { formId: crypto.randomUUID(), name: risky, partnerId: "", languages: "" };
    const editBody = { name: risky, partnerId: "", languages: "" };
    const confirmIn = (html: string) => html.match(/name="nameConfirmSafe"[^>]*value="([^"]+)"/)![1]!;
    const createConfirm = confirmIn((await post("/groups", createBody)).text);
    const editConfirm = confirmIn((await post(`/groups/${g.id}/edit`, editBody)).text);
    const confirmations = () => ctx.prisma.auditEvent.count({ where: { practiceId: a.practice.id, action: "group.identifying-details-confirmed" } });
    const before = await confirmations();
    await ctx.prisma.$executeRawUnsafe(`create function refuse_group_confirmation() returns trigger language plpgsql as $$ begin
      if new.action = 'group.identifying-details-confirmed' then raise exception 'audit refused (test)'; end if; return new; end $$`);
    await ctx.prisma.$executeRawUnsafe(`create trigger refuse_group_confirmation before insert on "AuditEvent" for each row execute function refuse_group_confirmation()`);
    try {
      expect((await post("/groups", { ...createBody, nameConfirmSafe: createConfirm })).status).toBe(500);
      expect((await post(`/groups/${g.id}/edit`, { ...editBody, nameConfirmSafe: editConfirm })).status).toBe(500);
    } finally {
      await ctx.prisma.$executeRawUnsafe(`drop trigger refuse_group_confirmation on "AuditEvent"`);
      await ctx.prisma.$executeRawUnsafe(`drop function refuse_group_confirmation()`);
    }
    expect(await ctx.prisma.communityGroup.count({ where: { practiceId: a.practice.id, name: risky } })).toBe(0);
    expect((await ctx.prisma.communityGroup.findUniqueOrThrow({ where: { id: g.id } })).name).toBe("Plain name");
    expect(await ctx.prisma.auditEvent.count({ where: { action: { in: ["group.create", "group.update"] }, details: { path: ["name"], equals: risky } } })).toBe(0);
    expect(await ctx.prisma.auditEvent.count({ where: { entityId: g.id, action: "group.update" } })).toBe(0);
    expect(await confirmations()).toBe(before);
    // With the audit writable again, the same confirmed forms save the group and its confirmation together.
    const created = await post("/groups", { ...createBody, nameConfirmSafe: createConfirm });
    expect(created.status).toBe(303);
    expect((await post(`/groups/${g.id}/edit`, { ...editBody, nameConfirmSafe: editConfirm })).status).toBe(303);
    expect(await ctx.prisma.communityGroup.count({ where: { practiceId: a.practice.id, name: risky } })).toBe(2);
    expect(await confirmations()).toBe(before + 2);
    expect(await ctx.prisma.auditEvent.count({ where: { entityId: g.id, action: { in: ["group.update", "group.identifying-details-confirmed"] } } })).toBe(2);
  });

  it("saves once on a double submit", async () => {
    const body = { formId: crypto.randomUUID(), name: "Double group" };
    const first = await post("/groups", body);
    const second = await post("/groups", body);
    expect(second.headers.location).toBe(first.headers.location);
    expect(await ctx.prisma.communityGroup.count({ where: { name: "Double group" } })).toBe(1);
  });

  it("gives 404 for another practice's group and never rotates its link", async () => {
    const theirs = await makeGroup(ctx.prisma, b.practice.id, { name: "B group" });
    expect((await manager.agent.get(`/groups/${theirs.id}/edit`)).status).toBe(404);
    expect((await post(`/groups/${theirs.id}/link`, { confirm: "rotate" })).status).toBe(404);
    expect((await post(`/groups/${theirs.id}/archive`, { action: "archive" })).status).toBe(404);
    const after = await ctx.prisma.communityGroup.findUniqueOrThrow({ where: { id: theirs.id } });
    expect([after.linkToken, after.archivedAt]).toEqual([theirs.linkToken, null]);
  });

  it("is for managers only", async () => {
    const facilitator = await signInAs(ctx.app, a.facilitator.email, a.facilitator.password);
    expect((await facilitator.agent.get("/groups")).status).toBe(403);
    expect((await request(ctx.app).get("/groups")).status).toBe(303);
  });

  it("offers a planning link that proposes the group's defaults", async () => {
    const g = await makeGroup(ctx.prisma, a.practice.id, { name: "Aardvark group", usualVenue: "Library" });
    const list = await manager.agent.get("/groups");
    expect(list.text).toContain(`href="/sessions/new?groupId=${g.id}"`);
  });
});
