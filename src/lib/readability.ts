// Plain-language helper: how easy a text is to read, as a reading age.
// Flesch-Kincaid grade level (US school grade) from the `flesch-kincaid`
// package with syllables counted by `syllable`; UK reading age = grade + 5.
import { fleschKincaid } from "flesch-kincaid";
import { syllable } from "syllable";

/** The NHS aims for a reading age of 11 to 12 (content style guide): above this, nudge. */
export const TARGET_READING_AGE = 12;

export interface Readability {
  words: number;
  sentences: number;
  syllables: number;
  /** Flesch-Kincaid grade, one decimal. */
  grade: number;
  /** Grade + 5, rounded to a whole year, never below 5. */
  readingAge: number;
  /** True when the reading age is above TARGET_READING_AGE. */
  tooHard: boolean;
}

/** Words: runs of letters (with inner apostrophes or hyphens) or digits. */
export function wordsIn(text: string): string[] {
  return text.match(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu) ?? [];
}

/** Sentences: text ending in . ! ? or a line break; a final fragment counts as one. */
export function sentenceCount(text: string): number {
  const parts = text
    .split(/[.!?]+(?=\s|$)|\n+/u)
    .filter((p) => wordsIn(p).length > 0);
  return parts.length;
}

/** The readability of a text, or undefined when there are no words to score. */
export function readability(text: string): Readability | undefined {
  const words = wordsIn(text);
  if (words.length === 0) return undefined;
  const sentences = Math.max(1, sentenceCount(text));
  const syllables = words.reduce((n, w) => n + Math.max(1, /^\p{N}+$/u.test(w) ? 1 : syllable(w)), 0);
  const grade = fleschKincaid({ sentence: sentences, word: words.length, syllable: syllables });
  const readingAge = Math.max(5, Math.round(grade + 5));
  return {
    words: words.length,
    sentences,
    syllables,
    grade: Math.round(grade * 10) / 10,
    readingAge,
    tooHard: readingAge > TARGET_READING_AGE,
  };
}

/** "14", or "over 18" (the formula is not meaningful beyond adult reading). */
export function readingAgeShown(r: Pick<Readability, "readingAge">): string {
  return r.readingAge > 18 ? "over 18" : String(r.readingAge);
}

/**
 * The words shown with a score: the only place they are written, so every
 * page that shows a reading age (the "Check readability" result, the warning
 * on saving a public response) says the same thing.
 */
export function readingAgeMessage(r: Readability): string {
  const age = readingAgeShown(r);
  if (!r.tooHard) return `Reading age: ${age}. This should be easy to read for most people.`;
  const sentences = r.sentences === 1 ? "1 sentence" : `${r.sentences} sentences`;
  return `Reading age: ${age} (${r.words} words in ${sentences}). Aim for a reading age of 11 to 12: use shorter sentences and everyday words.`;
}
