// Every EJS include is written from the views folder ("/components/input"):
// resolved without touching the file system, where a relative include costs
// one or two stat calls on every render (middleware/views.ts sets `root`).
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { viewsDir } from "../../src/paths.js";

function templates(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? templates(path.join(dir, d.name)) : d.name.endsWith(".ejs") ? [path.join(dir, d.name)] : [],
  );
}

describe("views", () => {
  it("include other templates by their path from the views folder, and each exists", () => {
    const files = templates(viewsDir);
    expect(files.length).toBeGreaterThan(20);
    const problems: string[] = [];
    for (const file of files) {
      for (const m of fs.readFileSync(file, "utf8").matchAll(/include\(\s*(['"])([^'"]+)\1/g)) {
        const target = m[2]!;
        if (!target.startsWith("/")) problems.push(`${path.relative(viewsDir, file)}: relative include '${target}'`);
        else if (!fs.existsSync(path.join(viewsDir, `${target}.ejs`))) problems.push(`${path.relative(viewsDir, file)}: missing '${target}'`);
      }
    }
    expect(problems).toEqual([]);
  });
});
