// EJS with a layout: a page renders to `body`, then layouts/main wraps it
// (pass `layout: false` for a page that stands alone, such as a print view).
import path from "node:path";
import ejs from "ejs";
import type { Express } from "express";
import { createRequire } from "node:module";
import { viewHelpers } from "../lib/view-helpers.js";
import { translator } from "../i18n.js";
import { viewsDir } from "../paths.js";
export { viewsDir };

const require = createRequire(import.meta.url);
const nhsukPackage = require("nhsuk-frontend/package.json") as { version: string };
export const NHSUK_VERSION = nhsukPackage.version;

const ROLE_LABELS = { MANAGER: "Practice manager", FACILITATOR: "Facilitator", VIEWER: "Read only" } as const;

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
    nhsukCss: `nhsuk-frontend-${NHSUK_VERSION}.min.css`,
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
