// /users, /invitations/:token, /account/password and /audit: every rule and
// every bad input, against a real database.
import crypto from "node:crypto";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { createTestContext, csrfTokenIn, signInAs } from "../helpers/app.js";
import { withPractice } from "../helpers/with-practice.js";
import { createPracticeWithStaff, PASSWORD } from "../helpers/fixtures.js";
import { databaseFingerprint, invitationLinkIn, mainOf, makeInvitation, summaryErrors } from "../helpers/users.js";
import { LAST_MANAGER } from "../../src/features/users/service.js";
import { addUserToPractice } from "../../src/features/practices/service.js";

const { ctx, a, b } = withPractice({ env: { PUBLIC_URL: "https://ppg.example.nhs.uk" }, practices: ["Practice A", "Practice B"] });

const uniqueEmail = (label: string) => `${label}-${crypto.randomBytes(4).toString("hex")}@example.test`;

async function managerOfA() {
  return signInAs(ctx.app, a.manager.email, a.manager.password);
}

/** Adds a user through the form and returns their id and the one-time link. */
async function invite(agentCsrf: Awaited<ReturnType<typeof managerOfA>>, input: { name: string; email: string; role: string; formId?: string }) {
  const { agent, csrf } = agentCsrf;
  const res = await agent.post("/users").type("form").send({ _csrf: csrf, formId: crypto.randomUUID(), ...input });
  expect(res.status).toBe(303);
  const userId = String(res.headers.location).replace("/users/", "");
  const page = await agent.get(String(res.headers.location));
  return { userId, link: invitationLinkIn(page.text), page };
}

describe("the users list", () => {
  it("lists the practice's users with role and status, and none from another practice", async () => {
    const { agent } = await managerOfA();
    const res = await agent.get("/users");
    expect(res.status).toBe(200);
    expect(res.text).toContain(a.viewer.email);
    expect(res.text).toContain("Read only");
    expect(res.text).toContain("Active");
    expect(res.text).not.toContain(b.viewer.email);
    expect(res.text).toContain('href="/audit"');
  });

  it("is paginated with a bounded page size, and clamps a bad page number", async () => {
    const f = await createPracticeWithStaff(ctx.prisma, "Big practice");
    for (let i = 0; i < 22; i++) {
      await ctx.prisma.user.create({
        data: { email: uniqueEmail(`many${i}`), name: `Zed Many ${String(i).padStart(2, "0")}`, memberships: { create: { practiceId: f.practice.id, role: "VIEWER" } } },
      });
    }
    const { agent } = await signInAs(ctx.app, f.manager.email, f.manager.password);
    const first = await agent.get("/users");
    const rowsOn = (html: string) => (html.match(/<tr class="nhsuk-table__row">/g)?.length ?? 1) - 1;
    expect(rowsOn(first.text)).toBe(20);
    expect(first.text).toContain("25 users");
    expect(first.text).toContain('href="/users?page=2"');
    const second = await agent.get("/users?page=2");
    expect(rowsOn(second.text)).toBe(5);
    for (const bad of ["abc", "-1", "99999999", "1e3"]) {
      const res = await agent.get(`/users?page=${bad}`);
      expect(res.status).toBe(200);
    }
  });
});

