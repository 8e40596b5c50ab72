// Accounts in a real browser: a user of two practices switches practice and
// signs out; a manager invites someone, who sets their password from the link.
// axe on every page visited.
import crypto from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { addUserToPractice } from "../../src/features/practices/service.js";
import { SignInPage } from "../helpers/pages/sign-in.js";
import { expectNoAxeViolations, signInWithBrowser, withBrowser } from "../helpers/browser.js";
import { PASSWORD } from "../helpers/fixtures.js";

const { h, a, b } = withBrowser({ practices: ["Riverside", "Hillview"] });

beforeAll(async () => {
  // A facilitator from a charity that works with both practices.
  await addUserToPractice(h.prisma, { practiceId: b.practice.id, email: a.facilitator.email, name: "ignored", role: "FACILITATOR" });
});

describe("a user of two practices", () => {
  it("signs in, switches practice from the header, and signs out for good", async () => {
    const context = await h.newContext();
    const page = await context.newPage();
    await (await SignInPage.open(page)).expectAccessible();
    await SignInPage.signIn(page, { email: a.facilitator.email, password: PASSWORD });
    const header = page.locator("header .nhsuk-header__account");
    expect(await header.textContent()).toContain(a.practice.name);
    await expectNoAxeViolations(page);

    await header.getByRole("link", { name: /change practice/ }).click();
    await page.waitForURL(/\/practice$/);
    await expectNoAxeViolations(page);
    await page.getByLabel(new RegExp(b.practice.name)).check();
    await page.getByRole("button", { name: "Continue" }).click();
    await page.waitForURL(/\/dashboard/);
    expect(await header.textContent()).toContain(b.practice.name);
    expect(await page.locator("h1").textContent()).toContain(b.practice.name);
    expect(await page.locator(".nhsuk-notification-banner").textContent()).toContain(`You are now working in ${b.practice.name}`);
    await expectNoAxeViolations(page);
    // The choice is kept in the session.
    await page.goto("/dashboard");
    expect(await header.textContent()).toContain(b.practice.name);

    const signedIn = (await context.cookies()).find((c) => c.name === "ppg.sid")!;
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/login/);
    await expectNoAxeViolations(page);
    const after = (await context.cookies()).find((c) => c.name === "ppg.sid");
    expect(after?.value).not.toBe(signedIn.value);
    const sid = decodeURIComponent(signedIn.value).slice(2).split(".")[0]!;
    expect(await h.prisma.httpSession.count({ where: { sid } })).toBe(0);

    // Replaying the old cookie gets nowhere.
    const replay = await h.newContext();
    await replay.addCookies([{ ...signedIn }]);
    const replayPage = await replay.newPage();
    await replayPage.goto("/dashboard");
    expect(replayPage.url()).toContain("/login");
    await replay.close();
    await context.close();
  });
});

