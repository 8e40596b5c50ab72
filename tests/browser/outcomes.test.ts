import { describe, expect, it } from "vitest";
import { expectNoAxeViolations, withBrowser } from "../helpers/browser.js";
import { OutcomePage } from "../helpers/pages/outcome.js";
import { SignInPage } from "../helpers/pages/sign-in.js";
import { createGroupAndSession } from "../helpers/fixtures.js";

const { h, a: f } = withBrowser({ practices: ["Test Practice"] });

/** Generous waits: the test machine is shared, and under load a sign-in alone can take many seconds. */
const SLOW = 90_000;


/** A new session waiting for its outcome, its form opened by the facilitator (signed in, in a new browser context). */
async function facilitatorOpensNewOutcome() {
  const { session } = await createGroupAndSession(h.prisma, f, { status: "SCHEDULED" });
  const context = await h.newContext();
  context.setDefaultTimeout(SLOW);
  const page = await context.newPage();
  await SignInPage.signIn(page, f.facilitator);
  const url = `/sessions/${session.id}/outcome`;
  await page.goto(url);
  return { session, context, page, url };
}

describe("logging a session's outcome", () => {
  it("a facilitator logs three ideas, the check catches a phone number, they fix it and save; a manager then sees the ideas", async () => {
    const { session } = await createGroupAndSession(h.prisma, f, { status: "SCHEDULED" });
    const themes = await h.prisma.theme.findMany({ where: { practiceId: f.practice.id }, orderBy: { position: "asc" } });
    const context = await h.newContext();
    context.setDefaultTimeout(SLOW);
    const page = await context.newPage();
    const dashboard = await SignInPage.signIn(page, f.facilitator);
    // The dashboard lists the session as waiting for its outcome.
    await dashboard.link(/Log the outcome of Test session/).click();
    await page.waitForURL(`**/sessions/${session.id}/outcome`);
    const outcome = new OutcomePage(page);
    await outcome.expectAccessible();

    await outcome.fillSummary({ attendance: "7", themes: "Getting appointments, interpreters", feeling: "Good: the community centre felt safe", reflections: "Two people left early" });

    const fill = (i: number, text: string, consentId: string) => outcome.fillIdea(i, { text, themeId: themes[i]!.id, support: 3 + i, consentId });
    await fill(0, "Let us book an interpreter when we book the appointment", "ideas-0-consent");
    // With JavaScript, "Add another idea" adds the fields in the page (no round trip).
    // (The autosave's own POSTs to .../outcome/draft may come at any moment on a slow machine: not a round trip of the form.)
    const requests: string[] = [];
    page.on("request", (r) => r.method() === "POST" && !r.url().endsWith("/outcome/draft") && requests.push(r.url()));
    await outcome.addIdea();
    await expect.poll(() => outcome.ideaText(1).count()).toBe(1);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("ideas-1-text");
    await fill(1, "Text us on 07700 900123 when the doctor is running late", "ideas-1-consent-2");
    await outcome.addIdea();
    await outcome.addIdea();
    await fill(2, "This one will be removed", "ideas-2-consent");
    await fill(3, "A quiet place to wait for people who find the waiting room hard", "ideas-3-consent-3");
    await outcome.removeIdea(3);
    expect(await outcome.ideaCount()).toBe(3);
    // The last idea was renumbered: it now posts as ideas[2].
    expect(await outcome.ideaText(2).inputValue()).toBe("A quiet place to wait for people who find the waiting room hard");
    expect(requests).toEqual([]);
    await outcome.expectAccessible();

    await outcome.save();
    // The check catches the phone number: the form comes back with it highlighted.
    await expect(page.title()).resolves.toMatch(/^Error: /);
    expect(await outcome.errorSummary()).toContain("Idea 2 may identify someone: it contains a phone number");
    expect(await page.locator("#ideas-1-confirm-check mark.app-highlight").textContent()).toContain("07700 900123");
    expect(await page.locator("#ideas-2-consent-3").isChecked()).toBe(true);
    expect(await h.prisma.idea.count({ where: { sessionId: session.id } })).toBe(0);
    await outcome.expectAccessible();

    // The facilitator edits the text instead of confirming.
    await outcome.ideaText(1).fill("Text us when the doctor is running late");
    await outcome.save();
    // The saved outcome, read-only. (Its flash banner is checked in the integration tests: a browser's
    // favicon request can take the flash first, see the test below.)
    expect(await page.getByRole("heading", { name: "Ideas from this session" }).count()).toBe(1);
    expect(await outcome.ideaText(0).count()).toBe(0);
    await outcome.expectAccessible();
    await context.close();

    const ideas = await h.prisma.idea.findMany({ where: { sessionId: session.id }, orderBy: { position: "asc" }, include: { theme: true } });
    expect(ideas.map((i) => [i.text, i.consent, i.support, i.status])).toEqual([
      ["Let us book an interpreter when we book the appointment", "PUBLIC", 3, "RECEIVED"],
      ["Text us when the doctor is running late", "GROUP_ONLY", 4, "RECEIVED"],
      ["A quiet place to wait for people who find the waiting room hard", "PRACTICE_ONLY", 6, "RECEIVED"],
    ]);
    expect((await h.prisma.communitySession.findUniqueOrThrow({ where: { id: session.id } })).status).toBe("HELD");

    // A manager sees the ideas in /ideas, and on the session's outcome page.
    const managerContext = await h.newContext();
    managerContext.setDefaultTimeout(SLOW);
    const mp = await managerContext.newPage();
    const list = await (await SignInPage.signIn(mp, f.manager)).goto(`/ideas?session=${session.id}`);
    const inList = await list.mainText();
    for (const i of ideas) expect(inList).toContain(i.text);
    await list.expectAccessible();
    const saved = await OutcomePage.open(mp, session.id);
    const listed = await mp.locator("ol li a").allTextContents();
    expect(listed).toEqual(ideas.map((i) => i.text));
    expect(await saved.field(/Your private reflections/).inputValue()).toBe("Two people left early");
    await saved.expectAccessible();
    await managerContext.close();
  }, 300_000);

  // With JavaScript disabled, playwright cannot run scripts in the page (so neither axe nor a layout probe):
  // the same page is checked with axe above, and at 320 px below.
  it("adds and removes ideas without JavaScript", async () => {
    const { session } = await createGroupAndSession(h.prisma, f, { status: "SCHEDULED" });
    const context = await h.browser.newContext({ baseURL: h.baseUrl, javaScriptEnabled: false });
    context.setDefaultTimeout(SLOW);
    const page = await context.newPage();
    await SignInPage.signIn(page, f.facilitator);
    const outcome = await OutcomePage.open(page, session.id);
    await outcome.ideaText(0).fill("Kept across the round trip");
    await outcome.addIdea({ script: false });
    expect(await outcome.ideaText(0).inputValue()).toBe("Kept across the round trip");
    expect(await outcome.ideaText(1).count()).toBe(1);
    await outcome.removeIdea(1, { script: false });
    expect(await outcome.ideaCount()).toBe(1);
    expect(await outcome.ideaText(0).inputValue()).toBe("");
    await outcome.saveDraft();
    // (Not the flash banner: the layout's favicon link points at a missing file, and the browser's favicon
    // request can take the flash first. Integration tests check the flash; here, the page shows the draft.)
    expect(await page.locator(".nhsuk-inset-text").first().textContent()).toContain("This is a draft, last saved");
    expect(await h.prisma.sessionOutcome.count({ where: { sessionId: session.id, isDraft: true } })).toBe(1);
    await context.close();
  }, 240_000);

  it("autosaves the draft as the facilitator types, and the text survives an expired session cookie", async () => {
    const { session, context, page, url } = await facilitatorOpensNewOutcome();
    await page.locator("#ideas-0-text").fill("A quiet room to wait in, typed and never saved by hand");
    // The polite status says when (London time), within a few seconds.
    const status = page.locator("[data-autosave-status]");
    await expect.poll(() => status.textContent(), { timeout: 30_000 }).toMatch(/^Draft saved at \d{1,2}:\d{2}(am|pm)$/);
    expect(await page.locator("[data-draft-version]").inputValue()).toBe("1");
    await expectNoAxeViolations(page);
    expect(await h.prisma.idea.count({ where: { sessionId: session.id } })).toBe(0);
    // The cookie expires and the server forgets the session (the idle timeout).
    await context.clearCookies({ name: "ppg.sid" });
    await h.prisma.$executeRawUnsafe(`delete from http_session where sess::jsonb->>'userId' = $1`, f.facilitator.id);
    await page.reload();
    await page.waitForURL(/\/login\?next=/);
    await page.getByLabel("Email address").fill(f.facilitator.email);
    await page.getByLabel("Password").fill(f.facilitator.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((u) => u.pathname === url);
    expect(await page.locator("#ideas-0-text").inputValue()).toBe("A quiet room to wait in, typed and never saved by hand");
    expect(await page.locator(".nhsuk-inset-text").first().textContent()).toContain("This is a draft, last saved");
    await context.close();
  }, 240_000);

  it("when a newer draft was saved in another tab, the autosave says so, links to it, and keeps what was typed here", async () => {
    const { session, context, page: here, url } = await facilitatorOpensNewOutcome();
    // Another tab opens the same form and autosaves first: its draft is the newer one.
    const there = await context.newPage();
    await there.goto(url);
    await there.locator("#ideas-0-text").fill("Typed in the other tab");
    await expect.poll(() => there.locator("[data-autosave-status]").textContent(), { timeout: 30_000 }).toMatch(/^Draft saved at/);
    // This tab's autosave is refused (409): the status says so, with a link to the newer draft.
    const typed = "Typed in this tab, and never to be lost";
    await here.bringToFront();
    await here.locator("#ideas-0-text").fill(typed);
    const status = here.locator("[data-autosave-status]");
    await expect.poll(() => status.textContent(), { timeout: 30_000 }).toContain("A newer draft of this outcome was saved at");
    expect(await status.textContent()).toContain("What you typed here is kept on this page");
    const link = status.getByRole("link", { name: "Open the newer draft in a new tab" });
    expect(await link.getAttribute("href")).toBe(url);
    expect(await link.getAttribute("target")).toBe("_blank");
    expect(await here.locator("#ideas-0-text").inputValue()).toBe(typed);
    await expectNoAxeViolations(here);
    // The link opens the newer draft beside this page, which keeps its text.
    const [opened] = await Promise.all([context.waitForEvent("page"), link.click()]);
    await opened.waitForLoadState();
    expect(await opened.locator("#ideas-0-text").inputValue()).toBe("Typed in the other tab");
    expect(await here.locator("#ideas-0-text").inputValue()).toBe(typed);
    // Nothing of this tab overwrote the newer draft.
    expect(JSON.stringify((await h.prisma.sessionOutcome.findUniqueOrThrow({ where: { sessionId: session.id } })).draftData)).not.toContain(typed);
    await context.close();
  }, 240_000);

  it("at 320 px, after a failed save, 'Add another idea' checks the form again: the summary says what is wrong now", async () => {
    const { session } = await createGroupAndSession(h.prisma, f, { status: "SCHEDULED" });
    const context = await h.newContext({ width: 320, height: 640 });
    context.setDefaultTimeout(SLOW);
    const page = await context.newPage();
    await SignInPage.signIn(page, f.facilitator);
    const outcome = await OutcomePage.open(page, session.id);
    await outcome.save();
    expect(await outcome.errorSummary()).toContain("Enter how many people took part");
    await outcome.field("How many people took part").fill("twelve");
    // With JavaScript on, the button now makes the round trip (the page showed a save's errors).
    await outcome.submitWith(outcome.button("Add another idea"));
    const summary = await outcome.errorSummary();
    expect(summary).not.toContain("Enter how many people took part");
    expect(summary).toContain("Number of people who took part must be a whole number");
    expect(await outcome.field("How many people took part").inputValue()).toBe("twelve");
    await context.close();
  }, 240_000);

  it("fits a 320 px wide screen", async () => {
    const { session } = await createGroupAndSession(h.prisma, f, { status: "SCHEDULED" });
    const context = await h.newContext({ width: 320, height: 640 });
    context.setDefaultTimeout(SLOW);
    const page = await context.newPage();
    await SignInPage.signIn(page, f.facilitator);
    const outcome = await OutcomePage.open(page, session.id);
    await outcome.expectNoSidewaysScroll();
    await outcome.expectAccessible();
    await context.close();
  }, 240_000);
});

describe("themes", () => {
  it("a manager reorders and retires themes (plain forms, no script needed)", async () => {
    const context = await h.newContext();
    context.setDefaultTimeout(SLOW);
    const page = await context.newPage();
    const themes = await (await SignInPage.signIn(page, f.manager)).goto("/themes");
    await themes.expectAccessible();
    await themes.submitWith(themes.button("Move down Access and appointments"));
    const first = await page.locator("tbody tr").first().textContent();
    expect(first).toContain("Communication and information");
    await themes.submitWith(themes.button("Retire Digital services"));
    expect(await page.locator("tr", { hasText: "Digital services" }).getByRole("button", { name: "Bring back Digital services" }).count()).toBe(1);
    await themes.expectAccessible();
    await context.close();
  }, 240_000);
});
