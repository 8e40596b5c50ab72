import { describe, expect, it } from "vitest";
import {
  describeKinds,
  findIdentifyingDetails,
  highlightIdentifyingDetails,
  highlightSegments,
  isValidNhsNumber,
  kindsOf,
  type IdentifyingKind,
} from "../../src/lib/identifying-details.js";

/** The matched pieces of text of one kind. */
const found = (text: string, kind?: IdentifyingKind) => findIdentifyingDetails(text).filter((m) => !kind || m.kind === kind).map((m) => m.text);

describe("e-mail addresses", () => {
  it("finds them, with their exact position", () => {
    const text = "Write to amina.k+ppg@example.co.uk about it";
    const [m] = findIdentifyingDetails(text);
    expect(m).toEqual({ kind: "email", start: 9, end: 34, text: "amina.k+ppg@example.co.uk" });
    expect(found("contact SAM@EXAMPLE.ORG now", "email")).toEqual(["SAM@EXAMPLE.ORG"]);
  });
  it("does not flag an @ that is not an address", () => {
    expect(found("meet @ the library at 10am")).toEqual([]);
    expect(found("user@localhost")).toEqual([]);
  });
});

describe("NHS numbers", () => {
  it("checks the modulus-11 check digit", () => {
    expect(isValidNhsNumber("9434765919")).toBe(true);
    expect(isValidNhsNumber("9434765918")).toBe(false);
    // Remainder 1 -> check digit 10: never valid.
    expect(isValidNhsNumber("1234567890")).toBe(false);
    expect(isValidNhsNumber("943476591")).toBe(false);
  });
  it("finds a valid number written together, spaced 3-3-4 or with dashes", () => {
    expect(found("her number is 9434765919.", "nhs-number")).toEqual(["9434765919"]);
    expect(found("NHS no 943 476 5919", "nhs-number")).toEqual(["943 476 5919"]);
    expect(found("NHS no 943-476-5919 ok", "nhs-number")).toEqual(["943-476-5919"]);
  });
  it("ignores a 10-digit number that fails the check", () => {
    expect(findIdentifyingDetails("reference 9434765918")).toEqual([]);
    expect(findIdentifyingDetails("reference 943 476 5918")).toEqual([]);
    expect(findIdentifyingDetails("1234567890")).toEqual([]);
  });
  it("treats a failing 10-digit number that looks like a phone number as a phone number", () => {
    expect(isValidNhsNumber("0123456788")).toBe(false);
    expect(findIdentifyingDetails("ring 0123456788").map((m) => m.kind)).toEqual(["phone"]);
  });
  it("does not take digits out of a longer number or mixed separators", () => {
    expect(found("order 19434765919", "nhs-number")).toEqual([]);
    expect(found("943 476-5919", "nhs-number")).toEqual([]);
  });
});

describe("UK phone numbers", () => {
  it.each([
    ["07700 900123", "07700 900123"],
    ["07700900123", "07700900123"],
    ["07700-900-123", "07700-900-123"],
    ["020 7946 0018", "020 7946 0018"],
    ["(020) 7946 0018", "(020) 7946 0018"],
    ["0161 496 0000", "0161 496 0000"],
    ["01632 960001", "01632 960001"],
    ["0300 123 4567", "0300 123 4567"],
    ["+44 7700 900123", "+44 7700 900123"],
    ["+447700900123", "+447700900123"],
    ["+44 (0)20 7946 0018", "+44 (0)20 7946 0018"],
  ])("finds %s", (number, expected) => {
    expect(found(`You can ring her on ${number}, any time`, "phone")).toEqual([expected]);
  });
  it("stops at the end of the number even when other figures follow", () => {
    expect(found("call 07700 900123 2 people agreed", "phone")).toEqual(["07700 900123"]);
  });
  it("does not flag years, counts, times, dates, prices or long references", () => {
    for (const text of [
      "In 2024 about 12 people came, 3 of them for the first time",
      "The session ran from 10:30 to 12:00 on 07/11/2026",
      "We waited 0 to 45 minutes",
      "It costs £1,200",
      "Reference 0770090012345678",
      "08001111 is a free number",
      "Room 0123 on floor 2",
      "about 20 - 30 minutes",
    ]) {
      expect(findIdentifyingDetails(text), text).toEqual([]);
    }
  });
});

describe("UK postcodes", () => {
  it.each(["SW1A 1AA", "M1 1AE", "b33 8th", "CR2 6XH", "DN55 1PT", "W1A 0AX", "EC1A 1BB", "SW1A1AA"])("finds %s", (pc) => {
    expect(found(`She lives at ${pc} near the park`, "postcode")).toEqual([pc]);
  });
  it("does not flag ordinary words, times or amounts", () => {
    for (const text of [
      "HOLD ON",
      "Please hold on a minute",
      "We met at 2pm and again at 3pm",
      "a4 paper is fine",
      "The B12 injections were late",
      "covid19 jabs",
      "she is in year 7 and 2nd in her class",
      "ab12cd",
    ]) {
      expect(found(text, "postcode"), text).toEqual([]);
    }
  });
});

describe("phrases that may name someone", () => {
  it.each([
    ["Hello, my name is Amina and I came with my friend", "my name is Amina"],
    ["I am called Jo by everyone", "I am called Jo"],
    ["people just call me Bex", "call me Bex"],
    ["my son Ahmed missed his appointment", "my son Ahmed"],
    ["My daughter Sara waited two hours", "My daughter Sara"],
  ])("finds it in %s", (text, expected) => {
    expect(found(text, "name-phrase")).toEqual([expected]);
  });
  it("does not flag relations or calls without a name", () => {
    for (const text of ["my son was ill for a week", "they never call me back", "call me when the letter arrives", "my daughter and I waited"]) {
      expect(found(text, "name-phrase"), text).toEqual([]);
    }
  });
});

describe("several matches", () => {
  const text = "My name is Dee, phone 07700 900123, email dee@example.com, NHS 943 476 5919, postcode M1 1AE.";
  it("finds each kind once, in text order, without overlaps", () => {
    const matches = findIdentifyingDetails(text);
    expect(matches.map((m) => m.kind)).toEqual(["name-phrase", "phone", "email", "nhs-number", "postcode"]);
    for (const m of matches) expect(text.slice(m.start, m.end)).toBe(m.text);
    expect(kindsOf(matches)).toEqual(["email", "nhs-number", "phone", "postcode", "name-phrase"]);
    expect(describeKinds(["phone", "postcode"])).toBe("a phone number and a postcode");
  });
  it("finds nothing in plain text", () => {
    expect(findIdentifyingDetails("")).toEqual([]);
    expect(findIdentifyingDetails("The reception desk could have a quieter space for people who find waiting hard.")).toEqual([]);
  });
});

describe("highlighting", () => {
  it("escapes everything and wraps only the matches", () => {
    const html = highlightIdentifyingDetails('<script>alert("x")</script> ring 07700 900123 & ask');
    expect(html).toBe(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; ring <mark class="app-highlight" data-kind="phone">07700 900123<span class="nhsuk-u-visually-hidden"> (a phone number)</span></mark> &amp; ask',
    );
    expect(html).not.toContain("<script>");
  });
  it("cuts the text into plain and matched segments that join back to the text", () => {
    const text = "email a@b.com or M1 1AE";
    const segments = highlightSegments(text);
    expect(segments).toEqual([{ text: "email " }, { text: "a@b.com", kind: "email" }, { text: " or " }, { text: "M1 1AE", kind: "postcode" }]);
    expect(segments.map((s) => s.text).join("")).toBe(text);
  });
});
