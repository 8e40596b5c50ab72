// A response to a reopened idea (issue 18, features/responses/service.ts): when
// is an idea reopened, and what its next response must do (be public, say what
// changes). The route and the service's transaction both use these.
import { describe, expect, it } from "vitest";
import { comparableText, MUST_BE_PUBLIC, reopenedContext, reopenedResponseErrors, SAY_WHAT_CHANGES } from "../../src/features/responses/service.js";
import type { Consent, VerdictKind } from "../../src/generated/prisma/enums.js";

const at = (day: number) => new Date(Date.UTC(2026, 5, day, 10));
const response = (id: string, day: number, text: string, isPublic = true) => ({ id, text, status: "PLANNED" as const, isPublic, createdAt: at(day) });
const verdict = (id: string, day: number, kind: VerdictKind, words = "") => ({ id, kind, words, saidAt: at(day), createdAt: at(day) });
const LAST = "We will book interpreters from next month.";

describe("is the idea reopened?", () => {
  it.each([
    ["not yet after the last public answer", [response("r1", 1, LAST)], [verdict("v1", 2, "NOT_YET")], "v1"],
    ["partly after the last public answer", [response("r1", 1, LAST)], [verdict("v1", 2, "PARTLY")], "v1"],
    ["not yet with no public answer at all", [response("r1", 1, "Staff note", false)], [verdict("v1", 2, "NOT_YET")], "v1"],
    ["a staff-only note after the verdict does not close it", [response("r1", 1, LAST), response("r2", 3, "Chasing the agency", false)], [verdict("v1", 2, "NOT_YET")], "v1"],
    ["'not discussed' later leaves the earlier verdict standing", [response("r1", 1, LAST)], [verdict("v1", 2, "PARTLY"), verdict("v2", 4, "NOT_DISCUSSED")], "v1"],
    ["a public answer after the verdict closes it", [response("r1", 1, LAST), response("r2", 3, "Interpreters start on 1 June")], [verdict("v1", 2, "NOT_YET")], null],
    ["the latest verdict is 'this answers what we said'", [response("r1", 1, LAST)], [verdict("v1", 2, "NOT_YET"), verdict("v2", 4, "ANSWERS")], null],
    ["no verdict", [response("r1", 1, LAST)], [], null],
  ])("%s", (_name, responses, verdicts, expected) => {
    expect(reopenedContext({ consent: "PUBLIC", responses, verdicts })?.verdict.id ?? null).toBe(expected);
  });

  // A public response to a PRACTICE_ONLY idea reaches nobody (lib/visibility.ts publicResponseReachesGroup):
  // after a manager narrows the consent, the idea is not reopened and no public answer is demanded.
  it.each([
    ["PUBLIC", "v1"],
    ["GROUP_ONLY", "v1"], // the group's board shows the public response
    ["PRACTICE_ONLY", null],
  ] as [Consent, string | null][])("consent %s after a 'not yet': reopened by %s", (consent, expected) => {
    const context = reopenedContext({ consent, responses: [response("r1", 1, LAST)], verdicts: [verdict("v1", 2, "NOT_YET")] });
    expect(context?.verdict.id ?? null).toBe(expected);
    expect(reopenedResponseErrors(context, { text: "Chasing the agency.", isPublic: false })).toEqual(expected ? { isPublic: MUST_BE_PUBLIC } : {});
  });

  it("carries the previous public answer (not a later staff note)", () => {
    const context = reopenedContext({ consent: "PUBLIC", responses: [response("r1", 1, LAST), response("r2", 3, "Staff note", false)], verdicts: [verdict("v1", 2, "NOT_YET", "Still no interpreter")] });
    expect(context?.previous?.id).toBe("r1");
    expect(context?.verdict.words).toBe("Still no interpreter");
  });
});

describe("what the next response must do", () => {
  const reopened = reopenedContext({ consent: "PUBLIC", responses: [response("r1", 1, LAST)], verdicts: [verdict("v1", 2, "NOT_YET")] });
  const noAnswerYet = reopenedContext({ consent: "PUBLIC", responses: [], verdicts: [verdict("v1", 2, "PARTLY")] });

  it.each([
    // caught
    ["staff only", reopened, { text: "Interpreters start on 1 June.", isPublic: false }, { isPublic: MUST_BE_PUBLIC }],
    ["the same words", reopened, { text: LAST, isPublic: true }, { text: SAY_WHAT_CHANGES }],
    ["other case, spacing and punctuation", reopened, { text: "  we will BOOK\ninterpreters   from next month!! ", isPublic: true }, { text: SAY_WHAT_CHANGES }],
    ["full-width letters and no full stop", reopened, { text: "We will book ｉｎｔｅｒｐｒｅｔｅｒｓ from next month", isPublic: true }, { text: SAY_WHAT_CHANGES }],
    ["both at once", reopened, { text: "we will book interpreters, from next month", isPublic: false }, { isPublic: MUST_BE_PUBLIC, text: SAY_WHAT_CHANGES }],
    ["staff only, with no public answer yet", noAnswerYet, { text: "Anything", isPublic: false }, { isPublic: MUST_BE_PUBLIC }],
    // must not be caught
    ["a different public answer", reopened, { text: "We have booked interpreters for Monday mornings from 1 June.", isPublic: true }, {}],
    ["the old answer with what changes added", reopened, { text: `${LAST} Until then, ask reception and we will book one by phone.`, isPublic: true }, {}],
    ["a first public answer", noAnswerYet, { text: "We will book interpreters from next month.", isPublic: true }, {}],
    ["an idea that is not reopened, staff only and repeated", null, { text: LAST, isPublic: false }, {}],
  ])("%s", (_name, context, input, errors) => {
    expect(reopenedResponseErrors(context, input)).toEqual(errors);
  });

  it("compares letters and digits only, in one case and one form", () => {
    expect(comparableText(" Room ３, from 1 June! ")).toBe("room3from1june");
    expect(comparableText("سنحجز مترجمين.")).toBe(comparableText("سنحجز  مترجمين"));
    expect(comparableText("Room 3")).not.toBe(comparableText("Room 4"));
  });
});
