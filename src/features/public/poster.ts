// The A4 poster must always print on one page, whatever the staff wrote and in
// every language: a fixed number of the latest items, each text cut to a fixed
// length at a word boundary, and a pointer to the board for the rest. The
// limits were found by printing the longest texts in English, Arabic and
// Ukrainian (tests/browser/public-ux.test.ts); change them together with that test.
import type { BoardIdea } from "./service.js";

export const POSTER_LIMITS = {
  /** Latest items shown. */
  items: 4,
  /** Characters (Unicode code points) of an idea's text. */
  idea: 110,
  /** Characters of the practice's answer. */
  response: 130,
  /** Characters of the practice's name (a caption above the heading). */
  practiceName: 90,
} as const;

/**
 * `text` cut to at most `max` code points (never inside a surrogate pair),
 * at the last space in the final fifth when there is one, with "…" added.
 * Whitespace is collapsed first: a poster has no room for blank lines.
 */
export function shorten(text: string, max: number): { text: string; shortened: boolean } {
  const flat = text.replace(/\s+/gu, " ").trim();
  const chars = Array.from(flat);
  if (chars.length <= max) return { text: flat, shortened: false };
  let cut = chars.slice(0, max - 1).join("");
  const space = cut.lastIndexOf(" ");
  if (space >= Math.floor(cut.length * 0.8)) cut = cut.slice(0, space);
  return { text: `${cut.replace(/[\s,.;:!?،؛-]+$/u, "")}…`, shortened: true };
}

export interface PosterItem {
  id: string;
  text: { text: string; shortened: boolean };
  createdAt: Date;
  response: { status: NonNullable<BoardIdea["response"]>["status"]; text: { text: string; shortened: boolean }; translation: NonNullable<BoardIdea["response"]>["translation"] } | null;
}

export function posterItems(ideas: BoardIdea[]): PosterItem[] {
  return ideas.slice(0, POSTER_LIMITS.items).map((i) => ({
    id: i.id,
    text: shorten(i.text, POSTER_LIMITS.idea),
    createdAt: i.createdAt,
    // A person-written translation into the poster's language, where there is one (issue 18).
    response: i.response ? { status: i.response.status, text: shorten(i.response.translation?.text ?? i.response.text, POSTER_LIMITS.response), translation: i.response.translation ?? null } : null,
  }));
}

/**
 * The board's web address in pieces, for a line break only after a "/" or
 * before the "?" (the view puts <wbr> between them): a printed address broken
 * mid-word ("riversid/e") is copied wrong; one broken at a "/" still reads as
 * an address. The scheme and host stay one piece ("https://ppg.example.org/").
 */
export function urlParts(url: string): string[] {
  const m = /^([a-z]+:\/\/[^/?#]*\/?)(.*)$/i.exec(url);
  const head = m ? m[1]! : "";
  const rest = m ? m[2]! : url;
  const parts = head ? [head] : [];
  for (const piece of rest.split(/(?<=\/)|(?=\?)/)) if (piece) parts.push(piece);
  return parts;
}
