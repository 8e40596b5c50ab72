// Password rules for staff accounts, following the NCSC's password guidance:
// a minimum length, no composition rules (no "one capital, one digit"), no
// expiry, and never a password that attackers try first. "Passwords that
// attackers try first" is a maintained list shipped in an npm package, not a
// hand-written one: @zxcvbn-ts/language-common's "passwords-common"
// dictionary (about 49,000 passwords, ranked by frequency in breached-password
// corpora; MIT; no network, no install script; runs on Node 20). Besides exact
// matches (any letter case) it catches the usual dressing of a listed
// password: digits or symbols added at either end ("Password12345",
// "!football2024") and common character swaps ("p@ssw0rd"), and a listed
// password repeated ("monkeymonkey").
import { dictionary } from "@zxcvbn-ts/language-common";

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;
export const TOO_COMMON = "Password is too common: choose a longer phrase that others would not guess";

let common: Set<string> | undefined;
function commonPasswords(): Set<string> {
  return (common ??= new Set(dictionary["passwords-common"].map((p) => p.toLowerCase())));
}

const SWAPS: Record<string, string> = { "@": "a", "4": "a", "3": "e", "0": "o", $: "s", "5": "s", "1": "i", "!": "i", "7": "t", "8": "b" };
const unswap = (s: string) => s.replace(/[@430$51!78]/g, (c) => SWAPS[c] ?? c);
/** Without digits, spaces and symbols at either end. */
const core = (s: string) => s.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, "");

/** True when the password is a listed common password, or one dressed up in the usual ways. */
export function isCommonPassword(password: string): boolean {
  const list = commonPasswords();
  const lower = password.normalize("NFKC").toLowerCase();
  const candidates = new Set([lower, core(lower), unswap(lower), core(unswap(core(lower))), unswap(core(lower))]);
  for (const c of candidates) {
    if (!c) continue;
    if (list.has(c)) return true;
    // A listed password said twice or more ("monkeymonkey").
    const m = /^(.+?)\1+$/.exec(c);
    if (m && (list.has(m[1]!) || m[1]!.length <= 4)) return true;
  }
  if (/^(.)\1+$/.test(password) || /^(0123456789|1234567890|abcdefghijkl|qwertyuiop)/.test(lower)) return true;
  return false;
}

/** A message saying what is wrong with the password, or undefined when it is acceptable. */
export function passwordProblem(password: string): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH) return `Password must be ${MIN_PASSWORD_LENGTH} characters or more`;
  if (password.length > MAX_PASSWORD_LENGTH) return `Password must be ${MAX_PASSWORD_LENGTH} characters or fewer`;
  if (isCommonPassword(password)) return TOO_COMMON;
  return undefined;
}
