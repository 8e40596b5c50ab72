// The design system's stylesheet as served: no remote web font (the CSP would
// refuse it, and every visitor's console showed the errors), icons linked where
// the package is served.
import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import express from "express";
import request from "supertest";
import { NHSUK_CSS } from "../../src/middleware/views.js";
import { nhsukStylesheet, withAssetsAt, withoutRemoteFonts } from "../../src/middleware/nhsuk-stylesheet.js";

const require = createRequire(import.meta.url);
const dist = path.join(path.dirname(require.resolve("nhsuk-frontend/package.json")), "dist", "nhsuk");

describe("the NHS.UK stylesheet as served", () => {
  it("drops @font-face rules that load from another host, and keeps local ones", () => {
    const css = `a{color:red}@font-face{font-family:X;src:url(https://assets.nhs.uk/x.woff2) format("woff2")}@font-face{font-family:Y;src:url(/fonts/y.woff2)}@font-face{font-family:Z;src:url( "//cdn.example/z.woff")}b{color:blue}`;
    expect(withoutRemoteFonts(css)).toBe(`a{color:red}@font-face{font-family:Y;src:url(/fonts/y.woff2)}b{color:blue}`);
  });

  it("points root-relative asset links at the mount, quoted or not", () => {
    expect(withAssetsAt(`a{background:url(/assets/images/x.svg)}b{mask:url("/assets/images/y.svg")}c{background:url(/other/z.png)}`, "/assets/nhsuk")).toBe(
      `a{background:url(/assets/nhsuk/assets/images/x.svg)}b{mask:url("/assets/nhsuk/assets/images/y.svg")}c{background:url(/other/z.png)}`,
    );
  });

  it("serves the package's file with no remote URL left, every icon it names present, and a 304 on a repeat", async () => {
    const app = express();
    app.get(`/assets/nhsuk/${NHSUK_CSS}`, nhsukStylesheet(dist, NHSUK_CSS, "/assets/nhsuk"));
    const res = await request(app).get(`/assets/nhsuk/${NHSUK_CSS}`);
    expect(res.status).toBe(200);
    expect(res.type).toBe("text/css");
    expect(res.headers["cache-control"]).toContain("immutable");
    expect(res.text.length).toBeGreaterThan(100_000);
    expect(res.text).not.toMatch(/https?:\/\//);
    expect(res.text).not.toContain("@font-face");
    const icons = [...res.text.matchAll(/url\(["']?\/assets\/nhsuk\/([^)"']+)/g)].map((m) => m[1]!);
    expect(icons.length).toBeGreaterThan(0);
    for (const icon of icons) expect(fs.existsSync(path.join(dist, icon)), icon).toBe(true);
    expect([...res.text.matchAll(/url\(["']?\/assets\/(?!nhsuk\/)/g)]).toEqual([]);
    const again = await request(app).get(`/assets/nhsuk/${NHSUK_CSS}`).set("If-None-Match", res.headers.etag!);
    expect(again.status).toBe(304);
  });
});

