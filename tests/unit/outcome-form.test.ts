import { describe, expect, it } from "vitest";
import { fieldOrder, formValues, isBlankIdea } from "../../src/features/outcomes/schemas.js";
import { checkField, fingerprint } from "../../src/features/outcomes/service.js";

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
  it("counts a confirmation only for the exact text that was checked", () => {
    const text = "ring 07700 900123";
    expect(checkField("f", "nothing here", "")).toBeUndefined();
    expect(checkField("f", text, "")).toMatchObject({ kinds: ["phone"], confirmed: false });
    expect(checkField("f", text, fingerprint(text))).toMatchObject({ confirmed: true });
    expect(checkField("f", text + " or M1 1AE", fingerprint(text))).toMatchObject({ kinds: ["phone", "postcode"], confirmed: false });
  });
});
