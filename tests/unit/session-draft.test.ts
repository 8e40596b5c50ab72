// The task list's status rule for a session planned step by step (sessions/draft.ts),
// and the rule that a session being planned is staff only and never counted as scheduled (lib/visibility.ts).
import { describe, expect, it } from "vitest";
import type { SessionStatus } from "../../src/generated/prisma/enums.js";
import { SECTIONS, sectionStatuses, type SectionKey } from "../../src/features/sessions/draft.js";
import { countsAsScheduled, isStaffOnlySession } from "../../src/lib/visibility.js";

const GROUP = "11111111-1111-4111-8111-111111111111";
const FAC = "22222222-2222-4222-8222-222222222222";
const complete = {
  groupId: GROUP, title: "Listening session", startDate: { day: "1", month: "6", year: "2031" }, startTime: "10:00", endTime: "12:00",
  online: "no", venueName: "Hall", facilitatorIds: [FAC], practicePresence: "NONE",
};
const ALL = SECTIONS.map((s) => s.key);
const statusesOf = (values: Record<string, unknown>, visited: SectionKey[]) => {
  const { statuses, ready } = sectionStatuses({ values, visited });
  return [...ALL.map((k) => statuses[k]), ready];
};

describe("task list statuses", () => {
  it.each([
    ["nothing done", {}, [], ["INCOMPLETE", "CANNOT_START", "INCOMPLETE", "INCOMPLETE", "CANNOT_START", false]],
    ["valid values not yet saved from their pages", complete, [], ["INCOMPLETE", "CANNOT_START", "INCOMPLETE", "INCOMPLETE", "CANNOT_START", false]],
    ["the group saved", complete, ["group"], ["COMPLETED", "INCOMPLETE", "INCOMPLETE", "INCOMPLETE", "INCOMPLETE", false]],
    ["everything saved and valid", complete, ALL, ["COMPLETED", "COMPLETED", "COMPLETED", "COMPLETED", "COMPLETED", true]],
    ["saved, but the venue missing", { ...complete, venueName: "" }, ALL, ["COMPLETED", "INCOMPLETE", "COMPLETED", "COMPLETED", "COMPLETED", false]],
    ["online with no joining details", { ...complete, online: "yes" }, ALL, ["COMPLETED", "INCOMPLETE", "COMPLETED", "COMPLETED", "COMPLETED", false]],
    ["the end before the start", { ...complete, endTime: "09:00" }, ALL, ["COMPLETED", "INCOMPLETE", "COMPLETED", "COMPLETED", "COMPLETED", false]],
    ["no facilitator", { ...complete, facilitatorIds: [] }, ALL, ["COMPLETED", "COMPLETED", "INCOMPLETE", "COMPLETED", "COMPLETED", false]],
    ["invited for part, without saying who", { ...complete, practicePresence: "INVITED_FOR_PART" }, ALL, ["COMPLETED", "COMPLETED", "COMPLETED", "INCOMPLETE", "COMPLETED", false]],
    ["a capacity that is not a number", { ...complete, capacity: "lots" }, ALL, ["COMPLETED", "COMPLETED", "COMPLETED", "COMPLETED", "INCOMPLETE", false]],
    ["no title: the group section, and what waits for it", { ...complete, title: "" }, ALL, ["INCOMPLETE", "CANNOT_START", "COMPLETED", "COMPLETED", "CANNOT_START", false]],
  ] as const)("%s", (_name, values, visited, expected) => {
    expect(statusesOf(values, [...visited])).toEqual(expected);
  });
});

describe("sessions being planned", () => {
  it.each([
    ["DRAFT", true, false],
    ["SCHEDULED", false, true],
    ["HELD", false, false],
    ["CANCELLED", false, false],
    ["POSTPONED", false, false],
  ] as const)("%s: staff only %s, counted as scheduled %s", (status, staffOnly, scheduled) => {
    expect(isStaffOnlySession({ status: status as SessionStatus })).toBe(staffOnly);
    expect(countsAsScheduled({ status: status as SessionStatus })).toBe(scheduled);
  });
});
