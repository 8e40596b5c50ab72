// Translations with i18next. Public pages are translated; staff pages are in
// English. Resources are the JSON files in locales/<lang>/common.json.
import fs from "node:fs";
import path from "node:path";
import { localesDir } from "./paths.js";
import i18next, { type TFunction } from "i18next";

export const LANGUAGES = [
  { code: "en", name: "English", dir: "ltr" },
  { code: "ar", name: "العربية", dir: "rtl" },
  { code: "uk", name: "Українська", dir: "ltr" },
] as const;
export type LanguageCode = (typeof LANGUAGES)[number]["code"];


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

export function translator(lang: LanguageCode): TFunction {
  return instance.getFixedT(lang);
}

export function direction(lang: LanguageCode): "ltr" | "rtl" {
  return LANGUAGES.find((l) => l.code === lang)!.dir;
}

export const i18n = instance;
