// The reading-age check on a public response, with a confirmation the server
// issues (the same design as the identifying-details check, lib/text-check.ts).
//
// A public response whose reading age is above TARGET_READING_AGE is not saved
// at first: the form comes back with the score and how to make it easier, and
// a "Save it anyway" checkbox. Its value is an HMAC, under a key derived from
// the server's secret, over who confirms, the field, the exact text checked and
// its reading age: the client cannot make one, and it is good only for that
// text (change a character and the text is checked again) and that person.
import { confirmationTokenFor, postedTokenMatches } from "./confirmation-token.js";
import { readability, readingAgeShown, TARGET_READING_AGE, type Readability } from "./readability.js";
import type { CheckKey } from "./text-check.js";

export interface ReadingAgeCheck {
  field: string;
  text: string;
  readability: Readability;
  target: number;
  /** The value of the "Save it anyway" checkbox. */
  token: string;
  confirmed: boolean;
}

export function readingAgeToken(key: CheckKey, field: string, text: string, readingAge: number): string {
  return confirmationTokenFor(key.secret, "reading-age-confirmation/v1", [key.userId, field, text, String(readingAge)]);
}

/** The check on one text; `confirmedWith` is what the checkbox posted. Undefined when the text is at or below the target, or too short to score (MIN_WORDS_TO_SCORE, lib/readability.ts). */
export function checkReadingAge(key: CheckKey, field: string, text: string, confirmedWith: unknown): ReadingAgeCheck | undefined {
  const r = readability(text);
  if (!r || !r.tooHard) return undefined;
  const token = readingAgeToken(key, field, text, r.readingAge);
  return { field, text, readability: r, target: TARGET_READING_AGE, token, confirmed: postedTokenMatches(confirmedWith, token) };
}

/** The error summary's message for an unconfirmed check. */
export function readingAgeCheckMessage(what: string, check: ReadingAgeCheck): string {
  return `${what} has a reading age of ${readingAgeShown(check.readability)}, above the target of ${check.target}. Use shorter sentences and everyday words, or confirm you want to save it anyway`;
}
