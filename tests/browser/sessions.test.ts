import fs from "node:fs/promises";
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { expectNoAxeViolations, withBrowser } from "../helpers/browser.js";
import { expectUrlsFitScreen } from "../helpers/pages/app-page.js";
import { SessionFormPage } from "../helpers/pages/session-form.js";
import { SignInPage } from "../helpers/pages/sign-in.js";
import { londonToUtc } from "../../src/lib/dates.js";

const { h, a: f } = withBrowser({ practices: ["Browser practice"] });

async function tabTo(page: Page, id: string) {
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press("Tab");
    if ((await page.evaluate(() => document.activeElement?.id)) === id) return;
  }
  throw new Error(`could not reach #${id} with the keyboard`);
}

/** No sideways scrolling at the page's width, and no axe violations. */
async function fitsWithoutOverflow(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, page.url()).toBeLessThanOrEqual(0);
  await expectNoAxeViolations(page);
}

describe("a manager sets up a partner, a group and a session", () => {
  it("works end to end, keyboard only for the partner form, with no accessibility violations", async () => {
    const context = await h.newContext();
    const page = await context.newPage();
    await SignInPage.signIn(page, f.manager);

    // Partner: keyboard only.
    await page.goto("/partners");
    await expectNoAxeViolations(page);
    await page.goto("/partners/new");
    await expectNoAxeViolations(page);
    await tabTo(page, "name");
    await page.keyboard.type("Refugee Women's Network");
    await page.keyboard.press("Tab");
    await page.keyboard.type("Amina");
    await page.keyboard.press("Tab");
    await page.keyboard.type("not-an-email");
    await page.keyboard.press("Enter");
    await page.waitForSelector(".nhsuk-error-summary");
    await expectNoAxeViolations(page);
    expect(await page.locator(".nhsuk-error-summary").textContent()).toContain("Enter an email address in the correct format");
    expect(await page.locator("#name").inputValue()).toBe("Refugee Women's Network");
    await tabTo(page, "contactEmail");
    await page.keyboard.press("Control+A");
    await page.keyboard.type("amina@network.example");
    await tabTo(page, "notes");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe("Add partner organisation");
    // The error page is at /partners too, so wait for the success banner rather than the URL.
    await page.keyboard.press("Enter");
    await page.waitForSelector(".nhsuk-notification-banner");
    expect(await page.locator(".nhsuk-notification-banner").textContent()).toContain("Refugee Women's Network added");
    await expectNoAxeViolations(page);
    expect(await h.prisma.partnerOrganisation.count({ where: { practiceId: f.practice.id, name: "Refugee Women's Network", contactEmail: "amina@network.example" } })).toBe(1);

    // Group.
    await page.goto("/groups/new");
    await expectNoAxeViolations(page);
    await page.getByLabel("Name of the group").fill("Women's wellbeing circle");
    await page.getByLabel("Partner organisation").selectOption({ label: "Refugee Women's Network" });
    await page.getByLabel("Languages spoken (optional)").fill("Arabic, Tigrinya");
    await page.getByLabel("Place that suits the group (optional)").fill("St Mary's church hall");
    await page.getByLabel("Times that suit the group (optional)").fill("Tuesday mornings");
    await page.getByRole("button", { name: "Add group" }).click();
    await page.waitForURL(/\/groups\/[0-9a-f-]+$/);
    await expectNoAxeViolations(page);
    const group = await h.prisma.communityGroup.findFirstOrThrow({ where: { practiceId: f.practice.id } });
    expect(await page.locator(".app-private-link").inputValue()).toContain(`/g/${group.linkToken}`);

    // Session, from the group's planning link: its defaults are proposed.
    await page.goto("/groups");
    await expectNoAxeViolations(page);
    await page.getByRole("link", { name: /Plan a session/ }).click();
    await page.waitForURL(/\/sessions\/new\?groupId=/);
    const form = new SessionFormPage(page);
    await form.expectAccessible();
    expect(await form.venueName().inputValue()).toBe("St Mary's church hall");
    // The venue's fields open under "In person", the joining details under "Online".
    expect(await form.venueName().isVisible()).toBe(true);
    expect(await form.onlineDetails().isVisible()).toBe(false);
    await form.field("Online", { exact: true }).check();
    expect(await form.onlineDetails().isVisible()).toBe(true);
    expect(await form.venueName().isVisible()).toBe(false);
    await form.field("In person, at a venue").check();
    expect(await form.venueName().isVisible()).toBe(true);
    expect(await form.field("Interpreters booked (optional)").inputValue()).toBe("Arabic, Tigrinya");
    const when = new Date(Date.now() + 10 * 864e5);
    const [day, month, year] = [when.getUTCDate(), when.getUTCMonth() + 1, when.getUTCFullYear()];
    await form.field("Title").fill("Listening session");
    await form.field(`MANAGER`, { exact: false }).check();
    await form.fillWhen({ day, month, year, start: "10:00", end: "9:00" });
    await form.field("Refreshments").check();
    await form.field("Capacity (optional)").fill("15");
    await form.field("Safety").fill("A quiet room next door");
    await form.field("Scheduled").check();
    await form.save();
    // End before start: the summary, input kept.
    await page.waitForSelector(".nhsuk-error-summary");
    await form.expectAccessible();
    expect(await form.errorSummary()).toContain("End time must be after the start time");
    expect(await form.field("Title").inputValue()).toBe("Listening session");
    await form.field("End time").fill("12:00");
    await form.save();
    await page.waitForURL(/\/sessions\/[0-9a-f-]+$/);
    await form.expectAccessible();
    expect(await form.heading()).toContain("Listening session");
    expect(await form.mainText()).toContain("A quiet room next door");

    // With JavaScript there is a print button; the briefing prints without the header and actions.
    expect(await page.getByRole("button", { name: "Print this briefing" }).isVisible()).toBe(true);
    await page.emulateMedia({ media: "print" });
    expect(await page.locator("header.nhsuk-header").isVisible()).toBe(false);
    expect(await page.locator(".app-briefing-actions").isVisible()).toBe(false);
    expect(await page.getByRole("heading", { name: "Trauma-informed checklist" }).isVisible()).toBe(true);
    await page.emulateMedia({ media: "screen" });

    // The calendar file downloads and parses, with the time in UTC.
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: /Add to calendar/ }).click()]);
    const ics = await fs.readFile((await download.path())!, "utf8");
    const lines = ics.split(/\r\n/);
    expect(lines[0]).toBe("BEGIN:VCALENDAR");
    expect(lines).toContain("END:VCALENDAR");
    const start = londonToUtc({ year, month, day }, { hour: 10, minute: 0 });
    const stamp = start.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
    expect(lines).toContain(`DTSTART:${stamp}`);
    expect(lines).toContain("SUMMARY:Listening session");

    // It is on the dashboard.
    await page.goto("/dashboard");
    await expectNoAxeViolations(page);
    expect(await page.locator("main").textContent()).toContain("Listening session");
    await page.getByRole("link", { name: "Listening session" }).click();
    await page.waitForURL(/\/sessions\/[0-9a-f-]+$/);

    await page.goto("/sessions");
    await expectNoAxeViolations(page);
    expect(await page.locator("table").textContent()).toContain("Listening session");
    await context.close();
  });

  it("fits the session, group and partner pages on a 320 px wide screen", async () => {
    const context = await h.newContext({ width: 320, height: 640 });
    const page = await context.newPage();
    await SignInPage.signIn(page, f.manager);
    const session = await h.prisma.communitySession.findFirstOrThrow({ where: { practiceId: f.practice.id } });
    const group = await h.prisma.communityGroup.findFirstOrThrow({ where: { practiceId: f.practice.id } });
    await expectUrlsFitScreen(page, ["/sessions", `/sessions/${session.id}`, "/sessions/new", `/groups/${group.id}/edit`, "/groups", "/partners"]);
    await context.close();
  });
});

