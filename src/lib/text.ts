// The one choke point for stored text: every form body passes through
// sanitiseFormBody (middleware/text.ts, installed right after the body parser
// in app.ts), so no route can forget it.
//
// Removed: bidirectional control characters (U+202A-U+202E, U+2066-U+2069,
// U+200E, U+200F, U+061C: a right-to-left override can make "321009 00770"
// display as a phone number, or hide what a text really says) and other
// control characters (C0 except tab, line feed and carriage return; DEL; C1).
// Zero-width joiners stay: Arabic, Persian and Indic scripts and emoji need
// them; the identifying-details check ignores them when matching.
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

export function sanitiseText(text: string): string {
  return text.replace(CONTROLS, "");
}

/** Every string in a parsed form body (nested objects and arrays too), sanitised in place. */
export function sanitiseFormBody<T>(value: T, depth = 0): T {
  if (typeof value === "string") return sanitiseText(value) as T;
  if (depth > 8 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = sanitiseFormBody(value[i], depth + 1);
    return value;
  }
  const o = value as Record<string, unknown>;
  for (const k of Object.keys(o)) o[k] = sanitiseFormBody(o[k], depth + 1);
  return value;
}
