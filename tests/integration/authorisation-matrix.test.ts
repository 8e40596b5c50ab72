/// <reference types="vite/client" />
// Walks every route the app declares, as each kind of visitor, and checks the
// exact status; a refused POST must leave the database unchanged. A route with
// no row in tests/authorisation/*.matrix.ts fails the test.
import request from "supertest";
import { beforeAll, describe, expect, it } from "vitest";
import { csrfTokenIn, signInAs, type Agent } from "../helpers/app.js";
import { withPractice } from "../helpers/with-practice.js";
import { buildWorld, type World } from "../helpers/world.js";
import { databaseFingerprint } from "../helpers/users.js";
import type { MatrixRow, Who } from "../authorisation/matrix.js";

const modules = import.meta.glob<{ rows: MatrixRow[] }>("../authorisation/*.matrix.ts", { eager: true });
const rows = Object.values(modules).flatMap((m) => m.rows);
const WHO: Who[] = ["anonymous", "VIEWER", "FACILITATOR", "MANAGER", "otherManager"];

const { ctx } = withPractice({ practices: [] });
let world: World;

async function agentFor(who: Who): Promise<{ agent: Agent; csrf: string }> {
  if (who === "anonymous") {
    const agent = request.agent(ctx.app);
    const csrf = csrfTokenIn((await agent.get("/login")).text);
    return { agent, csrf };
  }
  const member = who === "otherManager" ? world.b.manager : world.a[who === "VIEWER" ? "viewer" : who === "FACILITATOR" ? "facilitator" : "manager"];
  return signInAs(ctx.app, member.email, member.password);
}

beforeAll(async () => {
  world = await buildWorld(ctx.prisma);
});

describe("authorisation matrix", () => {
  it("has a row for every declared route, and no row for a route that does not exist", () => {
    const declared = ctx.app.routeSpecs.map((r) => `${r.method} ${r.path}`).sort();
    const covered = rows.map((r) => `${r.method} ${r.path}`).sort();
    expect(declared.filter((d) => !covered.includes(d)), "routes missing from the matrix").toEqual([]);
    expect(covered.filter((c) => !declared.includes(c)), "matrix rows for routes that do not exist").toEqual([]);
  });

  for (const who of WHO) {
    it(`gives ${who} exactly the expected status on every route`, async () => {
      const shared = await agentFor(who);
      const failures: string[] = [];
      for (const row of rows) {
        const { agent, csrf } = row.freshAgent ? await agentFor(who) : shared;
        const url = row.url(world);
        const expected = row.expect[who];
        const refused = [401, 403, 404].includes(expected) || (who === "anonymous" && expected === 303);
        const before = row.method === "POST" && refused ? await databaseFingerprint(ctx) : undefined;
        const res = row.method === "GET" ? await agent.get(url) : await agent.post(url).type("form").send({ ...(row.body?.(world) ?? {}), _csrf: csrf });
        if (res.status !== expected) failures.push(`${row.method} ${url}: expected ${expected}, got ${res.status}`);
        if (before !== undefined && (await databaseFingerprint(ctx)) !== before) failures.push(`${row.method} ${url}: refused, but the database changed`);
      }
      expect(failures).toEqual([]);
    }, 120_000);
  }

  it("refuses every POST without a valid CSRF token, changing nothing", async () => {
    const { agent } = await agentFor("MANAGER");
    const failures: string[] = [];
    for (const row of rows.filter((r) => r.method === "POST")) {
      const before = await databaseFingerprint(ctx);
      const url = row.url(world);
      const missing = await agent.post(url).type("form").send({ ...(row.body?.(world) ?? {}) });
      const wrong = await agent.post(url).type("form").send({ ...(row.body?.(world) ?? {}), _csrf: "not-the-token" });
      if (missing.status !== 403) failures.push(`${url} without a token: ${missing.status}`);
      if (wrong.status !== 403) failures.push(`${url} with a wrong token: ${wrong.status}`);
      if ((await databaseFingerprint(ctx)) !== before) failures.push(`${url}: the database changed`);
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
