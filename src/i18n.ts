// Translations with i18next. Public pages are translated; staff pages are in
// English. Resources are the JSON files in locales/<lang>/common.json.
import fs from "node:fs";
import path from "node:path";
import { localesDir } from "./paths.js";
import i18next, { type TFunction } from "i18next";

import { LANGUAGES, type LanguageCode } from "./lib/vocabulary.js";

// The languages themselves are vocabulary (lib/vocabulary.ts); re-exported for the modules that import them from here.
export { LANGUAGES, type LanguageCode } from "./lib/vocabulary.js";


const instance = i18next.createInstance();
const resources = Object.fromEntries(
  LANGUAGES.map((l) => [l.code, { common: JSON.parse(fs.readFileSync(path.join(localesDir, l.code, "common.json"), "utf8")) }]),
);
await instance.init({
  resources,
  lng: "en",
  fallbackLng: "en",
  supportedLngs: LANGUAGES.map((l) => l.code),
  defaultNS: "common",
  ns: ["common"],
  interpolation: { escapeValue: false }, // EJS escapes on output
  initAsync: false,
  showSupportNotice: false,
} as Parameters<typeof instance.init>[0]);

export function isLanguage(code: unknown): code is LanguageCode {
  return typeof code === "string" && LANGUAGES.some((l) => l.code === code);
}

/**
 * The translate function for one language. Resources never change while the app
 * runs, so a key asked for without options is looked up once per language and
 * remembered (i18next's own lookup, with its options handling, costs tens of
 * microseconds, and the layout asks for several keys on every page).
 */
const translators = new Map<LanguageCode, TFunction>();
export function translator(lang: LanguageCode): TFunction {
  let fn = translators.get(lang);
  if (!fn) {
    const fixed = instance.getFixedT(lang);
    const plain = new Map<string, string>();
    fn = ((key: string | string[], ...rest: unknown[]) => {
      if (rest.length > 0 || typeof key !== "string") return (fixed as unknown as (...a: unknown[]) => string)(key, ...rest);
      let text = plain.get(key);
      if (text === undefined) {
        text = fixed(key);
        plain.set(key, text);
      }
      return text;
    }) as unknown as TFunction;
    translators.set(lang, fn);
  }
  return fn;
}

export function direction(lang: LanguageCode): "ltr" | "rtl" {
  return LANGUAGES.find((l) => l.code === lang)!.dir;
}

export const i18n = instance;
