// The identifying-details check: finds what may identify a person in free text
// that could become public (idea text, themes discussed). Pure: no I/O, no
// dependencies, so it is easy to test and to reuse in any view or service.
//
// It errs on the side of asking: a match is a question for the facilitator
// ("is this about an identifiable person?"), never a silent rejection.

export type IdentifyingKind = "email" | "phone" | "nhs-number" | "postcode" | "name-phrase";

export interface IdentifyingMatch {
  kind: IdentifyingKind;
  /** Offsets into the text (UTF-16 code units), end exclusive. */
  start: number;
  end: number;
  text: string;
}

export const KIND_LABELS: Record<IdentifyingKind, string> = {
  email: "an email address",
  phone: "a phone number",
  "nhs-number": "an NHS number",
  postcode: "a postcode",
  "name-phrase": "words that may name someone",
};

/** Earlier kinds win when two matches overlap (an email can hold digits; an NHS number can look like a phone number). */
const PRIORITY: IdentifyingKind[] = ["email", "nhs-number", "phone", "postcode", "name-phrase"];

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;

function findEmails(text: string): IdentifyingMatch[] {
  return [...text.matchAll(EMAIL)].map((m) => ({ kind: "email", start: m.index, end: m.index + m[0].length, text: m[0] }));
}

/** The NHS number's check digit (modulus 11): weights 10..2 on the first nine digits. */
export function isValidNhsNumber(digits: string): boolean {
  if (!/^\d{10}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(digits[i]) * (10 - i);
  let check = 11 - (sum % 11);
  if (check === 11) check = 0;
  if (check === 10) return false;
  return check === Number(digits[9]);
}

// Ten digits, together or as 3-3-4 with the same separator (space or dash) twice.
const NHS_CANDIDATE = /(?<![\w+])(\d{3})([ -]?)(\d{3})\2(\d{4})(?![\w])/g;

function findNhsNumbers(text: string): IdentifyingMatch[] {
  const out: IdentifyingMatch[] = [];
  for (const m of text.matchAll(NHS_CANDIDATE)) {
    const digits = m[1]! + m[3]! + m[4]!;
    if (isValidNhsNumber(digits)) out.push({ kind: "nhs-number", start: m.index, end: m.index + m[0].length, text: m[0] });
  }
  return out;
}

/** Where a phone number may start: "+44", "(0" or "0", not inside a word or a longer number. */
const PHONE_START = /(?<![\w+])(?:\+\s?44|\(0|0)/g;
const SEPARATORS = new Set([" ", "-", "(", ")", "."]);

/** A UK number in national form (leading 0): mobiles 07, geographic 01/02, non-geographic 03. */
function isUkNationalNumber(national: string): boolean {
  if (/^0[237]\d{9}$/.test(national)) return true;
  // A few 01 areas have 9 digits after the 0 (e.g. 016977 xxxx).
  return /^01\d{8,9}$/.test(national);
}

function findPhones(text: string): IdentifyingMatch[] {
  const out: IdentifyingMatch[] = [];
  for (const m of text.matchAll(PHONE_START)) {
    const start = m.index;
    const international = m[0].startsWith("+");
    // Scan digits, allowing a short run of separators (at most 3 characters) between them,
    // and remember where each digit ended: the number may be followed by other figures ("07700 900123 2 people").
    let i = international ? start + m[0].length : start;
    let digits = "";
    const ends: number[] = [];
    while (i < text.length && digits.length < 13) {
      const c = text[i]!;
      if (c >= "0" && c <= "9") {
        digits += c;
        i++;
        ends.push(i);
        continue;
      }
      if (SEPARATORS.has(c)) {
        let j = i;
        while (j < text.length && j - i < 3 && SEPARATORS.has(text[j]!)) j++;
        if (j < text.length && text[j]! >= "0" && text[j]! <= "9") {
          i = j;
          continue;
        }
      }
      break;
    }
    // The longest prefix that is a UK number and is not glued to a further digit.
    for (let n = digits.length; n >= 9; n--) {
      const end = ends[n - 1]!;
      if (end < text.length && /\d/.test(text[end]!)) continue;
      const part = digits.slice(0, n);
      // "+44 (0)20 ..." keeps a bracketed 0 that is not dialled.
      const national = international ? "0" + (part.startsWith("0") ? part.slice(1) : part) : part;
      if (isUkNationalNumber(national)) {
        out.push({ kind: "phone", start, end, text: text.slice(start, end) });
        break;
      }
    }
  }
  return out;
}

// UK postcodes: outward code (area letters, district) and inward code (sector digit, unit letters).
// Area letters: first not Q, V, X; second not I, J, Z. Unit letters never C, I, K, M, O, V.
const POSTCODE = /(?<![\p{L}\p{N}])([A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?)( ?)(\d[ABD-HJLNP-UW-Z]{2})(?![\p{L}\p{N}])/giu;

function findPostcodes(text: string): IdentifyingMatch[] {
  const out: IdentifyingMatch[] = [];
  for (const m of text.matchAll(POSTCODE)) {
    // Without the space, only accept it written in capitals ("SW1A1AA"), not an ordinary lower-case token.
    if (m[2] === "" && m[0] !== m[0].toUpperCase()) continue;
    out.push({ kind: "postcode", start: m.index, end: m.index + m[0].length, text: m[0] });
  }
  return out;
}

const RELATIONS =
  "son|daughter|husband|wife|partner|boyfriend|girlfriend|mother|mum|mom|father|dad|brother|sister|child|baby|boy|girl|grandson|granddaughter|grandmother|grandfather|nan|grandma|grandad|neighbour|friend|carer|aunt|uncle|cousin|niece|nephew";
// Phrases that introduce a name whatever follows.
const NAME_INTRO = /\b(?:my name is|my name's|my names|i am called|i'm called|im called|her name is|his name is|their name is)\s+[\p{L}'-]+/giu;
// Phrases that only name someone when a capitalised word follows ("call me Sam", "my son Ahmed"), not "call me back" or "my son was ill".
const NAME_BEFORE_CAPITAL = new RegExp(`\\b(?:call me|they call me|everyone calls me|my (?:${RELATIONS}))\\s+(\\p{Lu}[\\p{L}'-]*)`, "giu");

function findNamePhrases(text: string): IdentifyingMatch[] {
  const out: IdentifyingMatch[] = [];
  for (const m of text.matchAll(NAME_INTRO)) out.push({ kind: "name-phrase", start: m.index, end: m.index + m[0].length, text: m[0] });
  for (const m of text.matchAll(NAME_BEFORE_CAPITAL)) {
    const name = m[1]!;
    // The flag is case-insensitive for the phrase; the name itself must really start with a capital, and not be "I".
    if (name === "I" || name[0] !== name[0]!.toUpperCase() || name[0] === name[0]!.toLowerCase()) continue;
    out.push({ kind: "name-phrase", start: m.index, end: m.index + m[0].length, text: m[0] });
  }
  return out;
}

/** Every match, in text order, without overlaps (the higher-priority kind wins). */
export function findIdentifyingDetails(text: string): IdentifyingMatch[] {
  if (!text) return [];
  const all = [...findEmails(text), ...findNhsNumbers(text), ...findPhones(text), ...findPostcodes(text), ...findNamePhrases(text)];
  all.sort((a, b) => PRIORITY.indexOf(a.kind) - PRIORITY.indexOf(b.kind) || a.start - b.start);
  const kept: IdentifyingMatch[] = [];
  for (const m of all) {
    if (!kept.some((k) => m.start < k.end && k.start < m.end)) kept.push(m);
  }
  return kept.sort((a, b) => a.start - b.start);
}

/** The distinct kinds found, in a stable order (for messages and the audit log: never the matched text). */
export function kindsOf(matches: IdentifyingMatch[]): IdentifyingKind[] {
  return PRIORITY.filter((k) => matches.some((m) => m.kind === k));
}

/** "a phone number and a postcode" */
export function describeKinds(kinds: IdentifyingKind[]): string {
  const labels = kinds.map((k) => KIND_LABELS[k]);
  if (labels.length <= 1) return labels[0] ?? "";
  return `${labels.slice(0, -1).join(", ")} and ${labels[labels.length - 1]}`;
}

export interface Segment {
  text: string;
  kind?: IdentifyingKind;
}

/** The text cut into plain and matched pieces, for a view to render with `<%= %>` (escaped) and `<mark>`. */
export function highlightSegments(text: string, matches: IdentifyingMatch[] = findIdentifyingDetails(text)): Segment[] {
  const segments: Segment[] = [];
  let at = 0;
  for (const m of matches) {
    if (m.start > at) segments.push({ text: text.slice(at, m.start) });
    segments.push({ text: text.slice(m.start, m.end), kind: m.kind });
    at = m.end;
  }
  if (at < text.length) segments.push({ text: text.slice(at) });
  return segments;
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** The text as safe HTML: everything escaped, each match wrapped in `<mark class="app-highlight">` naming its kind. */
export function highlightIdentifyingDetails(text: string, matches: IdentifyingMatch[] = findIdentifyingDetails(text)): string {
  return highlightSegments(text, matches)
    .map((s) =>
      s.kind
        ? `<mark class="app-highlight" data-kind="${s.kind}">${escape(s.text)}<span class="nhsuk-u-visually-hidden"> (${escape(KIND_LABELS[s.kind])})</span></mark>`
        : escape(s.text),
    )
    .join("");
}
