// The outcome form's "Add another idea" after a failed save (tester's report, 320 px):
// saved empty, then "twelve" typed in attendance and "Add another idea" clicked, the
// summary still said "Enter how many people took part". After a failed save the page
// carries `revalidate=yes` (and its script lets the buttons make the round trip), and
// the round trip checks the form again: the summary says what is wrong now.
import { beforeAll, describe, expect, it } from "vitest";
import { signInAs, type Agent } from "../helpers/app.js";
import { withPractice } from "../helpers/with-practice.js";
import { createGroupAndSession } from "../helpers/fixtures.js";
import { openOutcomeForm } from "../helpers/outcomes.js";
import { hiddenField } from "../helpers/ideas.js";

const { ctx, a } = withPractice({ practices: ["Outcome add A"] });
let facilitator: Agent;

beforeAll(async () => {
  facilitator = (await signInAs(ctx.app, a.facilitator.email, a.facilitator.password)).agent;
});

const summary = (html: string) => {
  const at = html.indexOf("nhsuk-error-summary");
  if (at === -1) return [];
  const box = html.slice(at, html.indexOf("</ul>", at));
  return [...box.matchAll(/<a href="[^"]*">([^<]*)<\/a>/g)].map((m) => m[1]!);
};
const empty = { attendanceCount: "", themesDiscussed: "", processReflection: "", privateReflections: "", "ideas[0][text]": "", "ideas[0][support]": "" };

describe("'Add another idea' after a failed save", () => {
  it("checks the form again: the current message for attendance, not the stale one", async () => {
    const { session } = await createGroupAndSession(ctx.prisma, a, { status: "SCHEDULED" });
    const url = `/sessions/${session.id}/outcome`;
    const { csrf, submissionId } = await openOutcomeForm(facilitator, session.id);
    const saved = await facilitator.post(url).type("form").send({ _csrf: csrf, submissionId, mode: "new", action: "save", ...empty });
    expect(saved.status).toBe(400);
    expect(summary(saved.text)).toContain("Enter how many people took part");
    expect(saved.text).toContain("data-revalidate");
    // What the browser sends next: the page's hidden fields, "twelve" typed, "Add another idea".
    const added = await facilitator.post(url).type("form").send({
      _csrf: csrf, submissionId, mode: "new", draftVersion: hiddenField(saved.text, "draftVersion"), revalidate: hiddenField(saved.text, "revalidate"),
      action: "add", ...empty, attendanceCount: "twelve",
    });
    expect(added.status).toBe(200);
    const list = summary(added.text);
    expect(list).not.toContain("Enter how many people took part");
    expect(list).toContain("Number of people who took part must be a whole number, 0 or more, like 8");
    expect(added.text).toContain('value="twelve"');
    expect(added.text).toContain('name="ideas[0][text]"'); // the new row
    // Put right: the summary goes.
    const fixed = await facilitator.post(url).type("form").send({
      _csrf: csrf, submissionId, mode: "new", draftVersion: hiddenField(added.text, "draftVersion"), revalidate: "yes",
      action: "add", ...empty, attendanceCount: "12", themesDiscussed: "Appointments",
    });
    expect(summary(fixed.text).filter((t) => t.includes("people took part"))).toEqual([]);
    // Nothing saved as the outcome.
    expect((await ctx.prisma.sessionOutcome.findUnique({ where: { sessionId: session.id } }))?.isDraft ?? true).toBe(true);
  });

  it("on a form not yet saved, adding a row shows no errors", async () => {
    const { session } = await createGroupAndSession(ctx.prisma, a, { status: "SCHEDULED" });
    const { res, csrf, submissionId } = await openOutcomeForm(facilitator, session.id);
    expect(res.text).not.toContain('name="revalidate"');
    const added = await facilitator.post(`/sessions/${session.id}/outcome`).type("form").send({ _csrf: csrf, submissionId, mode: "new", action: "add", ...empty, attendanceCount: "twelve" });
    expect(added.status).toBe(200);
    expect(summary(added.text)).toEqual([]);
    expect(added.text).toContain('name="ideas[1][text]"');
  });
});