describe("a manager plans a session step by step (issue 17)", () => {
  it("task list, one short page per section, check and schedule: at 320 px, no overflow, no axe violations", async () => {
    const group = await h.prisma.communityGroup.create({ data: { practiceId: f.practice.id, name: "Step by step group", usualVenue: "Library room", linkToken: `steps-${Date.now()}-token-long-enough-to-be-unique` } });
    const context = await h.newContext({ width: 320, height: 640 });
    const page = await context.newPage();
    await SignInPage.signIn(page, f.manager);
    const fits = () => fitsWithoutOverflow(page);
    await page.goto(`/sessions/new?groupId=${group.id}`);
    await page.getByRole("button", { name: "Plan it step by step" }).click();
    await page.waitForURL(/\/sessions\/drafts\/[0-9a-f-]+$/);
    await fits();
    expect(await page.locator(".nhsuk-task-list__status").allTextContents()).toEqual(
      ["Incomplete", "Cannot start yet", "Incomplete", "Incomplete", "Cannot start yet", "Cannot start yet"].map((s) => expect.stringContaining(s)),
    );
    const taskList = page.url();
    const step = async (name: string, fill: () => Promise<void>) => {
      await page.getByRole("link", { name }).click();
      await page.waitForURL((u) => u.pathname !== new URL(taskList).pathname);
      await fits();
      await fill();
      await page.getByRole("button", { name: "Save and continue" }).click();
      await page.waitForURL(taskList);
    };
    await step("Group and purpose", async () => {
      await page.getByLabel("Title").fill("Planned in steps");
    });
    await step("When and where", async () => {
      const when = new Date(Date.now() + 12 * 864e5);
      await page.getByLabel("Day").fill(String(when.getUTCDate()));
      await page.getByLabel("Month").fill(String(when.getUTCMonth() + 1));
      await page.getByLabel("Year").fill(String(when.getUTCFullYear()));
      await page.getByLabel("Start time").fill("14:00");
      await page.getByLabel("End time").fill("15:30");
      expect(await page.getByLabel("Venue name (if in person)").inputValue()).toBe("Library room");
    });
    await step("Facilitators", async () => {
      await page.getByLabel("MANAGER", { exact: false }).check();
    });
    await step("Ground rules and confidentiality", async () => {});
    await step("Access, support and checklist", async () => {
      await page.getByLabel("Safety (optional)").fill("A quiet room next door");
    });
    await fits();
    await page.getByRole("link", { name: "Check and schedule the session" }).click();
    await page.waitForURL(/\/check$/);
    await fits();
    expect(await page.locator("main").textContent()).toContain("Library room");
    await page.getByRole("button", { name: "Schedule session" }).click();
    await page.waitForURL(/\/sessions\/[0-9a-f-]+$/);
    expect(await page.locator("h1").textContent()).toContain("Planned in steps");
    const s = await h.prisma.communitySession.findFirstOrThrow({ where: { practiceId: f.practice.id, title: "Planned in steps" } });
    expect(s.status).toBe("SCHEDULED");
    await context.close();
  }, 240_000);
});

