import type { Page } from "playwright-core";
import { AppPage } from "./app-page.js";

type DateParts = { day: number; month: number; year: number };

/** /reports: a manager chooses the period the figures cover. */
export class ReportsPage extends AppPage {
  static async open(page: Page): Promise<ReportsPage> {
    const p = new ReportsPage(page);
    await p.goto("/reports");
    return p;
  }

  /**
   * The charts displayed now (of the wide and narrow drawing of each, the one
   * the screen shows), each with the smallest size its text is drawn at on
   * screen: the font size times the drawing's scale, in CSS pixels.
   */
  async displayedCharts(): Promise<{ label: string; smallestText: number; width: number }[]> {
    return this.page.locator(".app-chart-wrapper svg").evaluateAll((svgs) =>
      (svgs as SVGSVGElement[])
        .filter((svg) => getComputedStyle(svg).display !== "none")
        .map((svg) => {
          const scale = svg.getScreenCTM()!.a;
          const sizes = [...svg.querySelectorAll("text")].map((t) => parseFloat(getComputedStyle(t).fontSize) * scale);
          return { label: svg.getAttribute("aria-labelledby") ?? "", smallestText: Math.min(...sizes), width: svg.getBoundingClientRect().width };
        }),
    );
  }

  startDate() {
    return this.page.getByRole("group", { name: "Start date" });
  }

  endDate() {
    return this.page.getByRole("group", { name: "End date" });
  }

  /** Types the parts given of the start and end dates, then "Show reports". */
  async showRange(from: Partial<DateParts>, to: Partial<DateParts> = {}): Promise<void> {
    for (const [group, parts] of [[this.startDate(), from], [this.endDate(), to]] as const) {
      if (parts.day !== undefined) await group.getByLabel("Day").fill(String(parts.day));
      if (parts.month !== undefined) await group.getByLabel("Month").fill(String(parts.month));
      if (parts.year !== undefined) await group.getByLabel("Year").fill(String(parts.year));
    }
    await this.button("Show reports").click();
  }
}
