// Plain-language helper: how easy a text is to read, as a reading age.
// Flesch-Kincaid grade level (US school grade) from the `flesch-kincaid`
// package with syllables counted by `syllable`; UK reading age = grade + 5.
import { fleschKincaid } from "flesch-kincaid";
import { syllable } from "syllable";

/** The NHS aims for a reading age of 11 to 12 (content style guide): above this, nudge. */
export const TARGET_READING_AGE = 12;

/**
 * Texts with fewer words than this are not scored: no reading age, never
 * "too hard", so saving one never asks for confirmation.
 *
 * Why: Flesch-Kincaid is an average over a passage (it was fitted on passages
 * of 100 words or more). In a text of a few words, the sentence-length term is
 * tiny and one long word swings syllables-per-word, so the score says nothing:
 * "Appointments available." (2 words, 7 syllables) scores a reading age of
 * 31, shown as "over 18", and "Interpreters now available at reception." 22.
 * A short answer in everyday words is what we ask managers to write, so
 * nudging them about it teaches them to tick "Save it anyway" without reading.
 * The cost: a short text of jargon (under 10 words) is not flagged either; at
 * 10 words and more the check fires as before on long, complex texts.
 */
export const MIN_WORDS_TO_SCORE = 10;

export interface Readability {
  /** False for a text shorter than MIN_WORDS_TO_SCORE words: grade and readingAge are then the formula's raw figures, not meaningful, and never shown. */
  scored: boolean;
  words: number;
  sentences: number;
  syllables: number;
  /** Flesch-Kincaid grade, one decimal. */
  grade: number;
  /** Grade + 5, rounded to a whole year, never below 5. */
  readingAge: number;
  /** True when the text is scored and its reading age is above TARGET_READING_AGE. */
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

/** The readability of a text (not scored below MIN_WORDS_TO_SCORE words), or undefined when there are no words at all. */
export function readability(text: string): Readability | undefined {
  const words = wordsIn(text);
  if (words.length === 0) return undefined;
  const sentences = Math.max(1, sentenceCount(text));
  const syllables = words.reduce((n, w) => n + Math.max(1, /^\p{N}+$/u.test(w) ? 1 : syllable(w)), 0);
  const grade = fleschKincaid({ sentence: sentences, word: words.length, syllable: syllables });
  const readingAge = Math.max(5, Math.round(grade + 5));
  const scored = words.length >= MIN_WORDS_TO_SCORE;
  return {
    scored,
    words: words.length,
    sentences,
    syllables,
    grade: Math.round(grade * 10) / 10,
    readingAge,
    tooHard: scored && readingAge > TARGET_READING_AGE,
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
  if (!r.scored) return `Too short to give a reading age (fewer than ${MIN_WORDS_TO_SCORE} words). Short answers in everyday words are usually easy to read.`;
  const age = readingAgeShown(r);
  if (!r.tooHard) return `Reading age: ${age}. This should be easy to read for most people.`;
  const sentences = r.sentences === 1 ? "1 sentence" : `${r.sentences} sentences`;
  return `Reading age: ${age} (${r.words} words in ${sentences}). Aim for a reading age of 11 to 12: use shorter sentences and everyday words.`;
}
