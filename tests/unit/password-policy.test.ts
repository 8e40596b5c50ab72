import { describe, expect, it } from "vitest";
import { isCommonPassword, passwordProblem, TOO_COMMON } from "../../src/lib/password-policy.js";

describe("password policy (NCSC: length, no composition rules, block common passwords)", () => {
  it.each([
    ["Password12345"], // a listed password with digits added: passed the old 44-entry list
    ["password12345"],
    ["Football2024!"],
    ["!!sunshine1234"],
    ["P@ssw0rd12345"],
    ["monkeymonkey"],
    ["qwertyuiop123"],
    ["123456789012"],
    ["aaaaaaaaaaaa"],
    ["Liverpool1234"],
    ["ILOVEYOU12345"],
    ["trustno1trustno1"],
  ])("refuses %s as too common", (p) => {
    expect(isCommonPassword(p)).toBe(true);
    expect(passwordProblem(p)).toBe(TOO_COMMON);
  });

  it.each([
    ["correct horse battery staple"],
    ["riverside-manager-demo"],
    ["facilitator-demo-pass"],
    ["Tea at four on Tuesdays"],
    ["marmalade kettle 1987"],
    ["zq8!fVx2pL0m"],
    ["all lower case words here"], // no composition rules
  ])("accepts %s", (p) => {
    expect(passwordProblem(p)).toBeUndefined();
  });

  it("needs 12 characters, and at most 256", () => {
    expect(passwordProblem("short phrase")).toBeUndefined();
    expect(passwordProblem("short phras")).toMatch(/12 characters or more/);
    expect(passwordProblem("x".repeat(257))).toMatch(/256 characters or fewer/);
  });
});
