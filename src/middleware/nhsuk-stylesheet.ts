// The NHS.UK design system's stylesheet, served without its @font-face rules.
// Those name the Frutiger web font on the NHS asset host (it is not in the
// package): the Content-Security-Policy refuses it (font-src 'self'), many NHS
// and community networks cannot reach it, and Chromium requests it even when
// no element ends up using it, so every visitor's console showed errors.
// Without the rules nothing asks for the font; app.css names system fonts.
// Its icons (search box, sortable tables) are named from the site's root
// (url(/assets/images/...)); here they are served under /assets/nhsuk, so
// those links are pointed there.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { RequestHandler } from "express";

const FONT_FACE = /@font-face\s*\{[^}]*\}/g;

/** The stylesheet's text without @font-face rules that load from anywhere but this site. */
export function withoutRemoteFonts(css: string): string {
  return css.replace(FONT_FACE, (rule) => (/url\(\s*["']?(https?:)?\/\//i.test(rule) ? "" : rule));
}

/** The package's root-relative asset links (url(/assets/...)) pointed at where the package is served. */
export function withAssetsAt(css: string, mount: string): string {
  return css.replace(/url\(\s*(["']?)\/assets\//g, (_m, quote: string) => `url(${quote}${mount}/assets/`);
}

/** Serves one file of the package's dist folder (mounted at `mount`), without remote fonts, from memory (read once). */
export function nhsukStylesheet(distDir: string, fileName: string, mount: string): RequestHandler {
  const css = withAssetsAt(withoutRemoteFonts(fs.readFileSync(path.join(distDir, fileName), "utf8")), mount);
  const body = Buffer.from(css, "utf8");
  const etag = `"${crypto.createHash("sha1").update(body).digest("base64url")}"`;
  return (req, res) => {
    // A versioned file name: safe to keep for a year, like the rest of the package.
    res.setHeader("Cache-Control", "public, max-age=31536000, immutable");
    res.setHeader("ETag", etag);
    res.type("css");
    if (req.fresh) return void res.status(304).end();
    res.send(body);
  };
}
