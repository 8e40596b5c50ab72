import { describe, expect, it } from "vitest";
import { readability, readingAgeMessage, readingAgeShown, sentenceCount, wordsIn, MIN_WORDS_TO_SCORE, TARGET_READING_AGE } from "../../src/lib/readability.js";

describe("readability", () => {
  it("counts words and sentences", () => {
    expect(wordsIn("We've booked an interpreter, for Tuesday's clinic.")).toEqual(["We've", "booked", "an", "interpreter", "for", "Tuesday's", "clinic"]);
    expect(sentenceCount("One. Two! Three? Four")).toBe(4);
    expect(sentenceCount("Dr. Patel")).toBe(2); // a known limit of the simple rule
    expect(sentenceCount("Line one\nLine two")).toBe(2);
    expect(sentenceCount("Version 1.5 is out.")).toBe(1);
  });

  it("scores a very simple text at the floor", () => {
    // 12 words, 2 sentences, 12 syllables: 0.39*6 + 11.8*1 - 15.59 = -1.45
    const r = readability("The cat sat on the mat. The dog sat on the rug.")!;
    expect(r).toMatchObject({ scored: true, words: 12, sentences: 2, syllables: 12, grade: -1.4, readingAge: 5, tooHard: false });
  });

  it("scores plain practice language as easy", () => {
    // 16 words, 2 sentences, 21 syllables: 0.39*8 + 11.8*21/16 - 15.59 = 3.0
    const r = readability("We have booked an interpreter for Tuesday mornings. You can ask for one when you book.")!;
    expect(r.words).toBe(16);
    expect(r.sentences).toBe(2);
    expect(r.syllables).toBe(21);
    expect(r.grade).toBeCloseTo(3.0, 1);
    expect(r.readingAge).toBe(8);
    expect(r.tooHard).toBe(false);
  });

  it("flags jargon above a reading age of 12", () => {
    const r = readability("The practice will undertake a comprehensive evaluation of appointment accessibility considerations, incorporating multidisciplinary stakeholder consultation.")!;
    expect(r.readingAge).toBeGreaterThan(TARGET_READING_AGE);
    expect(r.tooHard).toBe(true);
  });

  it("matches the Flesch-Kincaid formula", () => {
    const r = readability("Reception staff will now offer a private room. Just ask at the desk.")!;
    const expected = 0.39 * (r.words / r.sentences) + 11.8 * (r.syllables / r.words) - 15.59;
    expect(r.grade).toBeCloseTo(expected, 1);
    expect(r.readingAge).toBe(Math.max(5, Math.round(expected + 5)));
  });

  it("has nothing to score in empty text", () => {
    expect(readability("")).toBeUndefined();
    expect(readability("  ... !! ")).toBeUndefined();
  });
});

describe("very short texts are not scored (Flesch-Kincaid means nothing on a few words)", () => {
  it("has a threshold of 10 words", () => {
    expect(MIN_WORDS_TO_SCORE).toBe(10);
  });

  // Short texts: all but the plain one ("We have booked...", 10) scored above the target before, most "over 18"; none is scored now.
  it.each([
    ["Appointments available.", 2],
    ["Interpreters now available at reception.", 5],
    ["Interpreters are available on Tuesday mornings at reception.", 8],
    ["We have booked an interpreter. Ask at reception.", 8],
    // A short text of jargon is not flagged either: the cost of the rule.
    ["Subsequently, comprehensive multidisciplinary deliberations necessitated considerable organisational reconfiguration.", 8],
    ["Evening appointments: Tuesdays, Wednesdays, Thursdays. Telephone reception.", 7],
  ])("short, not scored, never too hard: %s", (text, words) => {
    const r = readability(text)!;
    expect(r.words).toBe(words);
    expect(r.scored).toBe(false);
    expect(r.tooHard).toBe(false);
    expect(readingAgeMessage(r)).toBe("Too short to give a reading age (fewer than 10 words). Short answers in everyday words are usually easy to read.");
    expect(readingAgeMessage(r)).not.toContain("over 18");
  });

  // Long enough to score: the check still fires on long, complex texts (caught), and not on plain ones (must not be caught).
  it.each([
    ["The practice will undertake a comprehensive evaluation of appointment accessibility considerations, incorporating multidisciplinary stakeholder consultation.", true],
    ["Subsequently, comprehensive multidisciplinary deliberations necessitated considerable reorganisation of appointment administration.", true],
    ["The practice will undertake a comprehensive evaluation of correspondence accessibility considerations.", true],
    ["We have booked an interpreter for Tuesday mornings. You can ask for one when you book.", false],
    ["We will write letters in plain English. We start in March.", false],
  ])("scored: %s -> too hard %s", (text, tooHard) => {
    const r = readability(text)!;
    expect(r.words).toBeGreaterThanOrEqual(MIN_WORDS_TO_SCORE);
    expect(r.scored).toBe(true);
    expect(r.tooHard).toBe(tooHard);
  });
});

describe("the words shown with a reading age (one place, server only)", () => {
  it("words an easy and a hard text, and caps the age shown at 'over 18'", () => {
    expect(readingAgeMessage(readability("We have booked an interpreter for Tuesday mornings. You can ask for one when you book.")!)).toBe("Reading age: 8. This should be easy to read for most people.");
    const hard = readability("The practice will undertake a comprehensive evaluation of appointment accessibility considerations, incorporating multidisciplinary stakeholder consultation.")!;
    expect(readingAgeShown(hard)).toBe("over 18");
    expect(readingAgeMessage(hard)).toMatch(/^Reading age: over 18 \(\d+ words in 1 sentence\)\. Aim for a reading age of 11 to 12: use shorter sentences and everyday words\.$/);
  });
});
