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

  /**
   * Fails unless the Tab key moves through the links and controls in `area`
   * in the order they are seen: line by line from the top, each line in the
   * reading direction (WCAG 2.4.3 focus order, 1.3.2 meaningful sequence).
   */
  async expectTabOrderIsVisualOrder(area: Locator): Promise<void> {
    const items = area.locator("a[href], button, input, select, textarea");
    const count = await items.count();
    expect(count, "nothing to focus in the area").toBeGreaterThan(1);
    const seen = await items.evaluateAll((els) => {
      const rtl = getComputedStyle(els[0]!).direction === "rtl";
      const boxes = els.map((el, i) => ({ i, box: el.getBoundingClientRect() }));
      // On the same line when their vertical middles are within half a line of each other.
      const line = (b: DOMRect) => b.top + b.height / 2;
      return boxes
        .sort((x, y) => (Math.abs(line(x.box) - line(y.box)) > Math.min(x.box.height, y.box.height) / 2
          ? line(x.box) - line(y.box)
          : rtl ? y.box.right - x.box.right : x.box.left - y.box.left))
        .map((b) => b.i);
    });
    await items.first().focus();
    const tabbed = [0];
    for (let k = 1; k < count; k++) {
      await this.page.keyboard.press("Tab");
      tabbed.push(await items.evaluateAll((els) => els.indexOf(document.activeElement as HTMLElement)));
    }
    expect(tabbed, "the Tab order against the order on screen").toEqual(seen);
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
