// The project's folders, found the same way from src/ (tsx) and dist/src/ (compiled).
import fs from "node:fs";
import path from "node:path";

function findRoot(start: string): string {
  let dir = start;
  while (!fs.existsSync(path.join(dir, "package.json"))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`package.json not found above ${start}`);
    dir = parent;
  }
  return dir;
}

export const projectRoot = findRoot(import.meta.dirname);
export const viewsDir = path.join(projectRoot, "views");
export const publicDir = path.join(projectRoot, "public");
export const localesDir = path.join(projectRoot, "locales");
