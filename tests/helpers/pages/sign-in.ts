import type { Page } from "playwright-core";
import { AppPage } from "./app-page.js";

/** /login: signs a member of staff in and lands on the dashboard. */
export class SignInPage extends AppPage {
  static async open(page: Page): Promise<SignInPage> {
    const p = new SignInPage(page);
    await p.goto("/login");
    return p;
  }

  static async signIn(page: Page, member: { email: string; password: string }): Promise<AppPage> {
    const p = new SignInPage(page);
    await p.goto("/login");
    await p.field("Email address").fill(member.email);
    await p.field("Password").fill(member.password);
    await p.button("Sign in").click();
    await page.waitForURL(/\/dashboard/);
    return new AppPage(page);
  }
}
