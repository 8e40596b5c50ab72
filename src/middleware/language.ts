// Language for public pages: ?lang= (remembered in a cookie, so the switcher
// works without JavaScript), then the cookie, then the browser's languages.
// Staff pages stay in English.
import type { NextFunction, Request, Response } from "express";
import { parse as parseCookie } from "cookie";
import { LANGUAGES, direction, isLanguage, translator, type LanguageCode } from "../i18n.js";

export const LANG_COOKIE = "lang";

export function chooseLanguage(req: Request): { lang: LanguageCode; fromQuery: boolean } {
  const q = req.query.lang;
  if (isLanguage(q)) return { lang: q, fromQuery: true };
  const cookieLang = req.headers.cookie ? parseCookie(req.headers.cookie)[LANG_COOKIE] : undefined;
  if (isLanguage(cookieLang)) return { lang: cookieLang, fromQuery: false };
  const accepted = req.acceptsLanguages(...LANGUAGES.map((l) => l.code));
  return { lang: isLanguage(accepted) ? accepted : "en", fromQuery: false };
}

/** Link to the current page in another language (drops any other lang and page-only params kept). */
function hrefFor(req: Request, code: string): string {
  const url = new URL(req.originalUrl, "http://x");
  url.searchParams.set("lang", code);
  return url.pathname + url.search;
}

export function publicLanguage(req: Request, res: Response, next: NextFunction) {
  const { lang, fromQuery } = chooseLanguage(req);
  if (fromQuery) {
    res.cookie(LANG_COOKIE, lang, { maxAge: 365 * 24 * 3600 * 1000, sameSite: "lax", httpOnly: true, secure: req.secure, path: "/" });
  }
  res.vary("Cookie");
  res.vary("Accept-Language");
  res.locals.lang = lang;
  res.locals.dir = direction(lang);
  res.locals.t = translator(lang);
  // The service's name in the header and the page title, in the visitor's language on every page this serves:
  // the landing page, "find a board", the public pages and the 404 page (until 2026-12-02 only the boards set it).
  res.locals.serviceName = res.locals.t("layout.serviceName");
  res.locals.languages = LANGUAGES.map((l) => ({ code: l.code, name: l.name, current: l.code === lang, href: hrefFor(req, l.code) }));
  next();
}
