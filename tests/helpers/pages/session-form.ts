import type { Page } from "playwright-core";
import { AppPage } from "./app-page.js";

/** /sessions/new: a manager plans a session on one page. */
export class SessionFormPage extends AppPage {
  static async open(page: Page, query = ""): Promise<SessionFormPage> {
    const p = new SessionFormPage(page);
    await p.goto(`/sessions/new${query}`);
    return p;
  }

  venueName() {
    return this.field("Venue name (if in person)");
  }

  onlineDetails() {
    return this.field("How to join online (if online)");
  }

  /** The date and times of the session (day, month, year as numbers; times as typed, like "10:00"). */
  async fillWhen(v: { day: number; month: number; year: number; start: string; end: string }): Promise<void> {
    await this.field("Day").fill(String(v.day));
    await this.field("Month").fill(String(v.month));
    await this.field("Year").fill(String(v.year));
    await this.field("Start time").fill(v.start);
    await this.field("End time").fill(v.end);
  }

  async save(): Promise<void> {
    await this.button("Save session").click();
  }
}