describe("a manager changes a session one section at a time (issue 17)", () => {
  it("session, Change, the venue in its section, back on the summary, saved: at 320 px, no overflow, no axe violations", async () => {
    const group = await h.prisma.communityGroup.create({ data: { practiceId: f.practice.id, name: "Changed group", linkToken: `edit-${Date.now()}-token-long-enough-to-be-unique` } });
    const startsAt = new Date(Math.floor(Date.now() / 36e5) * 36e5 + 14 * 864e5);
    const session = await h.prisma.communitySession.create({
      data: {
        practiceId: f.practice.id, groupId: group.id, title: "Session to change", startsAt, endsAt: new Date(startsAt.getTime() + 36e5), status: "SCHEDULED", venueName: "The old hall",
        facilitators: { create: [{ practiceId: f.practice.id, userId: f.facilitator.id }] },
      },
    });
    const context = await h.newContext({ width: 320, height: 640 });
    const page = await context.newPage();
    await SignInPage.signIn(page, f.manager);
    await page.goto(`/sessions/${session.id}`);
    await page.getByRole("link", { name: "Change the session" }).click();
    await page.waitForURL(/\/edit$/);
    await page.getByRole("link", { name: "Change venue", exact: true }).click();
    await page.waitForURL(/\/edit\/when-and-where/);
    await fitsWithoutOverflow(page);
    expect(await page.getByLabel("Venue name (if in person)").inputValue()).toBe("The old hall");
    await page.getByLabel("Venue name (if in person)").fill("The new library");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.waitForURL(/\/edit$/);
    await fitsWithoutOverflow(page);
    expect(await page.locator(".nhsuk-notification-banner").textContent()).toContain("When and where: saved");
    expect(await page.locator("main").textContent()).toContain("The new library");
    expect(await h.prisma.communitySession.findUniqueOrThrow({ where: { id: session.id } })).toMatchObject({ venueName: "The new library", startsAt, version: 2 });
    await context.close();
  }, 120_000);
});
