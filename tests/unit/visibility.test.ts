// The one "who may see what" rule, as a table (lib/visibility.ts).
import { describe, expect, it } from "vitest";
import type { Consent } from "../../src/generated/prisma/enums.js";
import { answersVerdict, CONSENTS, isOnBoard, isPublic, isReopened, isVerdictOnBoard, publicResponseReachesGroup, reopeningVerdict, staffAccess, staffViewKey } from "../../src/lib/visibility.js";

const P = "p1";
const G = "g1";
const idea = (consent: Consent, published: boolean, over: Partial<{ practiceId: string; groupId: string; facilitatorIds: string[] }> = {}) => ({
  practiceId: P, groupId: G, consent, publishedAt: published ? new Date() : null, facilitatorIds: ["fac-mine"], ...over,
});

describe("boards", () => {
  it.each([
    // consent, published, practice board, own group board, other group's board
    ["PUBLIC", true, true, true, false],
    ["PUBLIC", false, false, true, false],
    ["GROUP_ONLY", true, false, true, false],
    ["GROUP_ONLY", false, false, true, false],
    ["PRACTICE_ONLY", true, false, false, false],
    ["PRACTICE_ONLY", false, false, false, false],
  ] as const)("%s, published %s: practice %s, own group %s, other group %s", (consent, published, board, own, other) => {
    const i = idea(consent, published);
    expect(isPublic(i)).toBe(board);
    expect(isOnBoard({ kind: "practice", practiceId: P }, i)).toBe(board);
    expect(isOnBoard({ kind: "group", practiceId: P, groupId: G }, i)).toBe(own);
    expect(isOnBoard({ kind: "group", practiceId: P, groupId: "g2" }, i)).toBe(other);
    expect(isOnBoard({ kind: "practice", practiceId: "p2" }, i)).toBe(false);
  });
});

describe("staff", () => {
  const manager = { practiceId: P, userId: "m", role: "MANAGER" as const };
  const viewer = { practiceId: P, userId: "v", role: "VIEWER" as const };
  const mine = { practiceId: P, userId: "fac-mine", role: "FACILITATOR" as const };
  const other = { practiceId: P, userId: "fac-other", role: "FACILITATOR" as const };
  it.each([
    ["PRACTICE_ONLY", false, "whole", "whole", "whole", "none"],
    ["GROUP_ONLY", false, "whole", "whole", "whole", "none"],
    ["PUBLIC", false, "whole", "whole", "whole", "none"],
    ["PUBLIC", true, "whole", "whole", "whole", "public"],
  ] as const)("%s, published %s: manager %s, viewer %s, assigned facilitator %s, other facilitator %s", (consent, published, m, v, a, o) => {
    const i = idea(consent, published);
    expect(staffAccess(manager, i)).toBe(m);
    expect(staffAccess(viewer, i)).toBe(v);
    expect(staffAccess(mine, i)).toBe(a);
    expect(staffAccess(other, i)).toBe(o);
    expect(staffAccess({ ...manager, practiceId: "p2" }, i)).toBe("none");
  });
  it("keys cached staff pages by what scopes them", () => {
    expect(staffViewKey(manager)).toBe("MANAGER");
    expect(staffViewKey(mine)).not.toBe(staffViewKey(other));
    expect(staffViewKey(mine)).not.toBe(staffViewKey(manager));
  });
});

describe("verdicts (issue 18)", () => {
  const facts = (consent: Consent, published: boolean) => ({ practiceId: "p1", groupId: "g1", consent, publishedAt: published ? new Date() : null });
  const practice = { kind: "practice", practiceId: "p1" } as const;
  const group = { kind: "group", practiceId: "p1", groupId: "g1" } as const;
  const otherGroup = { kind: "group", practiceId: "p1", groupId: "g2" } as const;
  it.each([
    // consent, published, kind, practice board, own group board
    ["PUBLIC", true, "ANSWERS", true, true],
    ["PUBLIC", false, "PARTLY", false, true],
    ["GROUP_ONLY", false, "NOT_YET", false, true],
    ["GROUP_ONLY", true, "NOT_YET", false, true],
    ["PRACTICE_ONLY", true, "ANSWERS", false, false],
    ["PUBLIC", true, "NOT_DISCUSSED", false, false],
    ["GROUP_ONLY", false, "NOT_DISCUSSED", false, false],
  ] as const)("%s idea (published %s), verdict %s: public board %s, group board %s", (consent, published, kind, onPractice, onGroup) => {
    expect(isVerdictOnBoard(practice, facts(consent, published), { kind })).toBe(onPractice);
    expect(isVerdictOnBoard(group, facts(consent, published), { kind })).toBe(onGroup);
    expect(isVerdictOnBoard(otherGroup, facts(consent, published), { kind })).toBe(false);
    expect(isVerdictOnBoard({ kind: "practice", practiceId: "p2" }, facts(consent, published), { kind })).toBe(false);
  });
  it("reopens an idea on partly or not yet until a newer public response", () => {
    const at = new Date("2026-03-03T10:00:00Z");
    const before = new Date("2026-03-01T10:00:00Z");
    const after = new Date("2026-03-05T10:00:00Z");
    expect(isReopened({ kind: "NOT_YET", createdAt: at }, null, "PUBLIC")).toBe(true);
    expect(isReopened({ kind: "PARTLY", createdAt: at }, before, "PUBLIC")).toBe(true);
    expect(isReopened({ kind: "PARTLY", createdAt: at }, after, "PUBLIC")).toBe(false);
    for (const kind of ["ANSWERS", "NO_LONGER_MATTERS", "NOT_DISCUSSED"] as const) expect(isReopened({ kind, createdAt: at }, before, "PUBLIC")).toBe(false);
    expect(isReopened(null, null, "PUBLIC")).toBe(false);
  });
  it("counts a public response at the same instant as the verdict as answering it (one tie rule, answersVerdict)", () => {
    const at = new Date("2026-03-03T10:00:00.123Z");
    const same = new Date(at.getTime());
    expect(answersVerdict(same, at)).toBe(true);
    expect(answersVerdict(new Date(at.getTime() - 1), at)).toBe(false);
    expect(answersVerdict(new Date(at.getTime() + 1), at)).toBe(true);
    expect(isReopened({ kind: "NOT_YET", createdAt: at }, same, "PUBLIC")).toBe(false);
    expect(isReopened({ kind: "NOT_YET", createdAt: at }, new Date(at.getTime() - 1), "PUBLIC")).toBe(true);
    const verdicts = [{ id: "b", kind: "PARTLY" as const, createdAt: at }];
    expect(reopeningVerdict({ consent: "PUBLIC", verdicts, responses: [{ id: "r", isPublic: true, createdAt: same }] })).toBeNull();
    expect(reopeningVerdict({ consent: "PUBLIC", verdicts, responses: [{ id: "r", isPublic: false, createdAt: same }] })?.id).toBe("b");
  });
  it("does not reopen an idea only the practice may see: a public response would reach nobody", () => {
    const at = new Date("2026-03-03T10:00:00Z");
    const before = new Date("2026-03-01T10:00:00Z");
    expect(isReopened({ kind: "NOT_YET", createdAt: at }, before, "GROUP_ONLY")).toBe(true);
    expect(isReopened({ kind: "NOT_YET", createdAt: at }, before, "PRACTICE_ONLY")).toBe(false);
    expect(isReopened({ kind: "PARTLY", createdAt: at }, null, "PRACTICE_ONLY")).toBe(false);
    expect(CONSENTS.filter(publicResponseReachesGroup)).toEqual(["PUBLIC", "GROUP_ONLY"]);
  });
});
