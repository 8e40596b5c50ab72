import { describe, expect, it } from "vitest";
import { SignInPage } from "../helpers/pages/sign-in.js";
import { expectNoAxeViolations, withBrowser } from "../helpers/browser.js";

const { h, a: f } = withBrowser({ practices: ["Test Practice"] });

describe("the home page", () => {
  it("has the NHS.UK layout, a working skip link and no accessibility violations", async () => {
    const context = await h.newContext();
    const page = await context.newPage();
    await page.goto("/");
    await expect(page.title()).resolves.toContain("Working with our communities");
    expect(await page.locator("header.nhsuk-header").count()).toBe(1);
    expect(await page.locator("main#maincontent h1").textContent()).toBe("Working with our communities");
    expect(await page.locator("footer.nhsuk-footer").count()).toBe(1);
    // The design system's stylesheet loaded (the header is NHS blue).
    const bg = await page.locator("header.nhsuk-header").evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(bg).toBe("rgb(0, 94, 184)");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Skip to main content");
    await expectNoAxeViolations(page);
    await context.close();
  });

  it("fits a 320 px wide screen without sideways scrolling", async () => {
    const context = await h.newContext({ width: 320, height: 640 });
    const page = await context.newPage();
    await page.goto("/");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await context.close();
  });
});

describe("signing in", () => {
  it("signs in, shows the dashboard, and signs out", async () => {
    const context = await h.newContext();
    const page = await context.newPage();
    const login = await SignInPage.open(page);
    await login.expectAccessible();
    await login.button("Sign in").click();
    // Empty form: the error summary, linked to the field.
    expect(await login.errorSummary()).toContain("Enter your email address");
    await expect(page.title()).resolves.toMatch(/^Error: /);
    const dashboard = await SignInPage.signIn(page, f.manager);
    expect(await dashboard.heading()).toContain("Dashboard");
    await dashboard.expectAccessible();
    const signedIn = (await context.cookies()).find((c) => c.name === "ppg.sid")!;
    expect(signedIn.httpOnly).toBe(true);
    await dashboard.signOut();
    // The signed-in session cookie is gone, and its session no longer exists on the server.
    const after = (await context.cookies()).find((c) => c.name === "ppg.sid");
    expect(after?.value).not.toBe(signedIn.value);
    const sid = decodeURIComponent(signedIn.value).slice(2).split(".")[0]!;
    expect(await h.prisma.httpSession.count({ where: { sid } })).toBe(0);
    await page.goto("/dashboard");
    expect(page.url()).toContain("/login");
    await context.close();
  });
});
