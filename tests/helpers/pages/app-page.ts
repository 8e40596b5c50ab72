// Page objects for the browser tests (after hmpps-template-typescript's
// integration_tests/pages): what a test does on a page, named once, so a
// changed label or class is fixed in one place. A page object wraps a
// playwright Page; its methods are the user's actions and the things a test
// reads back.
import type { Locator, Page } from "playwright-core";
import { expect } from "vitest";
import { expectNoAxeViolations } from "../axe.js";

export class AppPage {
  constructor(readonly page: Page) {}

  async goto(path: string): Promise<this> {
    await this.page.goto(path);
    return this;
  }

  /** Fails on any axe (WCAG 2.2 AA) violation on the page as it is now. */
  async expectAccessible(): Promise<void> {
    await expectNoAxeViolations(this.page);
  }

  /** Fails when the page scrolls sideways (what a narrow screen would show). */
  async expectNoSidewaysScroll(): Promise<void> {
    const overflow = await this.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `sideways scroll on ${this.page.url()}`).toBeLessThanOrEqual(0);
  }

  heading(): Promise<string | null> {
    return this.page.locator("h1").textContent();
  }

  mainText(): Promise<string | null> {
    return this.page.locator("main").textContent();
  }

  errorSummary(): Promise<string | null> {
    return this.page.locator(".nhsuk-error-summary").textContent();
  }

  /** The success (flash) banner's text. */
  banner(): Promise<string | null> {
    return this.page.locator(".nhsuk-notification-banner").textContent();
  }

  button(name: string | RegExp): Locator {
    return this.page.getByRole("button", { name });
  }

  link(name: string | RegExp): Locator {
    return this.page.getByRole("link", { name });
  }

  field(label: string | RegExp, opts: { exact?: boolean } = {}): Locator {
    return this.page.getByLabel(label, opts);
  }

  /** "Sign out" in the header, back on /login. */
  async signOut(): Promise<void> {
    await this.button("Sign out").click();
    await this.page.waitForURL(/\/login/);
  }

  /** Clicks a submit button and waits for the page it leads to (the same URL too, after post/redirect/get). */
  async submitWith(button: Locator): Promise<void> {
    await Promise.all([this.page.waitForEvent("framenavigated"), button.click()]);
    await this.page.waitForLoadState("load");
  }
}

/** Each URL in turn, checked for sideways scrolling (run in a narrow browser context). */
export async function expectUrlsFitScreen(page: Page, urls: string[]): Promise<void> {
  const p = new AppPage(page);
  for (const url of urls) {
    await p.goto(url);
    await p.expectNoSidewaysScroll();
  }
}
