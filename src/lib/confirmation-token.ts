// Confirmations the server issues ("this text does not identify anyone", "save
// it anyway"): an HMAC, under a key derived from the server's secret for one
// purpose, over the parts that make the confirmation (who, which field, the text
// as checked, what the check found). The client cannot make one, and it is good
// only for exactly what was checked. Used by lib/text-check.ts and
// lib/reading-age-check.ts.
import crypto from "node:crypto";

const keys = new Map<string, Buffer>();

function derivedKey(secret: string, purpose: string): Buffer {
  const id = `${purpose}\u0000${secret}`;
  let k = keys.get(id);
  if (!k) {
    k = crypto.createHmac("sha256", secret).update(purpose).digest();
    keys.set(id, k);
  }
  return k;
}

/** The token for `parts`, under the key for `purpose`. */
export function confirmationTokenFor(secret: string, purpose: string, parts: string[]): string {
  return crypto.createHmac("sha256", derivedKey(secret, purpose)).update(parts.join("\u0000")).digest("base64url").slice(0, 32);
}

/** Whether what a confirmation checkbox posted (a string, or the first of repeated values) is `token`. */
export function postedTokenMatches(posted: unknown, token: string): boolean {
  const value = typeof posted === "string" ? posted : Array.isArray(posted) && typeof posted[0] === "string" ? posted[0] : "";
  const x = Buffer.from(value);
  const y = Buffer.from(token);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}