describe("adding a user", () => {
  it("refuses empty and badly formed input, keeps what was typed, and saves nothing", async () => {
    const m = await managerOfA();
    const before = await databaseFingerprint(ctx);
    const empty = await m.agent.post("/users").type("form").send({ _csrf: m.csrf, formId: crypto.randomUUID() });
    expect(empty.status).toBe(400);
    expect(summaryErrors(empty.text)).toEqual(["Enter the person's full name", "Enter an email address", "Select a role"]);
    expect(empty.text).toContain('href="#name"');
    const bad = await m.agent.post("/users").type("form").send({ _csrf: m.csrf, name: "Sam Example", email: "not-an-email", role: "OWNER" });
    expect(bad.status).toBe(400);
    expect(summaryErrors(bad.text)).toEqual(["Enter an email address in the correct format, like name@example.com", "Select a role"]);
    expect(bad.text).toContain('value="Sam Example"');
    expect(bad.text).toContain('value="not-an-email"');
    const long = await m.agent.post("/users").type("form").send({ _csrf: m.csrf, name: "x".repeat(121), email: "ok@example.test", role: "VIEWER" });
    expect(summaryErrors(long.text)).toEqual(["Full name must be 120 characters or fewer"]);
    expect(await databaseFingerprint(ctx)).toBe(before);
  });

  it("creates a user without a password, a membership and a 7-day invitation, and shows the link once", async () => {
    const m = await managerOfA();
    const email = uniqueEmail("new");
    const { userId, link } = await invite(m, { name: "Nia New", email: email.toUpperCase(), role: "FACILITATOR" });
    const user = await ctx.prisma.user.findUniqueOrThrow({ where: { id: userId }, include: { memberships: true } });
    expect(user.email).toBe(email); // stored lower-case
    expect(user.passwordHash).toBeNull();
    expect(user.memberships).toMatchObject([{ practiceId: a.practice.id, role: "FACILITATOR", active: true, acceptedAt: null, invitedName: "Nia New" }]);
    expect(link).toMatch(/^https:\/\/ppg\.example\.nhs\.uk\/invitations\/[A-Za-z0-9_-]{43}$/);
    const token = link!.split("/").pop()!;
    const invitation = await ctx.prisma.invitation.findFirstOrThrow({ where: { userId } });
    expect(invitation.tokenHash).toBe(crypto.createHash("sha256").update(token).digest("hex"));
    expect(invitation.practiceId).toBe(a.practice.id);
    expect(invitation.createdById).toBe(a.manager.id);
    expect(Math.abs(invitation.expiresAt.getTime() - (Date.now() + 7 * 864e5))).toBeLessThan(60_000);
    expect(invitation.usedAt).toBeNull();
    // Shown once only.
    const again = await m.agent.get(`/users/${userId}`);
    expect(invitationLinkIn(again.text)).toBeUndefined();
    expect(again.text).toContain("Invited");
    const audit = await ctx.prisma.auditEvent.findFirstOrThrow({ where: { action: "user.invite", entityId: userId } });
    expect(audit).toMatchObject({ practiceId: a.practice.id, actorId: a.manager.id, entityType: "User" });
    expect(audit.details).toMatchObject({ role: "FACILITATOR", email });
    expect(audit.details).not.toHaveProperty("existingUser"); // this practice's managers read the log
  });

  it("never builds the link from the request's Host header (without PUBLIC_URL: http://localhost:PORT)", async () => {
    const other = await createTestContext();
    try {
      const f = await createPracticeWithStaff(other.prisma);
      const m = await signInAs(other.app, f.manager.email, f.manager.password);
      const res = await m.agent.post("/users").type("form").set("Host", "evil.example").send({ _csrf: m.csrf, name: "Host Person", email: uniqueEmail("host"), role: "VIEWER" });
      const page = await m.agent.get(String(res.headers.location));
      expect(invitationLinkIn(page.text)).toMatch(/^http:\/\/localhost:3000\/invitations\//);
    } finally {
      await other.close();
    }
  });

  it("saves once when the same form is submitted twice", async () => {
    const m = await managerOfA();
    const formId = crypto.randomUUID();
    const email = uniqueEmail("twice");
    const first = await m.agent.post("/users").type("form").send({ _csrf: m.csrf, formId, name: "Tess Twice", email, role: "VIEWER" });
    const second = await m.agent.post("/users").type("form").send({ _csrf: m.csrf, formId, name: "Tess Twice", email, role: "VIEWER" });
    expect(first.status).toBe(303);
    expect(second.status).toBe(303);
    expect(second.headers.location).toBe(first.headers.location);
    const user = await ctx.prisma.user.findUniqueOrThrow({ where: { email } });
    expect(await ctx.prisma.invitation.count({ where: { userId: user.id } })).toBe(1);
    expect(await ctx.prisma.membership.count({ where: { userId: user.id } })).toBe(1);
  });

  it("gives the same reply for an address that already has an account elsewhere, shows nothing of that account, and gives no access until its holder accepts", async () => {
    const m = await managerOfA();
    // A brand-new address and b's facilitator's address: the manager's view must not tell them apart.
    const fresh = await invite(m, { name: "Typed Name One", email: uniqueEmail("fresh"), role: "FACILITATOR" });
    const known = await invite(m, { name: "Typed Name Two", email: b.facilitator.email, role: "FACILITATOR" });
    const norm = (html: string, name: string, email: string, id: string) =>
      mainOf(html).replaceAll(name, "NAME").replaceAll(email, "EMAIL").replaceAll(id, "ID").replace(/\/invitations\/[A-Za-z0-9_-]+/g, "/invitations/TOKEN").replace(/\d{1,2} \w+ \d{4}/g, "DATE");
    const freshEmail = (await ctx.prisma.user.findUniqueOrThrow({ where: { id: fresh.userId } })).email;
    expect(norm(known.page.text, "Typed Name Two", b.facilitator.email, known.userId)).toBe(norm(fresh.page.text, "Typed Name One", freshEmail, fresh.userId));
    expect(known.link).toMatch(/\/invitations\//);
    // The account's real name never reaches practice A: not on its page, the list, or the audit log.
    const realName = (await ctx.prisma.user.findUniqueOrThrow({ where: { id: b.facilitator.id } })).name;
    for (const url of [`/users/${known.userId}`, "/users", "/audit", "/sessions/new"]) {
      expect((await m.agent.get(url)).text, url).not.toContain(realName);
    }
    expect((await m.agent.get("/users")).text).toContain("Typed Name Two");
    // The account is untouched; its new membership of A is waiting and gives no access to A.
    const them = await signInAs(ctx.app, b.facilitator.email, PASSWORD);
    expect((await them.agent.get("/practice")).text).not.toContain(a.practice.name);
    const switched = await them.agent.post("/practice").type("form").send({ _csrf: them.csrf, practiceId: a.practice.id });
    expect(switched.status).toBe(400);
    // The holder, signed in, opens the link and agrees: only then are they in practice A.
    const path = new URL(known.link!).pathname;
    const offer = await them.agent.get(path);
    expect(offer.status).toBe(200);
    expect(offer.text).toContain(`Join ${a.practice.name}`);
    const accept = await them.agent.post(`${path}/accept`).type("form").send({ _csrf: csrfTokenIn(offer.text) });
    expect(accept.status).toBe(303);
    expect((await them.agent.get("/practice")).text).toContain(a.practice.name);
    expect(await ctx.prisma.auditEvent.count({ where: { action: "user.invitation-accept", practiceId: a.practice.id, actorId: b.facilitator.id } })).toBe(1);
    // The link is now used up.
    expect((await them.agent.get(path)).status).toBe(404);
  });

  it("never lets another practice's link set the password of an account that exists without one (cross-practice takeover)", async () => {
    // Practice A invites someone as MANAGER; before they set a password, practice B's manager invites the same address.
    const ma = await managerOfA();
    const email = uniqueEmail("target");
    const fromA = await invite(ma, { name: "Tara Target", email, role: "MANAGER" });
    const mb = await signInAs(ctx.app, b.manager.email, b.manager.password);
    const fromB = await invite(mb, { name: "Whoever", email, role: "VIEWER" });
    expect(fromB.link).toBeDefined();
    // B's link offers no password form and accepts no password: it needs the account to be signed in.
    const bPath = new URL(fromB.link!).pathname;
    const anon = request.agent(ctx.app);
    const page = await anon.get(bPath);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('name="newPassword"');
    expect(page.text).toContain("Sign in");
    const login = await anon.get("/login"); // a valid anonymous form token, so only the invitation rule can refuse
    const attempt = await anon.post(bPath).type("form").send({ _csrf: csrfTokenIn(login.text), newPassword: "attacker chosen passphrase", confirmPassword: "attacker chosen passphrase" });
    expect([403, 404]).toContain(attempt.status);
    expect((await ctx.prisma.user.findUniqueOrThrow({ where: { email } })).passwordHash).toBeNull();
    // A's link still works, sets the password, and gives A's membership only.
    const holder = request.agent(ctx.app);
    const form = await holder.get(new URL(fromA.link!).pathname);
    expect(form.text).toContain('name="newPassword"');
    const set = await holder.post(new URL(fromA.link!).pathname).type("form")
      .send({ _csrf: csrfTokenIn(form.text), newPassword: "tara's own long passphrase", confirmPassword: "tara's own long passphrase" });
    expect(set.status).toBe(303);
    const memberships = await ctx.prisma.membership.findMany({ where: { user: { email } } });
    expect(memberships.find((x) => x.practiceId === a.practice.id)?.acceptedAt).not.toBeNull();
    expect(memberships.find((x) => x.practiceId === b.practice.id)?.acceptedAt).toBeNull();
    // B's invitation still waits for the holder's own decision.
    expect((await holder.get(bPath)).text).toContain(`Join ${b.practice.name}`);
  });

  it("refuses an email address that already belongs to a user of this practice", async () => {
    const m = await managerOfA();
    const before = await databaseFingerprint(ctx);
    const res = await m.agent.post("/users").type("form").send({ _csrf: m.csrf, name: "Dup", email: a.viewer.email.toUpperCase(), role: "MANAGER" });
    expect(res.status).toBe(400);
    expect(summaryErrors(res.text)).toEqual(["This email address already belongs to a user of this practice"]);
    expect(await databaseFingerprint(ctx)).toBe(before);
  });
});

describe("accepting an invitation", () => {
  it("lets the invited person set a password once, signs them in, and then the link is dead", async () => {
    const m = await managerOfA();
    const email = uniqueEmail("accept");
    const { userId, link } = await invite(m, { name: "Ada Accept", email, role: "VIEWER" });
    const path = new URL(link!).pathname;
    const visitor = request.agent(ctx.app);
    const form = await visitor.get(path);
    expect(form.status).toBe(200);
    expect(form.text).toContain("Set your password");
    expect(form.text).toContain(email);
    expect(form.text).toContain('name="robots" content="noindex');
    const csrf = csrfTokenIn(form.text);

    // Bad input: nothing changes.
    const before = await databaseFingerprint(ctx);
    const cases: [Record<string, string>, string[]][] = [
      [{}, ["Enter a new password", "Confirm your new password"]],
      [{ newPassword: "short-pass", confirmPassword: "short-pass" }, ["Password must be 12 characters or more"]],
      [{ newPassword: "qwertyuiop123", confirmPassword: "qwertyuiop123" }, ["Password is too common: choose a longer phrase that others would not guess"]],
      [{ newPassword: "QwertyUiop123", confirmPassword: "QwertyUiop123" }, ["Password is too common: choose a longer phrase that others would not guess"]],
      [{ newPassword: "a-good-long-phrase", confirmPassword: "a-different-phrase" }, ["The passwords do not match"]],
      [{ newPassword: "a-good-long-phrase" }, ["Confirm your new password"]],
    ];
    for (const [body, errors] of cases) {
      const res = await visitor.post(path).type("form").send({ _csrf: csrf, ...body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(summaryErrors(res.text), JSON.stringify(body)).toEqual(errors);
    }
    expect(await databaseFingerprint(ctx)).toBe(before);

    const ok = await visitor.post(path).type("form").send({ _csrf: csrf, newPassword: "river-boat-lantern", confirmPassword: "river-boat-lantern" });
    expect(ok.status).toBe(303);
    expect(ok.headers.location).toBe("/dashboard");
    const dash = await visitor.get("/dashboard");
    expect(dash.status).toBe(200);
    expect(dash.text).toContain("Your password has been set");
    const user = await ctx.prisma.user.findUniqueOrThrow({ where: { id: userId } });
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    expect(user.passwordChangedAt).not.toBeNull();
    expect((await ctx.prisma.invitation.findFirstOrThrow({ where: { userId } })).usedAt).not.toBeNull();
    expect(await ctx.prisma.auditEvent.count({ where: { action: "user.password-set", entityId: userId, actorId: userId, practiceId: a.practice.id } })).toBe(1);
    await signInAs(ctx.app, email, "river-boat-lantern");

    // Reused: the same page as any dead link, and nothing changes.
    const stranger = request.agent(ctx.app);
    const csrf2 = csrfTokenIn((await stranger.get("/login")).text);
    const afterUse = await databaseFingerprint(ctx);
    const reuseGet = await stranger.get(path);
    const reusePost = await stranger.post(path).type("form").send({ _csrf: csrf2, newPassword: "attacker-choice-1", confirmPassword: "attacker-choice-1" });
    expect(reuseGet.status).toBe(404);
    expect(reusePost.status).toBe(404);
    expect(reuseGet.text).toContain("This invitation link cannot be used");
    expect(await databaseFingerprint(ctx)).toBe(afterUse);
    await signInAs(ctx.app, email, "river-boat-lantern");
  });

  it("shows the same page for an expired, a used and an unknown link, and changes nothing", async () => {
    const expired = await makeInvitation(ctx.prisma, { practiceId: a.practice.id, email: uniqueEmail("expired"), expiresAt: new Date(Date.now() - 1000) });
    const used = await makeInvitation(ctx.prisma, { practiceId: a.practice.id, email: uniqueEmail("used"), usedAt: new Date() });
    const unknown = crypto.randomBytes(32).toString("base64url");
    const visitor = request.agent(ctx.app);
    const csrf = csrfTokenIn((await visitor.get("/login")).text);
    const before = await databaseFingerprint(ctx);
    const pages: string[] = [];
    for (const token of [expired.token, used.token, unknown, "short", "bad!chars%20here-xxxxxxxxxxxxxxxxxxxxxxxxxxx"]) {
      const get = await visitor.get(`/invitations/${encodeURIComponent(token)}`);
      const post = await visitor.post(`/invitations/${encodeURIComponent(token)}`).type("form").send({ _csrf: csrf, newPassword: "a-good-long-phrase", confirmPassword: "a-good-long-phrase" });
      expect(get.status).toBe(404);
      expect(post.status).toBe(404);
      pages.push(mainOf(get.text), mainOf(post.text));
    }
    expect(new Set(pages).size).toBe(1);
    expect(pages[0]).toContain("This invitation link cannot be used");
    expect(await databaseFingerprint(ctx)).toBe(before);
    expect((await ctx.prisma.user.findUniqueOrThrow({ where: { id: expired.userId } })).passwordHash).toBeNull();
  });

  it("refuses a link for someone whose membership was deactivated", async () => {
    const inv = await makeInvitation(ctx.prisma, { practiceId: a.practice.id, email: uniqueEmail("deact") });
    await ctx.prisma.membership.updateMany({ where: { userId: inv.userId }, data: { active: false } });
    expect((await request(ctx.app).get(`/invitations/${inv.token}`)).status).toBe(404);
  });

  it("refuses a POST without a valid CSRF token", async () => {
    const inv = await makeInvitation(ctx.prisma, { practiceId: a.practice.id, email: uniqueEmail("csrf") });
    const visitor = request.agent(ctx.app);
    await visitor.get(`/invitations/${inv.token}`);
    const res = await visitor.post(`/invitations/${inv.token}`).type("form").send({ _csrf: "forged", newPassword: "a-good-long-phrase", confirmPassword: "a-good-long-phrase" });
    expect(res.status).toBe(403);
    expect((await ctx.prisma.user.findUniqueOrThrow({ where: { id: inv.userId } })).passwordHash).toBeNull();
  });

  it("a new link replaces the old one; a user with a password cannot get one", async () => {
    const m = await managerOfA();
    const { userId, link } = await invite(m, { name: "Rae Reissue", email: uniqueEmail("reissue"), role: "VIEWER" });
    const res = await m.agent.post(`/users/${userId}/invitation`).type("form").send({ _csrf: m.csrf });
    expect(res.status).toBe(303);
    const page = await m.agent.get(`/users/${userId}`);
    const newLink = invitationLinkIn(page.text)!;
    expect(newLink).not.toBe(link);
    expect((await request(ctx.app).get(new URL(link!).pathname)).status).toBe(404);
    expect((await request(ctx.app).get(new URL(newLink).pathname)).status).toBe(200);
    expect(await ctx.prisma.auditEvent.count({ where: { action: "user.invitation-reissue", entityId: userId } })).toBe(1);

    const before = await databaseFingerprint(ctx);
    const refused = await m.agent.post(`/users/${a.viewer.id}/invitation`).type("form").send({ _csrf: m.csrf });
    expect(refused.status).toBe(400);
    expect(summaryErrors(refused.text)).toEqual(["This person has already accepted and set a password, so they do not need an invitation"]);
    expect(await databaseFingerprint(ctx)).toBe(before);
  });
});

describe("changing role and deactivating", () => {
  it("changes a role and records the old and new role", async () => {
    const m = await managerOfA();
    const u = await addUserToPractice(ctx.prisma, { practiceId: a.practice.id, email: uniqueEmail("role"), name: "Rory Role", password: PASSWORD, role: "VIEWER" });
    const res = await m.agent.post(`/users/${u.id}/role`).type("form").send({ _csrf: m.csrf, role: "FACILITATOR" });
    expect(res.status).toBe(303);
    expect((await ctx.prisma.membership.findFirstOrThrow({ where: { userId: u.id, practiceId: a.practice.id } })).role).toBe("FACILITATOR");
    const audit = await ctx.prisma.auditEvent.findFirstOrThrow({ where: { action: "user.role-change", entityId: u.id } });
    expect(audit).toMatchObject({ practiceId: a.practice.id, actorId: a.manager.id, details: { from: "VIEWER", to: "FACILITATOR" } });
    // The same role again: nothing to record.
    await m.agent.post(`/users/${u.id}/role`).type("form").send({ _csrf: m.csrf, role: "FACILITATOR" });
    expect(await ctx.prisma.auditEvent.count({ where: { action: "user.role-change", entityId: u.id } })).toBe(1);
  });

  it("refuses an unknown role and changes nothing", async () => {
    const m = await managerOfA();
    const before = await databaseFingerprint(ctx);
    for (const body of [{}, { role: "OWNER" }, { role: "" }]) {
      const res = await m.agent.post(`/users/${a.viewer.id}/role`).type("form").send({ _csrf: m.csrf, ...body });
      expect(res.status).toBe(400);
      expect(summaryErrors(res.text)).toEqual(["Select a role"]);
    }
    expect(await databaseFingerprint(ctx)).toBe(before);
  });

  it("never demotes or deactivates the last active manager, with a clear message", async () => {
    const f = await createPracticeWithStaff(ctx.prisma, "One manager");
    const m = await signInAs(ctx.app, f.manager.email, f.manager.password);
    const before = await databaseFingerprint(ctx);
    const demote = await m.agent.post(`/users/${f.manager.id}/role`).type("form").send({ _csrf: m.csrf, role: "VIEWER" });
    expect(demote.status).toBe(400);
    expect(summaryErrors(demote.text)).toEqual([LAST_MANAGER]);
    expect(demote.text).toContain('href="#role"');
    const deactivate = await m.agent.post(`/users/${f.manager.id}/deactivate`).type("form").send({ _csrf: m.csrf });
    expect(deactivate.status).toBe(400);
    expect(summaryErrors(deactivate.text)).toEqual([LAST_MANAGER]);
    expect(deactivate.text).toContain('id="status"');
    expect(await databaseFingerprint(ctx)).toBe(before);

    // A deactivated second manager does not count as the other manager.
    const second = await addUserToPractice(ctx.prisma, { practiceId: f.practice.id, email: uniqueEmail("m2"), name: "Second Manager", password: PASSWORD, role: "MANAGER" });
    await ctx.prisma.membership.updateMany({ where: { userId: second.id, practiceId: f.practice.id }, data: { active: false } });
    expect((await m.agent.post(`/users/${f.manager.id}/role`).type("form").send({ _csrf: m.csrf, role: "VIEWER" })).status).toBe(400);

    // With another active manager, the first may step down.
    await ctx.prisma.membership.updateMany({ where: { userId: second.id, practiceId: f.practice.id }, data: { active: true } });
    const stepDown = await m.agent.post(`/users/${f.manager.id}/role`).type("form").send({ _csrf: m.csrf, role: "VIEWER" });
    expect(stepDown.status).toBe(303);
    // ...and is now refused the manager pages.
    expect((await m.agent.get("/users")).status).toBe(403);
    // The remaining manager is now the last one.
    const m2 = await signInAs(ctx.app, `${second.email}`, PASSWORD);
    expect((await m2.agent.post(`/users/${second.id}/deactivate`).type("form").send({ _csrf: m2.csrf })).status).toBe(400);
  });

  it("does not count an invited manager who never accepted or set a password as the other manager", async () => {
    const f = await createPracticeWithStaff(ctx.prisma, "Invited manager");
    const m = await signInAs(ctx.app, f.manager.email, f.manager.password);
    const { userId } = await invite(m, { name: "Never Came", email: uniqueEmail("never"), role: "MANAGER" });
    // An existing account of another practice, invited as manager and not (yet) accepting, does not count either.
    await invite(m, { name: "Elsewhere", email: b.manager.email, role: "MANAGER" });
    const demote = await m.agent.post(`/users/${f.manager.id}/role`).type("form").send({ _csrf: m.csrf, role: "VIEWER" });
    expect(demote.status).toBe(400);
    expect(summaryErrors(demote.text)).toEqual([LAST_MANAGER]);
    expect((await m.agent.post(`/users/${f.manager.id}/deactivate`).type("form").send({ _csrf: m.csrf })).status).toBe(400);
    // The invited managers themselves can be changed freely.
    expect((await m.agent.post(`/users/${userId}/role`).type("form").send({ _csrf: m.csrf, role: "VIEWER" })).status).toBe(303);
    const still = await ctx.prisma.membership.findFirstOrThrow({ where: { practiceId: f.practice.id, userId: f.manager.id } });
    expect(still).toMatchObject({ role: "MANAGER", active: true });
  });

  it("two managers demoting each other at once leave one manager", async () => {
    const f = await createPracticeWithStaff(ctx.prisma, "Race");
    const second = await addUserToPractice(ctx.prisma, { practiceId: f.practice.id, email: uniqueEmail("race"), name: "Racer", password: PASSWORD, role: "MANAGER" });
    const m1 = await signInAs(ctx.app, f.manager.email, PASSWORD);
    const m2 = await signInAs(ctx.app, second.email, PASSWORD);
    const results = await Promise.all([
      m1.agent.post(`/users/${second.id}/role`).type("form").send({ _csrf: m1.csrf, role: "VIEWER" }),
      m2.agent.post(`/users/${f.manager.id}/role`).type("form").send({ _csrf: m2.csrf, role: "VIEWER" }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([303, 400]);
    expect(await ctx.prisma.membership.count({ where: { practiceId: f.practice.id, role: "MANAGER", active: true } })).toBe(1);
  });

  it("deactivates and reactivates a membership in this practice only", async () => {
    const m = await managerOfA();
    const email = uniqueEmail("both");
    const u = await addUserToPractice(ctx.prisma, { practiceId: a.practice.id, email, name: "Bo Both", password: PASSWORD, role: "FACILITATOR" });
    await addUserToPractice(ctx.prisma, { practiceId: b.practice.id, email, name: "Bo Both", role: "VIEWER" });
    const them = await signInAs(ctx.app, email, PASSWORD);

    const res = await m.agent.post(`/users/${u.id}/deactivate`).type("form").send({ _csrf: m.csrf });
    expect(res.status).toBe(303);
    const memberships = await ctx.prisma.membership.findMany({ where: { userId: u.id } });
    expect(memberships.find((x) => x.practiceId === a.practice.id)!.active).toBe(false);
    expect(memberships.find((x) => x.practiceId === b.practice.id)!.active).toBe(true);
    expect(await ctx.prisma.auditEvent.count({ where: { action: "user.deactivate", entityId: u.id, practiceId: a.practice.id, actorId: a.manager.id } })).toBe(1);
    // Their open session no longer reaches practice A.
    const choose = await them.agent.get("/practice");
    expect(choose.text).not.toContain(a.practice.name);
    expect(choose.text).toContain(b.practice.name);
    const list = await m.agent.get("/users");
    expect(list.text).toContain("Deactivated");

    const back = await m.agent.post(`/users/${u.id}/reactivate`).type("form").send({ _csrf: m.csrf });
    expect(back.status).toBe(303);
    expect((await ctx.prisma.membership.findFirstOrThrow({ where: { userId: u.id, practiceId: a.practice.id } })).active).toBe(true);
    expect(await ctx.prisma.auditEvent.count({ where: { action: "user.reactivate", entityId: u.id } })).toBe(1);
  });

  it("a user deactivated in their only practice cannot sign in", async () => {
    const m = await managerOfA();
    const email = uniqueEmail("gone");
    const u = await addUserToPractice(ctx.prisma, { practiceId: a.practice.id, email, name: "Gus Gone", password: PASSWORD, role: "VIEWER" });
    await m.agent.post(`/users/${u.id}/deactivate`).type("form").send({ _csrf: m.csrf });
    const agent = request.agent(ctx.app);
    const csrf = csrfTokenIn((await agent.get("/login")).text);
    const res = await agent.post("/login").type("form").send({ _csrf: csrf, email, password: PASSWORD });
    expect(res.status).toBe(401);
    expect(summaryErrors(res.text)).toEqual(["Enter a correct email address and password"]);
  });

  it("answers 404 for another practice's user, or a malformed id, and changes nothing", async () => {
    const m = await managerOfA();
    const before = await databaseFingerprint(ctx);
    for (const id of [b.viewer.id, b.manager.id, crypto.randomUUID(), "not-a-uuid", "1"]) {
      expect((await m.agent.get(`/users/${id}`)).status).toBe(404);
      expect((await m.agent.post(`/users/${id}/role`).type("form").send({ _csrf: m.csrf, role: "MANAGER" })).status).toBe(404);
      expect((await m.agent.post(`/users/${id}/deactivate`).type("form").send({ _csrf: m.csrf })).status).toBe(404);
      expect((await m.agent.post(`/users/${id}/reactivate`).type("form").send({ _csrf: m.csrf })).status).toBe(404);
      expect((await m.agent.post(`/users/${id}/invitation`).type("form").send({ _csrf: m.csrf })).status).toBe(404);
    }
    expect(await databaseFingerprint(ctx)).toBe(before);
  });

  it("refuses the users pages to facilitators and viewers", async () => {
    for (const who of [a.facilitator, a.viewer]) {
      const s = await signInAs(ctx.app, who.email, who.password);
      const before = await databaseFingerprint(ctx);
      expect((await s.agent.get("/users")).status).toBe(403);
      expect((await s.agent.post(`/users/${a.manager.id}/role`).type("form").send({ _csrf: s.csrf, role: "VIEWER" })).status).toBe(403);
      expect((await s.agent.post("/users").type("form").send({ _csrf: s.csrf, name: "X", email: uniqueEmail("x"), role: "MANAGER" })).status).toBe(403);
      expect(await databaseFingerprint(ctx)).toBe(before);
    }
  });
});

describe("changing your own password", () => {
  it("needs the current password, applies the policy, and keeps the database unchanged on error", async () => {
    const email = uniqueEmail("pw");
    await addUserToPractice(ctx.prisma, { practiceId: a.practice.id, email, name: "Pat Password", password: PASSWORD, role: "VIEWER" });
    const s = await signInAs(ctx.app, email, PASSWORD);
    const page = await s.agent.get("/account/password");
    expect(page.status).toBe(200);
    expect(page.text).toContain('href="/account/password"'); // the header link
    const before = await databaseFingerprint(ctx);
    const cases: [Record<string, string>, string[]][] = [
      [{}, ["Enter your current password", "Enter a new password", "Confirm your new password"]],
      [{ currentPassword: "wrong-password-here", newPassword: "new-long-phrase-1", confirmPassword: "new-long-phrase-1" }, ["Your current password is not correct"]],
      [{ currentPassword: PASSWORD, newPassword: "tooshort", confirmPassword: "tooshort" }, ["Password must be 12 characters or more"]],
      [{ currentPassword: PASSWORD, newPassword: "qwertyuiop123", confirmPassword: "qwertyuiop123" }, ["Password is too common: choose a longer phrase that others would not guess"]],
      [{ currentPassword: PASSWORD, newPassword: "new-long-phrase-1", confirmPassword: "new-long-phrase-2" }, ["The passwords do not match"]],
      [{ currentPassword: PASSWORD, newPassword: PASSWORD, confirmPassword: PASSWORD }, ["Your new password must be different from your current password"]],
    ];
    for (const [body, errors] of cases) {
      const res = await s.agent.post("/account/password").type("form").send({ _csrf: s.csrf, ...body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(summaryErrors(res.text), JSON.stringify(body)).toEqual(errors);
      expect(res.text).not.toContain(PASSWORD); // passwords are never echoed back
    }
    expect(await databaseFingerprint(ctx)).toBe(before);
  });

  it("changes the password, records it, and ends the user's other sessions", async () => {
    const email = uniqueEmail("pw2");
    const u = await addUserToPractice(ctx.prisma, { practiceId: a.practice.id, email, name: "Pip Change", password: PASSWORD, role: "FACILITATOR" });
    const here = await signInAs(ctx.app, email, PASSWORD);
    const elsewhere = await signInAs(ctx.app, email, PASSWORD);
    const bystander = await signInAs(ctx.app, a.viewer.email, a.viewer.password);
    const res = await here.agent.post("/account/password").type("form").send({ _csrf: here.csrf, currentPassword: PASSWORD, newPassword: "new-long-phrase-1", confirmPassword: "new-long-phrase-1" });
    expect(res.status).toBe(303);
    expect((await here.agent.get("/dashboard")).status).toBe(200);
    expect((await elsewhere.agent.get("/dashboard")).status).toBe(303);
    expect((await bystander.agent.get("/dashboard")).status).toBe(200);
    expect(await ctx.prisma.auditEvent.count({ where: { action: "user.password-change", entityId: u.id, actorId: u.id, practiceId: a.practice.id } })).toBe(1);
    await signInAs(ctx.app, email, "new-long-phrase-1");
    await expect(signInAs(ctx.app, email, PASSWORD)).rejects.toThrow(/sign-in failed/);
  });

  it("sends anonymous visitors to sign in", async () => {
    const res = await request(ctx.app).get("/account/password");
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe("/login?next=%2Faccount%2Fpassword");
  });
});

describe("the audit log", () => {
  it("shows the practice's events newest first, with who, what, which record and details", async () => {
    const f = await createPracticeWithStaff(ctx.prisma, "Audited");
    const m = await signInAs(ctx.app, f.manager.email, f.manager.password);
    await m.agent.post(`/users/${f.viewer.id}/role`).type("form").send({ _csrf: m.csrf, role: "FACILITATOR" });
    await m.agent.post(`/users/${f.viewer.id}/deactivate`).type("form").send({ _csrf: m.csrf });
    const page = await m.agent.get("/audit");
    expect(page.status).toBe(200);
    const main = mainOf(page.text);
    const table = main.slice(main.indexOf("<table")); // after the filter form, which names every kind of event
    const deactivated = table.indexOf("deactivated a user.");
    const roleChanged = table.indexOf("changed a user&#39;s role.");
    const signedIn = table.indexOf("signed in.");
    expect(deactivated).toBeGreaterThan(-1);
    expect(deactivated).toBeLessThan(roleChanged);
    expect(roleChanged).toBeLessThan(signedIn);
    expect(main).toContain(`The user: VIEWER`); // the record, by name
    expect(main).toContain('<dt class="nhsuk-summary-list__key">From</dt><dd class="nhsuk-summary-list__value">VIEWER</dd>');
    expect(main).toContain('<dt class="nhsuk-summary-list__key">To</dt><dd class="nhsuk-summary-list__value">FACILITATOR</dd>');
    expect(main).toContain(`MANAGER `); // who: the manager's name
    // Nothing from another practice.
    expect(main).not.toContain(a.practice.id);
    const other = await ctx.prisma.auditEvent.findFirstOrThrow({ where: { practiceId: a.practice.id, action: "user.invite" } });
    expect(main).not.toContain(String(other.entityId));
  });

  it("is paginated, with a bounded page, and clamps bad page numbers", async () => {
    const f = await createPracticeWithStaff(ctx.prisma, "Busy");
    await ctx.prisma.auditEvent.createMany({
      data: Array.from({ length: 45 }, (_, i) => ({ practiceId: f.practice.id, action: "test.event", entityType: "Thing", entityId: `thing-${i}`, createdAt: new Date(Date.now() - (45 - i) * 60_000) })),
    });
    const m = await signInAs(ctx.app, f.manager.email, f.manager.password);
    const first = await m.agent.get("/audit");
    const rows = (html: string) => (html.match(/<tr class="nhsuk-table__row">/g)?.length ?? 1) - 1;
    expect(rows(first.text)).toBe(20);
    expect(first.text).toContain("signed in."); // the newest
    expect(first.text).toContain('href="/audit?page=2"');
    const last = await m.agent.get("/audit?page=3");
    expect(last.text).toContain("Thing thing-0"); // the oldest test event is on the last page
    expect((await m.agent.get("/audit?page=zzz")).status).toBe(200);
    expect((await m.agent.get("/audit?page=999999")).status).toBe(200);
  });

  it("filters by what happened and by who did it; pages keep the filters; unknown values are ignored", async () => {
    const f = await createPracticeWithStaff(ctx.prisma, "Filtered");
    const m = await signInAs(ctx.app, f.manager.email, f.manager.password);
    await m.agent.post(`/users/${f.viewer.id}/role`).type("form").send({ _csrf: m.csrf, role: "FACILITATOR" });
    await ctx.prisma.auditEvent.createMany({
      data: Array.from({ length: 25 }, (_, i) => ({ practiceId: f.practice.id, actorId: f.facilitator.id, action: "auth.sign-in", entityType: "User", entityId: f.facilitator.id, createdAt: new Date(Date.now() - (i + 1) * 60_000) })),
    });
    const rows = (html: string) => (mainOf(html).match(/<tr class="nhsuk-table__row">/g)?.length ?? 1) - 1;

    const roleChanges = await m.agent.get("/audit?action=user.role-change");
    expect(roleChanges.status).toBe(200);
    expect(rows(roleChanges.text)).toBe(1);
    expect(mainOf(roleChanges.text)).toContain("1 entry matches these filters");
    expect(mainOf(roleChanges.text).slice(mainOf(roleChanges.text).indexOf("<table"))).not.toContain("signed in.");

    const byFacilitator = await m.agent.get(`/audit?who=${f.facilitator.id}&action=auth.sign-in`);
    expect(mainOf(byFacilitator.text)).toContain("25 entries match these filters");
    expect(rows(byFacilitator.text)).toBe(20);
    expect(byFacilitator.text).toContain(`href="/audit?action=auth.sign-in&amp;who=${f.facilitator.id}&amp;page=2"`);
    const second = await m.agent.get(`/audit?action=auth.sign-in&who=${f.facilitator.id}&page=2`);
    expect(rows(second.text)).toBe(5);

    // Another practice's member, an unknown event or a malformed value: ignored, the whole log shown.
    const unfiltered = rows((await m.agent.get("/audit")).text);
    for (const q of [`who=${a.manager.id}`, "action=drop.tables", "who=not-a-uuid", "action[]=x"]) {
      const res = await m.agent.get(`/audit?${q}`);
      expect(res.status, q).toBe(200);
      expect(rows(res.text), q).toBe(unfiltered);
      expect(mainOf(res.text), q).not.toMatch(/matche?s? these filters/);
    }
  });
});

describe("post/redirect/get", () => {
  it("writes the session before the redirect is sent, so a browser following it at once sees the one-time link", async () => {
    const server = ctx.app.listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    let restore = () => {};
    try {
      let cookie = "";
      const go = async (path: string, init: RequestInit = {}) => {
        const res = await fetch(base + path, { redirect: "manual", ...init, headers: { cookie, ...(init.headers ?? {}) } });
        const set = res.headers.get("set-cookie");
        if (set) cookie = set.split(";")[0]!;
        return res;
      };
      const form = (body: Record<string, string>) => ({ method: "POST", body: new URLSearchParams(body).toString(), headers: { "content-type": "application/x-www-form-urlencoded" } });
      const login = await (await go("/login")).text();
      await go("/login", form({ _csrf: csrfTokenIn(login), email: a.manager.email, password: PASSWORD, next: "/users/new" }));
      const page = await (await go("/users/new")).text();
      // A slow session store (a busy database) makes the race certain.
      const pool = ctx.db.pool as unknown as { query: (...args: unknown[]) => Promise<unknown> };
      const query = pool.query.bind(pool);
      pool.query = async (...args: unknown[]) => {
        if (typeof args[0] === "string" && args[0].startsWith("INSERT INTO") && args[0].includes("http_session")) await new Promise((r) => setTimeout(r, 150));
        return query(...args);
      };
      restore = () => (pool.query = query);
      for (let i = 0; i < 3; i++) {
        // fetch resolves as soon as the headers arrive; follow at once, as a browser does.
        const posted = await go("/users", form({ _csrf: csrfTokenIn(page), name: `Quick ${i}`, email: uniqueEmail("quick"), role: "VIEWER" }));
        expect(posted.status).toBe(303);
        const next = await go(posted.headers.get("location")!);
        const html = await next.text();
        await posted.text();
        expect(invitationLinkIn(html)).toMatch(/\/invitations\//);
      }
    } finally {
      restore();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
