import { describe, expect, it } from "vitest";
import { readability, readingAgeMessage, readingAgeShown, sentenceCount, wordsIn, TARGET_READING_AGE } from "../../src/lib/readability.js";

describe("readability", () => {
  it("counts words and sentences", () => {
    expect(wordsIn("We've booked an interpreter, for Tuesday's clinic.")).toEqual(["We've", "booked", "an", "interpreter", "for", "Tuesday's", "clinic"]);
    expect(sentenceCount("One. Two! Three? Four")).toBe(4);
    expect(sentenceCount("Dr. Patel")).toBe(2); // a known limit of the simple rule
    expect(sentenceCount("Line one\nLine two")).toBe(2);
    expect(sentenceCount("Version 1.5 is out.")).toBe(1);
  });

  it("scores a very simple sentence at the floor", () => {
    // 6 words, 1 sentence, 6 syllables: 0.39*6 + 11.8*1 - 15.59 = -1.45
    const r = readability("The cat sat on the mat.")!;
    expect(r).toMatchObject({ words: 6, sentences: 1, syllables: 6, grade: -1.4, readingAge: 5, tooHard: false });
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

describe("the words shown with a reading age (one place, server only)", () => {
  it("words an easy and a hard text, and caps the age shown at 'over 18'", () => {
    expect(readingAgeMessage(readability("We have booked an interpreter for Tuesday mornings. You can ask for one when you book.")!)).toBe("Reading age: 8. This should be easy to read for most people.");
    const hard = readability("The practice will undertake a comprehensive evaluation of appointment accessibility considerations, incorporating multidisciplinary stakeholder consultation.")!;
    expect(readingAgeShown(hard)).toBe("over 18");
    expect(readingAgeMessage(hard)).toMatch(/^Reading age: over 18 \(\d+ words in 1 sentence\)\. Aim for a reading age of 11 to 12: use shorter sentences and everyday words\.$/);
  });
});
