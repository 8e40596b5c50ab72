import { describe, expect, it } from "vitest";
import { fieldOrder, formValues, isBlankIdea } from "../../src/features/outcomes/schemas.js";
import crypto from "node:crypto";
import { checkField, confirmationToken } from "../../src/lib/text-check.js";

describe("the outcome form's values", () => {
  it("reads ideas posted as an array or, past the body parser's array limit, as an object keyed by index", () => {
    expect(formValues({ ideas: [{ text: "a" }, { text: "b", support: "2" }] }).ideas.map((i) => i.text)).toEqual(["a", "b"]);
    const keyed = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [String(i), { text: `idea ${i}` }]));
    const values = formValues({ ideas: { ...keyed, evil: { text: "x" } } });
    expect(values.ideas).toHaveLength(25);
    expect(values.ideas[10]!.text).toBe("idea 10");
    expect(values.ideas[24]!.text).toBe("idea 24");
  });
  it("keeps strings only and caps the number of ideas", () => {
    const v = formValues({ attendanceCount: ["3", "4"], themesDiscussed: { x: 1 }, ideas: Array.from({ length: 80 }, () => ({ text: 5 })) });
    expect(v.attendanceCount).toBe("3");
    expect(v.themesDiscussed).toBe("");
    expect(v.ideas).toHaveLength(50);
    expect(v.ideas[0]!.text).toBe("");
    expect(formValues(undefined).ideas).toEqual([]);
  });
  it("knows a row left completely empty", () => {
    expect(isBlankIdea({ text: " ", themeId: "", support: "", consent: "", confirmSafe: "" })).toBe(true);
    expect(isBlankIdea({ text: "", themeId: "", support: "", consent: "PUBLIC", confirmSafe: "" })).toBe(false);
  });
  it("orders errors as the fields appear", () => {
    expect(fieldOrder(1)).toEqual(["attendanceCount", "themesDiscussed", "processReflection", "privateReflections", "ideas-0-text", "ideas-0-themeId", "ideas-0-support", "ideas-0-consent"]);
  });
});

describe("confirming a field is safe", () => {
  const key = { secret: "s".repeat(40), userId: "user-1" };
  it("counts a confirmation only for the exact text that was checked", () => {
    const text = "ring 07700 900123";
    expect(checkField(key, "f", "nothing here", "")).toBeUndefined();
    const first = checkField(key, "f", text, "")!;
    expect(first).toMatchObject({ kinds: ["phone"], confirmed: false });
    expect(checkField(key, "f", text, first.token)).toMatchObject({ confirmed: true });
    expect(checkField(key, "f", text + " or M1 1AE", first.token)).toMatchObject({ kinds: ["phone", "postcode"], confirmed: false });
  });
  it("is issued by the server: not a hash the client can compute, and only for that person and field", () => {
    const text = "ring 07700 900123";
    const token = checkField(key, "f", text, "")!.token;
    for (const guess of [crypto.createHash("sha256").update(text).digest("hex").slice(0, 20), crypto.createHash("sha256").update(text).digest("base64url").slice(0, 32), ""]) {
      expect(checkField(key, "f", text, guess)!.confirmed).toBe(false);
    }
    expect(checkField({ ...key, userId: "user-2" }, "f", text, token)!.confirmed).toBe(false);
    expect(checkField({ ...key, secret: "t".repeat(40) }, "f", text, token)!.confirmed).toBe(false);
    expect(checkField(key, "g", text, token)!.confirmed).toBe(false);
    // The same text and findings after normalisation (a zero-width space added) keep the confirmation.
    expect(confirmationToken(key, "f", "ring 07700\u200B 900123")).toBe(token);
  });
});
