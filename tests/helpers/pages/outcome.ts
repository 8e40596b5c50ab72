import type { Page } from "playwright-core";
import { AppPage } from "./app-page.js";

export interface OutcomeIdea {
  text: string;
  themeId: string;
  support: number | string;
  /** The id of the consent radio to check: `ideas-<i>-consent` (public), `-consent-2` (group only), `-consent-3` (practice only). */
  consentId: string;
}

/** /sessions/:id/outcome: a facilitator logs what happened and the ideas the group agreed to share. */
export class OutcomePage extends AppPage {
  static async open(page: Page, sessionId: string): Promise<OutcomePage> {
    const p = new OutcomePage(page);
    await p.goto(`/sessions/${sessionId}/outcome`);
    return p;
  }

  async fillSummary(v: { attendance: string; themes: string; feeling: string; reflections: string }): Promise<void> {
    await this.field("How many people took part").fill(v.attendance);
    await this.field("Themes discussed").fill(v.themes);
    await this.field(/How did the session feel/).fill(v.feeling);
    await this.field(/Your private reflections/).fill(v.reflections);
  }

  ideaText(i: number) {
    return this.page.locator(`#ideas-${i}-text`);
  }

  async fillIdea(i: number, idea: OutcomeIdea): Promise<void> {
    await this.ideaText(i).fill(idea.text);
    await this.page.locator(`#ideas-${i}-themeId`).selectOption(idea.themeId);
    await this.page.locator(`#ideas-${i}-support`).fill(String(idea.support));
    await this.page.locator(`#${idea.consentId}`).check();
  }

  ideaCount(): Promise<number> {
    return this.page.locator("[data-idea]").count();
  }

  /** With JavaScript the fields are added in the page; without, the form goes to the server and back. */
  async addIdea(opts: { script?: boolean } = { script: true }): Promise<void> {
    if (opts.script === false) await this.submitWith(this.button("Add another idea"));
    else await this.button("Add another idea").click();
  }

  async removeIdea(n: number, opts: { script?: boolean } = { script: true }): Promise<void> {
    if (opts.script === false) await this.submitWith(this.button(`Remove idea ${n}`));
    else await this.button(`Remove idea ${n}`).click();
  }

  save(): Promise<void> {
    return this.submitWith(this.button("Save outcome"));
  }

  saveDraft(): Promise<void> {
    return this.submitWith(this.button("Save as draft").first());
  }
}
