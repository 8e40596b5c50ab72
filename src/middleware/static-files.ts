// Static files: the NHS.UK design system from node_modules (versioned file
// names, so a year's caching is safe) and our own assets. A missing file is a
// plain 404 here: it never reaches the session (or eats a flash).
import path from "node:path";
import { createRequire } from "node:module";
import express, { type Express } from "express";
import type { Config } from "../config.js";
import { publicDir } from "../paths.js";
import { nhsukStylesheet } from "./nhsuk-stylesheet.js";
import { NHSUK_CSS } from "./views.js";

const require = createRequire(import.meta.url);
const nhsukDist = path.join(path.dirname(require.resolve("nhsuk-frontend/package.json")), "dist", "nhsuk");

export function setUpStatic(app: Express, config: Config): void {
  // Its stylesheet without the remote web font, icons linked here (middleware/nhsuk-stylesheet.ts).
  app.get(`/assets/nhsuk/${NHSUK_CSS}`, nhsukStylesheet(nhsukDist, NHSUK_CSS, "/assets/nhsuk"));
  app.use("/assets/nhsuk", express.static(nhsukDist, { maxAge: "365d", immutable: true, index: false, fallthrough: false }));
  app.use("/public", express.static(publicDir, { maxAge: config.env === "production" ? "1h" : 0, index: false, fallthrough: false }));
}
