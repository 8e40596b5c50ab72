// npm run bench: the product's speed as measured facts.
// 1. A large data set in a dedicated database (reused when present), and a small one.
// 2. The app as in production (compiled, NODE_ENV=production) and a bare Express
//    "hello" app, each loaded with autocannon (50 connections, warm-up, then BENCH_DURATION s).
// 3. A table of requests/s, p50/p95/p99 latency, throughput as a ratio of the bare
//    route, the app's peak memory, and the SQL queries each page runs at 10 and at
//    100,000 ideas. The same figures go to bench/results/latest.json.
// Needs a Postgres server: BENCH_DATABASE_URL (default the local one, database ppg_bench).
import { execFileSync, fork, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import autocannon from "autocannon";
import pg from "pg";
import { pino } from "pino";
import { createApp } from "../src/app.js";
import { loadConfig } from "../src/config.js";
import { openDatabase } from "../src/db/index.js";
import { migrateDatabase } from "../src/db/migrate.js";
import { projectRoot } from "../src/paths.js";
import { BENCH_PASSWORD, LARGE, SMALL, managerEmail, practiceSlug, seedLarge, type SeedSize } from "./seed-large.js";

const BASE = process.env.BENCH_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/ppg_bench";
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3);
const CONNECTIONS = 50;
/** BENCH_ONLY=regex: load only the routes whose name matches (the bare route always runs). */
const ONLY = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY) : undefined;
const APP_PORT = Number(process.env.BENCH_PORT ?? 3900);
const HELLO_PORT = APP_PORT + 1;
const log = (s: string) => process.stdout.write(`bench: ${s}\n`);

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Creates, migrates and seeds the database unless it already holds this data set. */
async function ensureDataSet(url: string, size: SeedSize): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const admin = new pg.Client({ connectionString: withDatabase(url, "postgres") });
  await admin.connect();
  const exists = (await admin.query("select 1 from pg_database where datname = $1", [name])).rowCount === 1;
  let ready = false;
  if (exists) {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      const r = await c.query(`select (select count(*) from "Practice")::int as p, (select count(*) from "Idea")::int as i, (select count(*) from "Response")::int as r`);
      const want = { p: size.practices, i: size.practices * size.ideasPerPractice, r: size.practices * size.ideasPerPractice * size.responsesPerIdea };
      ready = r.rows[0].p === want.p && r.rows[0].i === want.i && r.rows[0].r === want.r;
    } catch {
      ready = false;
    }
    await c.end();
  }
  if (!ready) {
    if (exists) await admin.query(`drop database "${name}" with (force)`);
    await admin.query(`create database "${name}"`);
  }
  await admin.end();
  await migrateDatabase(url);
  if (ready) {
    log(`reusing the data set in ${name}`);
    return;
  }
  log(`seeding ${name}: ${size.practices} practices, ${size.practices * size.ideasPerPractice} ideas, ${size.practices * size.ideasPerPractice * size.responsesPerIdea} responses`);
  const started = Date.now();
  const db = await openDatabase({ databaseUrl: url, dataDir: "/nonexistent", logger: pino({ level: "silent" }), migrate: false });
  await seedLarge(db.prisma, size, (s) => (/ (10|20|30|40|50)\//.test(s) ? log(s) : undefined));
  await db.prisma.$executeRawUnsafe("analyze");
  await db.close();
  log(`seeded in ${Math.round((Date.now() - started) / 1000)} s`);
}

async function sampleIdeaId(url: string): Promise<string> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const r = await c.query(
    `select i.id from "Idea" i join "Practice" p on p.id = i."practiceId" where p.slug = $1 and i.consent = 'PUBLIC' and i."publishedAt" is not null order by i."createdAt" desc limit 1`,
    [practiceSlug(0)],
  );
  await c.end();
  return r.rows[0].id;
}

