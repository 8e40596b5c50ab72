// Every public-page string exists in every shipped language, with every
// plural form the language needs, and every key the views use exists.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { i18n, LANGUAGES } from "../../src/i18n.js";

const en = JSON.parse(fs.readFileSync("locales/en/common.json", "utf8")) as { public: Record<string, unknown> };

function leaves(o: Record<string, unknown>, prefix: string): string[] {
  return Object.entries(o).flatMap(([k, v]) => (v && typeof v === "object" ? leaves(v as Record<string, unknown>, `${prefix}.${k}`) : [`${prefix}.${k}`]));
}
const PLURAL = /_(zero|one|two|few|many|other)$/;
const keys = [...new Set(leaves(en.public, "public").map((k) => k.replace(PLURAL, "")))];
const plural = new Set(leaves(en.public, "public").filter((k) => PLURAL.test(k)).map((k) => k.replace(PLURAL, "")));

describe("public translations", () => {
  for (const { code } of LANGUAGES) {
    it(`has every public string, in every plural form, in ${code}`, () => {
      const missing: string[] = [];
      for (const key of keys) {
        const counts = plural.has(key) ? [0, 1, 2, 3, 5, 11, 21, 100, 101] : [undefined];
        for (const count of counts) {
          const opts = { lng: code, fallbackLng: false as const, ...(count === undefined ? {} : { count }) };
          if (!i18n.exists(key, opts)) missing.push(`${key}${count === undefined ? "" : ` (count ${count})`}`);
        }
      }
      expect(missing).toEqual([]);
    });
  }

  it("defines every key the public views and routes use", () => {
    const files = [...fs.readdirSync("views/public").map((f) => path.join("views/public", f)), "src/features/public/routes.ts", "src/features/public/present.ts"];
    const used = new Set<string>();
    for (const f of files) for (const m of fs.readFileSync(f, "utf8").matchAll(/t\(\s*["'`](public\.[\w.]+)["'`]/g)) used.add(m[1]!);
    expect(used.size).toBeGreaterThan(30);
    expect([...used].filter((k) => !keys.includes(k))).toEqual([]);
  });
});
