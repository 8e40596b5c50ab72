// The sessions' domain rules (features/sessions/service.ts): the status flow,
// and "a scheduled session must start in the future". The routes only show
// what these return.
import { describe, expect, it } from "vitest";
import { editErrors, newSessionErrors, statusChangeErrors } from "../../src/features/sessions/service.js";
import type { SessionStatus } from "../../src/generated/prisma/enums.js";

const now = new Date("2026-06-01T12:00:00Z");
const past = new Date("2026-05-31T12:00:00Z");
const future = new Date("2026-06-02T12:00:00Z");

describe("a new session", () => {
  it.each([
    ["SCHEDULED", future, {}],
    ["SCHEDULED", now, { startDate: "A scheduled session must start in the future: change the date, or save it as a draft" }],
    ["SCHEDULED", past, { startDate: "A scheduled session must start in the future: change the date, or save it as a draft" }],
    ["DRAFT", past, {}],
  ] as [SessionStatus, Date, object][])("%s starting %s", (status, startsAt, errors) => {
    expect(newSessionErrors(status, startsAt, now)).toEqual(errors);
  });
});

describe("editing a session", () => {
  const moved = { startDate: "A scheduled session must start in the future: change the date, or postpone or cancel the session" };
  it.each([
    ["SCHEDULED", future, past, moved],
    ["SCHEDULED", future, future, {}],
    ["SCHEDULED", past, past, {}], // not moved: a started session keeps its date
    ["DRAFT", future, past, {}],
    ["POSTPONED", future, past, {}],
  ] as [SessionStatus, Date, Date, object][])("%s from %s to %s", (status, before, startsAt, errors) => {
    expect(editErrors({ status, startsAt: before }, startsAt, now)).toEqual(errors);
  });
});

describe("changing a session's status", () => {
  it.each([
    // allowed
    ["DRAFT", future, "SCHEDULED", "", {}],
    ["DRAFT", past, "CANCELLED", "Venue closed", {}],
    ["SCHEDULED", past, "HELD", "", {}],
    ["SCHEDULED", future, "POSTPONED", "Interpreter ill", {}],
    ["POSTPONED", future, "SCHEDULED", "", {}],
    // refused, with the reason in words
    ["SCHEDULED", future, "HELD", "", { status: "A session can be marked as held only once it has started" }],
    ["DRAFT", past, "SCHEDULED", "", { status: "A session can be scheduled only if it starts in the future: change its date first" }],
    ["POSTPONED", past, "SCHEDULED", "", { status: "A session can be scheduled only if it starts in the future: change its date first" }],
    ["HELD", past, "CANCELLED", "Too late", { status: "A held session cannot be marked as cancelled" }],
    ["CANCELLED", future, "SCHEDULED", "", { status: "A cancelled session cannot be marked as scheduled" }],
    ["DRAFT", future, "HELD", "", { status: "A draft session cannot be marked as held" }],
    ["SCHEDULED", future, "CANCELLED", "", { reason: "Enter why the session is cancelled" }],
    ["SCHEDULED", future, "POSTPONED", "", { reason: "Enter why the session is postponed" }],
  ] as [SessionStatus, Date, SessionStatus, string, object][])("%s (starting %s) to %s", (status, startsAt, to, reason, errors) => {
    expect(statusChangeErrors({ status, startsAt }, to, reason, now)).toEqual(errors);
  });
});