/** Signs in over HTTP and returns the session cookie. */
async function signIn(base: string, email: string): Promise<string> {
  const login = await fetch(`${base}/login`);
  const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0]!;
  const csrf = (await login.text()).match(/name="_csrf" value="([^"]+)"/)![1]!;
  const res = await fetch(`${base}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie },
    body: new URLSearchParams({ _csrf: csrf, email, password: BENCH_PASSWORD, next: "/dashboard" }),
  });
  if (res.status !== 303) throw new Error(`bench sign-in failed: ${res.status}`);
  return (res.headers.get("set-cookie") ?? "").split(";")[0]!;
}

interface Route {
  name: string;
  path: string;
  signedIn?: boolean;
  hello?: boolean;
  /** Loaded on a second app process started with STAFF_CACHE_SECONDS=0: what building the page costs under load. */
  uncached?: boolean;
}

interface Result {
  route: string;
  path: string;
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  non2xx: number;
  errors: number;
  ratioToBare?: number;
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function load(url: string, headers: Record<string, string>, duration: number): Promise<Omit<Result, "route" | "path">> {
  const latencies: number[] = [];
  const instance = autocannon({ url, connections: CONNECTIONS, duration, headers }) as unknown as Promise<autocannon.Result> & {
    on(event: "response", cb: (client: unknown, status: number, bytes: number, time: number) => void): void;
  };
  instance.on("response", (_client: unknown, _status: number, _bytes: number, time: number) => latencies.push(time));
  const r = await instance;
  latencies.sort((a, b) => a - b);
  return {
    requestsPerSecond: Math.round(r.requests.total / duration),
    p50: +percentile(latencies, 50).toFixed(1),
    p95: +percentile(latencies, 95).toFixed(1),
    p99: +percentile(latencies, 99).toFixed(1),
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
  };
}

/** Counts the SQL statements each page runs, through Prisma's query events, in-process. */
async function queryCounts(url: string, routes: Route[], ideaId: string): Promise<Record<string, number>> {
  let count = 0;
  const logger = pino({ level: "silent" });
  const db = await openDatabase({ databaseUrl: url, dataDir: "/nonexistent", logger, migrate: false, onQuery: () => count++ });
  // Statements sent through pg directly (the session with its user, session writes)
  // count too. Prisma's adapter sends its own through the same pool, always with
  // rowMode "array": those are already counted by the query events above.
  const query = db.pool.query.bind(db.pool) as (...args: unknown[]) => unknown;
  (db.pool as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    const first = args[0] as string | { rowMode?: string };
    if (typeof first === "string" || first.rowMode !== "array") count++;
    return query(...args);
  };
  // Both caches off: the count is what building each page costs.
  const config = loadConfig({ NODE_ENV: "production", SESSION_SECRET: "x".repeat(32), PUBLIC_URL: "http://127.0.0.1:3000", DATABASE_URL: url, LOG_LEVEL: "silent", PUBLIC_CACHE_SECONDS: "0", STAFF_CACHE_SECONDS: "0" });
  const app = createApp({ config, db, logger, sessionSecret: "x".repeat(32) });
  const server = app.listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const cookie = await signIn(base, managerEmail(0));
  const out: Record<string, number> = {};
  for (const r of routes.filter((x) => !x.hello)) {
    await fetch(base + r.path.replace(":idea", ideaId), { headers: r.signedIn ? { cookie } : {} }).then((x) => x.arrayBuffer());
    count = 0;
    const res = await fetch(base + r.path.replace(":idea", ideaId), { headers: r.signedIn ? { cookie } : {} });
    await res.arrayBuffer();
    out[r.name] = res.status < 400 ? count : -res.status;
  }
  server.closeAllConnections();
  server.close();
  await db.close();
  return out;
}

function peakMemoryWatcher(pid: number) {
  let peak = 0;
  const timer = setInterval(() => {
    try {
      const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
      const rss = Number(status.match(/VmRSS:\s+(\d+)/)?.[1] ?? 0) * 1024;
      peak = Math.max(peak, rss);
    } catch {
      /* process gone */
    }
  }, 100);
  return { stop: () => (clearInterval(timer), peak) };
}

async function waitReady(url: string, child: ChildProcess) {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`the app exited with ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not yet */
    }
    await sleep(200);
  }
  throw new Error(`${url} never became ready`);
}

