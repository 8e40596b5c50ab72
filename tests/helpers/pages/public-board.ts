import type { Page } from "playwright-core";
import { AppPage } from "./app-page.js";

/** /p/:slug: the practice's public board ("You said, we did"), its filters and its idea pages. */
export class PublicBoardPage extends AppPage {
  static async open(page: Page, slug: string, query = ""): Promise<PublicBoardPage> {
    const p = new PublicBoardPage(page);
    await p.goto(`/p/${slug}${query}`);
    return p;
  }

  counts(): Promise<string | null> {
    return this.page.locator(".app-board-counts").textContent();
  }

  cardCount(): Promise<number> {
    return this.page.locator(".app-idea-card").count();
  }

  filtersOpen(): Promise<string | null> {
    return this.page.locator(".app-board-filters").getAttribute("open");
  }

  /** Opens the folded filters, chooses a status (its value) and shows the ideas. */
  async filterByStatus(status: string): Promise<void> {
    await this.page.locator(".app-board-filters summary").click();
    await this.field("Status").selectOption(status);
    await this.button("Show ideas").click();
    await this.page.waitForURL(new RegExp(`status=${status}`));
  }

  async language(): Promise<{ lang: string | null; dir: string | null }> {
    const html = this.page.locator("html");
    return { lang: await html.getAttribute("lang"), dir: await html.getAttribute("dir") };
  }
}