describe("inviting a user", () => {
  it("adds a user, shows the link once, and the invited person sets a password and is signed in", async () => {
    const context = await h.newContext();
    const page = await context.newPage();
    await signInWithBrowser(page, a.manager.email, PASSWORD);
    await page.getByRole("link", { name: "Users", exact: true }).click();
    await page.waitForURL(/\/users$/);
    expect(await page.locator("h1").textContent()).toContain("Users");
    await expectNoAxeViolations(page);

    await page.getByRole("button", { name: "Add a user" }).click();
    await page.waitForURL(/\/users\/new$/);
    await expectNoAxeViolations(page);
    // An empty form: the summary links to the first field.
    await page.getByRole("button", { name: "Add user and create invitation link" }).click();
    expect(await page.locator(".nhsuk-error-summary").textContent()).toContain("Enter the person's full name");
    await expect(page.title()).resolves.toMatch(/^Error: /);
    await expectNoAxeViolations(page);
    await page.locator(".nhsuk-error-summary a", { hasText: "Enter the person's full name" }).click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("name");

    const email = `invitee-${crypto.randomBytes(3).toString("hex")}@example.test`;
    await page.getByLabel("Full name").fill("Ivy Invitee");
    await page.getByLabel("Email address").fill(email);
    await page.getByLabel("Facilitator").check();
    await page.getByRole("button", { name: "Add user and create invitation link" }).click();
    await page.waitForURL(/\/users\/[0-9a-f-]{36}$/);
    const link = (await page.locator(".app-invitation-link").textContent())!.trim();
    expect(link).toMatch(/\/invitations\/[A-Za-z0-9_-]+$/);
    await expectNoAxeViolations(page);
    await page.reload();
    expect(await page.locator(".app-invitation-link").count()).toBe(0);

    await page.goto("/audit");
    expect(await page.locator("main").textContent()).toContain("User added and invited");
    await expectNoAxeViolations(page);
    // Filtered to one kind of event, with the filters open.
    await page.getByText("Filter the log").click();
    await page.getByLabel("What happened").selectOption({ label: "User added and invited" });
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL(/\/audit\?action=/);
    expect(await page.locator("main").textContent()).toContain("1 entry matches these filters");
    await expectNoAxeViolations(page);

    // The invited person, in their own browser.
    const theirs = await h.newContext();
    const invited = await theirs.newPage();
    await invited.goto(link);
    expect(await invited.locator("h1").textContent()).toBe("Set your password");
    await expectNoAxeViolations(invited);
    await invited.getByLabel("New password", { exact: true }).fill("short");
    await invited.getByLabel("Confirm new password").fill("short");
    await invited.getByRole("button", { name: "Set password and sign in" }).click();
    expect(await invited.locator(".nhsuk-error-summary").textContent()).toContain("Password must be 12 characters or more");
    await expectNoAxeViolations(invited);
    await invited.getByLabel("New password", { exact: true }).fill("lantern-river-boat");
    await invited.getByLabel("Confirm new password").fill("lantern-river-boat");
    await invited.getByRole("button", { name: "Set password and sign in" }).click();
    await invited.waitForURL(/\/dashboard/);
    expect(await invited.locator("header .nhsuk-header__account").textContent()).toContain("Ivy Invitee");

    // The link is now dead.
    await invited.goto(link);
    expect(await invited.locator("h1").textContent()).toBe("This invitation link cannot be used");
    await expectNoAxeViolations(invited);
    await theirs.close();
    await context.close();
  });

  it("invites someone who already has an account elsewhere: they sign in and choose to join", async () => {
    const context = await h.newContext();
    const page = await context.newPage();
    await signInWithBrowser(page, a.manager.email, PASSWORD);
    await page.goto("/users/new");
    await page.getByLabel("Full name").fill("Vic Viewer");
    await page.getByLabel("Email address").fill(b.viewer.email);
    await page.getByLabel("Read only").check();
    await page.getByRole("button", { name: "Add user and create invitation link" }).click();
    await page.waitForURL(/\/users\/[0-9a-f-]{36}$/);
    const link = (await page.locator(".app-invitation-link").textContent())!.trim();

    const theirs = await h.newContext();
    const them = await theirs.newPage();
    await them.goto(link);
    expect(await them.locator("h1").textContent()).toBe(`Sign in to join ${a.practice.name}`);
    expect(await them.locator('input[name="newPassword"]').count()).toBe(0);
    await expectNoAxeViolations(them);
    await them.getByRole("button", { name: "Sign in" }).click();
    await them.waitForURL(/\/login\?next=/);
    await them.getByLabel("Email address").fill(b.viewer.email);
    await them.getByLabel("Password").fill(PASSWORD);
    await them.getByRole("button", { name: "Sign in" }).click();
    await them.waitForURL(/\/invitations\//);
    expect(await them.locator("h1").textContent()).toBe(`Join ${a.practice.name}`);
    await expectNoAxeViolations(them);
    await them.getByRole("button", { name: `Join ${a.practice.name}` }).click();
    await them.waitForURL(/\/dashboard/);
    expect(await them.locator("header .nhsuk-header__account").textContent()).toContain(a.practice.name);
    await theirs.close();
    await context.close();
  });

  it("lets a signed-in user change their password from the header", async () => {
    const email = `changer-${crypto.randomBytes(3).toString("hex")}@example.test`;
    await addUserToPractice(h.prisma, { practiceId: a.practice.id, email, name: "Cy Changer", password: PASSWORD, role: "VIEWER" });
    const context = await h.newContext();
    const page = await context.newPage();
    await signInWithBrowser(page, email, PASSWORD);
    await page.getByRole("link", { name: "Change your password" }).click();
    await page.waitForURL(/\/account\/password$/);
    await expectNoAxeViolations(page);
    await page.getByLabel("Current password").fill(PASSWORD);
    await page.getByLabel("New password", { exact: true }).fill("a-brand-new-phrase");
    await page.getByLabel("Confirm new password").fill("a-brand-new-phrase");
    await page.getByRole("button", { name: "Change password" }).click();
    await page.waitForURL(/\/dashboard/);
    expect(await page.locator(".nhsuk-notification-banner").textContent()).toContain("Your password has been changed");
    await context.close();
  });

  it("fits the users pages on a 320 px wide screen", async () => {
    const context = await h.newContext({ width: 320, height: 640 });
    const page = await context.newPage();
    await signInWithBrowser(page, a.manager.email, PASSWORD);
    for (const path of ["/users", "/users/new", `/users/${a.viewer.id}`, "/audit", "/account/password"]) {
      await page.goto(path);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, path).toBeLessThanOrEqual(0);
    }
    await context.close();
  });
});