async function main() {
  const largeUrl = BASE;
  const smallUrl = withDatabase(BASE, `${new URL(BASE).pathname.slice(1)}_small`);
  await ensureDataSet(smallUrl, SMALL);
  await ensureDataSet(largeUrl, LARGE);
  if (process.argv.includes("--seed-only")) return;

  log("building (tsc)");
  execFileSync(process.execPath, [path.join(projectRoot, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], { cwd: projectRoot, stdio: "inherit" });

  const routes: Route[] = [
    { name: "bare hello (ceiling)", path: "/", hello: true },
    { name: "public board", path: `/p/${practiceSlug(0)}` },
    { name: "public board, page 50", path: `/p/${practiceSlug(0)}?page=50` },
    { name: "public idea", path: `/p/${practiceSlug(0)}/ideas/:idea` },
    { name: "Atom feed", path: `/p/${practiceSlug(0)}/feed.atom` },
    { name: "/ideas with filters", path: "/ideas?status=IN_PROGRESS&sort=support", signedIn: true },
    { name: "/reports", path: "/reports", signedIn: true },
    // What every signed-in page costs before its own work: the session, the user, the layout.
    { name: "signed-in floor (/account/password)", path: "/account/password", signedIn: true },
    { name: "/ideas with filters, cache off", path: "/ideas?status=IN_PROGRESS&sort=support", signedIn: true, uncached: true },
    { name: "/reports, cache off", path: "/reports", signedIn: true, uncached: true },
  ].filter((r) => r.hello || !ONLY || ONLY.test(r.name));

  const largeIdea = await sampleIdeaId(largeUrl);
  const smallIdea = await sampleIdeaId(smallUrl);
  log("counting queries per page at 10 and at 100,000 ideas");
  const smallCounts = await queryCounts(smallUrl, routes, smallIdea);
  const largeCounts = await queryCounts(largeUrl, routes, largeIdea);

  const hello = fork(path.join(projectRoot, "bench/hello.mjs"), [String(HELLO_PORT)], { stdio: "ignore" });
  const startApp = (env: Record<string, string> = {}) =>
    spawn(process.execPath, [path.join(projectRoot, "dist/src/server.js")], {
      cwd: projectRoot,
      env: { ...process.env, NODE_ENV: "production", DATABASE_URL: largeUrl, PORT: String(APP_PORT), HOST: "127.0.0.1", SESSION_SECRET: "b".repeat(40), PUBLIC_URL: `http://127.0.0.1:${APP_PORT}`, LOG_LEVEL: "warn", SEED_DEMO: "false", ...env },
      stdio: ["ignore", "ignore", "inherit"],
    });
  const stopApp = async (child: ChildProcess) => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    await exited;
  };
  const appBase = `http://127.0.0.1:${APP_PORT}`;
  /** Loads each route on a running app; returns the app's peak memory meanwhile. */
  const loadAll = async (app: ChildProcess, list: Route[]) => {
    await waitReady(`${appBase}/readyz`, app);
    const cookie = await signIn(appBase, managerEmail(0));
    const memory = peakMemoryWatcher(app.pid!);
    for (const r of list) {
      const url = r.hello ? `http://127.0.0.1:${HELLO_PORT}/` : appBase + r.path.replace(":idea", largeIdea);
      const headers: Record<string, string> = r.signedIn ? { cookie } : {};
      log(`loading ${r.name}: ${WARMUP} s warm-up, ${DURATION} s measured`);
      await load(url, headers, WARMUP);
      results.push({ route: r.name, path: r.path, ...(await load(url, headers, DURATION)) });
    }
    return memory.stop();
  };
  const results: Result[] = [];
  let peak = 0;
  try {
    await waitReady(`http://127.0.0.1:${HELLO_PORT}/`, hello);
    // The app as deployed (both caches on, their defaults)...
    const app = startApp();
    try {
      peak = await loadAll(app, routes.filter((r) => !r.uncached));
    } finally {
      await stopApp(app);
    }
    // ...and, for what a cache miss costs, the staff pages built on every request.
    const uncached = routes.filter((r) => r.uncached);
    if (uncached.length > 0) {
      const cold = startApp({ STAFF_CACHE_SECONDS: "0" });
      try {
        await loadAll(cold, uncached);
      } finally {
        await stopApp(cold);
      }
    }
  } finally {
    hello.kill("SIGTERM");
  }
  const bare = results.find((r) => r.route.startsWith("bare"))!.requestsPerSecond;
  for (const r of results) r.ratioToBare = +(r.requestsPerSecond / bare).toFixed(2);

  const rows = results.map((r) => ({
    route: r.route,
    "req/s": r.requestsPerSecond,
    "x bare": r.ratioToBare,
    "p50 ms": r.p50,
    "p95 ms": r.p95,
    "p99 ms": r.p99,
    "non-2xx": r.non2xx,
    errors: r.errors,
    "SQL @10": routes.find((x) => x.name === r.route)?.hello ? "" : smallCounts[r.route],
    "SQL @100k": routes.find((x) => x.name === r.route)?.hello ? "" : largeCounts[r.route],
  }));
  process.stdout.write("\n");
  console.table(rows);
  const peakMb = Math.round(peak / 1024 / 1024);
  process.stdout.write(`app peak memory (RSS) under load: ${peakMb} MB\n`);
  const board = results.find((r) => r.route === "public board");
  const signed = results.filter((r) => ["/ideas with filters", "/reports"].includes(r.route));
  // null: not measured in this run (BENCH_ONLY left its routes out).
  const targets: Record<string, boolean | null> = {
    "public board >= 0.40 x bare": board ? board.ratioToBare! >= 0.4 : null,
    "public board p99 <= 100 ms": board ? board.p99 <= 100 : null,
    "signed-in pages p95 <= 100 ms": signed.length ? signed.every((r) => r.p95 <= 100) : null,
    "app memory <= 300 MB": peakMb <= 300,
    "same SQL count at 10 and 100,000 ideas": Object.keys(smallCounts).every((k) => smallCounts[k] === largeCounts[k]),
  };
  for (const [k, v] of Object.entries(targets)) process.stdout.write(`${v === null ? "n/a   " : v ? "met   " : "MISSED"} ${k}\n`);
  const out = path.join(projectRoot, "bench/results");
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(
    path.join(out, "latest.json"),
    JSON.stringify({ date: new Date().toISOString(), machine: { cpus: (await import("node:os")).cpus().length, node: process.version }, durationSeconds: DURATION, connections: CONNECTIONS, results, peakMemoryMb: peakMb, queryCounts: { at10Ideas: smallCounts, at100kIdeas: largeCounts }, targets }, null, 2),
  );
  process.stdout.write(`figures written to bench/results/latest.json\n`);
}

await main();
