// EJS with a layout: a page renders to `body`, then layouts/main wraps it
// (pass `layout: false` for a page that stands alone, such as a print view).
import crypto from "node:crypto";
import path from "node:path";
import ejs from "ejs";
import type { Express, Response } from "express";
import { createRequire } from "node:module";
import { viewHelpers } from "../lib/view-helpers.js";
import { translator } from "../i18n.js";
import { viewsDir } from "../paths.js";
import type { Fragment } from "../lib/practice-cache.js";
import { ROLE_LABELS } from "../lib/vocabulary.js";
export { viewsDir };

const require = createRequire(import.meta.url);
const nhsukPackage = require("nhsuk-frontend/package.json") as { version: string };
export const NHSUK_VERSION = nhsukPackage.version;
/** The design system's stylesheet (versioned name), as the layout links it. */
export const NHSUK_CSS = `nhsuk-frontend-${NHSUK_VERSION}.min.css`;

export function setUpViews(app: Express, opts: { cache: boolean }) {
  const layoutFile = path.join(viewsDir, "layouts", "main.ejs");
  app.set("views", viewsDir);
  app.set("view engine", "ejs");
  app.set("view cache", opts.cache);
  app.engine("ejs", (file, options, callback) => {
    const data = options as Record<string, unknown>;
    // Includes are written from the views folder ("/components/input"): resolved
    // against `root` with no file-system check per include (a relative include
    // costs a stat call or two on every render).
    const ejsOptions = { views: [viewsDir], root: viewsDir, cache: opts.cache, filename: file, async: false };
    ejs.renderFile(file, data, ejsOptions, (err, body) => {
      if (err) return callback(err);
      if (data.layout === false) return callback(null, body);
      ejs.renderFile(layoutFile, { ...data, body }, { ...ejsOptions, filename: layoutFile }, callback);
    });
  });
  Object.assign(app.locals, viewHelpers, {
    serviceName: "You said, we did",
    homeHref: "/",
    nhsukCss: NHSUK_CSS,
    roleLabel: (role: keyof typeof ROLE_LABELS) => ROLE_LABELS[role] ?? role,
    // Defaults a page may override.
    title: "",
    lang: "en",
    dir: "ltr",
    t: translator("en"),
    currentUser: undefined,
    nav: [],
    flash: undefined,
    errors: {},
    errorList: [],
    values: {},
    csrfToken: "",
  });
}

/**
 * Renders a view without the layout, for the practice cache (lib/practice-cache.ts):
 * from the app's helpers, the signed-in user and the given locals only, never the
 * rest of res.locals, so no CSRF token, flash message or other per-request value
 * can end up in a fragment served to somebody else (csrfToken is blanked: a POST
 * form in a cached fragment would fail visibly, not leak).
 */
export function renderFragment(res: Response, view: string, locals: Record<string, unknown>): Promise<string> {
  return new Promise((resolve, reject) => {
    res.app.render(view, { currentUser: res.locals.currentUser, ...locals, csrfToken: "", flash: undefined, layout: false }, (err, html) =>
      err ? reject(err) : resolve(html ?? ""),
    );
  });
}

/** Stands in for the fragment while the layout is rendered; never part of any template's output. */
const FRAGMENT_MARK = `\u0000fragment-${crypto.randomUUID()}\u0000`;

/**
 * Sends a page whose body was rendered already (a cached fragment), inside the
 * layout rendered for this request (user, navigation, CSRF token). The bytes are
 * joined, not the strings: the fragment is not encoded again. The ETag is worked
 * out from the layout's text and the fragment's hash, not by hashing the page.
 */
export async function renderWithBody(res: Response, fragment: Fragment | string, locals: Record<string, unknown>): Promise<void> {
  if (typeof fragment === "string") {
    res.render("layouts/fragment", { ...locals, fragment });
    return;
  }
  const page = await new Promise<string>((resolve, reject) =>
    res.render("layouts/fragment", { ...locals, fragment: FRAGMENT_MARK }, (err, html) => (err ? reject(err) : resolve(html))),
  );
  const at = page.indexOf(FRAGMENT_MARK);
  const head = page.slice(0, at);
  const tail = page.slice(at + FRAGMENT_MARK.length);
  const etag = crypto.createHash("sha1").update(head).update(fragment.hash).update(tail).digest("base64url");
  res.type("html");
  res.setHeader("ETag", `W/"${etag}"`);
  res.send(Buffer.concat([Buffer.from(head, "utf8"), fragment.html, Buffer.from(tail, "utf8")]));
}
