import type { Page } from "playwright-core";
import { AppPage } from "./app-page.js";

/** /ideas/:id: a manager answers an idea, checks readability, and publishes it after the preview. */
export class IdeaPage extends AppPage {
  static async open(page: Page, ideaId: string): Promise<IdeaPage> {
    const p = new IdeaPage(page);
    await p.goto(`/ideas/${ideaId}`);
    return p;
  }

  /** Chooses the status (its label) and types the response; nothing is sent. */
  async writeResponse(v: { status?: string; text?: string }): Promise<void> {
    if (v.status) await this.field(v.status).check();
    if (v.text !== undefined) await this.field("Response", { exact: true }).fill(v.text);
  }

  async addResponse(): Promise<void> {
    await this.button("Add response").click();
  }

  async checkReadability(): Promise<void> {
    await this.button("Check readability").click();
  }

  readabilityResult(): Promise<string | null> {
    return this.page.locator("#readability-result").textContent();
  }

  timeline(): Promise<string | null> {
    return this.page.locator(".app-timeline").textContent();
  }

  /** "Preview and publish", then "Publish this idea" on the preview; back on the idea's page. */
  async publish(ideaId: string, opts: { onPreview?: (preview: AppPage) => Promise<void> } = {}): Promise<void> {
    await this.button("Preview and publish").click();
    await this.page.waitForURL(/\/publish$/);
    await opts.onPreview?.(this);
    await this.button("Publish this idea").click();
    await this.page.waitForURL(new RegExp(`/ideas/${ideaId}$`));
  }

  previewCard(): Promise<string | null> {
    return this.page.locator(".app-public-preview").textContent();
  }
}
