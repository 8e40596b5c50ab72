// A manager finds an idea, answers it and publishes it after the preview.
import { beforeAll, describe, expect, it } from "vitest";
import { withBrowser } from "../helpers/browser.js";
import { expectUrlsFitScreen } from "../helpers/pages/app-page.js";
import { IdeaPage } from "../helpers/pages/idea.js";
import { SignInPage } from "../helpers/pages/sign-in.js";
import { createGroupAndSession } from "../helpers/fixtures.js";
import { createIdea } from "../helpers/ideas.js";

const { h, a: f } = withBrowser({ practices: ["Browser ideas"] });
let ideaId: string;

beforeAll(async () => {
  const { group, session } = await createGroupAndSession(h.prisma, f);
  const theme = await h.prisma.theme.findFirstOrThrow({ where: { practiceId: f.practice.id }, orderBy: { position: "asc" } });
  const origin = { practiceId: f.practice.id, sessionId: session.id, groupId: group.id, themeId: theme.id };
  ideaId = (await createIdea(h.prisma, origin, { text: "Letters in simple English please", support: 6, dueAt: new Date(Date.now() - 864e5) })).id;
  await createIdea(h.prisma, origin, { text: "Already planned idea", status: "PLANNED", firstResponseAt: new Date() });
  await createIdea(h.prisma, origin, { text: "Private idea", consent: "PRACTICE_ONLY" });
});

describe("ideas for a manager", () => {
  it("filters, opens an idea, responds, and publishes after the preview", async () => {
    const context = await h.newContext();
    const page = await context.newPage();
    const list = await (await SignInPage.signIn(page, f.manager)).goto("/ideas");
    expect(await list.heading()).toContain("Ideas");
    await list.expectAccessible();

    await page.locator("summary", { hasText: "Filter and sort ideas" }).click();
    await list.field("Status").selectOption("RECEIVED");
    await list.field("Only ideas with no response after the deadline").check();
    await list.button("Apply").click();
    await page.waitForURL(/status=RECEIVED/);
    expect(await page.getByText("1 idea match").count()).toBe(1);
    expect(await page.getByText("Already planned idea").count()).toBe(0);
    await list.expectAccessible();

    await list.link("Letters in simple English please").click();
    // The link carries the filtered list's address, so Back returns to it.
    await page.waitForURL(new RegExp(`/ideas/${ideaId}\\?back=[^#]+$`));
    expect(await page.locator("a.nhsuk-back-link").getAttribute("href")).toMatch(/^\/ideas\?(.*&)?status=RECEIVED(&|$)/);
    const idea = new IdeaPage(page);
    await idea.expectAccessible();

    // Submit empty: the error summary, then check readability, then save.
    await idea.addResponse();
    expect(await idea.errorSummary()).toContain("Select the status of this idea");
    await idea.expectAccessible();
    // Jargon in a public response: refused with its reading age (one, from the server) until simplified or confirmed.
    await idea.writeResponse({ status: "Planned", text: "The practice will undertake a comprehensive evaluation of correspondence accessibility considerations." });
    await idea.addResponse();
    expect(await idea.errorSummary()).toContain("above the target of 12");
    expect(await idea.readabilityResult()).toContain("Reading age: over 18");
    expect(await page.getByText("Estimated reading age").count()).toBe(0);
    expect(await idea.field(/Save it anyway/).count()).toBe(1);
    await idea.expectAccessible();
    await idea.writeResponse({ text: "We will write letters in plain English. We start in March." });
    await idea.checkReadability();
    expect(await idea.readabilityResult()).toContain("Reading age: 6. This should be easy to read");
    await idea.expectAccessible();
    await idea.addResponse();
    await page.waitForURL(/#timeline$/);
    expect(await idea.banner()).toContain("Response added");
    expect(await idea.timeline()).toContain("We will write letters in plain English.");
    await idea.expectAccessible();

    await idea.publish(ideaId, {
      onPreview: async () => {
        expect(await idea.previewCard()).toContain("The practice manager");
        await idea.expectAccessible();
      },
    });
    expect(await idea.banner()).toContain("now on the public board");
    await idea.expectAccessible();
    const saved = await h.prisma.idea.findUniqueOrThrow({ where: { id: ideaId } });
    expect(saved.status).toBe("PLANNED");
    expect(saved.publishedAt).toBeInstanceOf(Date);

    await idea.link(/Correct the text, theme or consent/).click();
    await idea.expectAccessible();

    await list.goto("/ideas");
    await list.link("Change the response deadline").click();
    await list.field("Number of days after the session").fill("0");
    await list.button("Save deadline").click();
    expect(await list.errorSummary()).toContain("at least 1 day");
    await list.expectAccessible();
    await context.close();
  });

  it("fits a 320 px wide screen", async () => {
    const context = await h.newContext({ width: 320, height: 640 });
    const page = await context.newPage();
    await SignInPage.signIn(page, f.manager);
    await expectUrlsFitScreen(page, ["/ideas", `/ideas/${ideaId}`]);
    await context.close();
  });
});
