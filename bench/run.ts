// npm run bench: the product's speed as measured facts.
// 1. Data sets, each reused when present: a large one in a dedicated Postgres
//    database (50 practices, 100,000 ideas), a small one (10 ideas), one large
//    practice (2,000 ideas) in an embedded PGlite data folder, and with
//    BENCH_SCALE=region a whole region (1,000 practices, 2,000,000 ideas) in its
//    own database.
// 2. The app as in production (compiled, NODE_ENV=production), a bare Express
//    "hello" app (the ceiling) and express.static serving the board page's own
//    bytes (the limit for that page), each loaded with autocannon: 50
//    connections (warm-up, then BENCH_DURATION s) for throughput, and 1
//    connection with every cache off for what one person waiting for a page feels.
// 3. Tables of requests/s, p50/p95/p99 latency, ratios to the bare route and to
//    the static file (for the board, and for each cache-off staff page its own
//    bytes), the CPU each request cost the app, the database and the load
//    generator (what bounds the page: the app is one thread), the app's peak memory, the SQL statements each page runs
//    (at 10, 100,000 and, for the region, 2,000,000 ideas), and the issue's
//    targets, each printed "met" or "MISSED". Embedded, the memory is given for
//    the app process and for the database's own process, and their sum. The same figures go to
//    bench/results/latest.json.
// 4. With --plans (and always with BENCH_SCALE=region): every statement each
//    page runs is EXPLAINed on the largest data set present; a plan with a Seq
//    Scan on a tenant table (one with a "practiceId" column) fails the bench.
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
import { seedAnswersBack } from "./seed-answers.js";
import { REGION, seedRegion } from "./seed-region.js";
import { explainStatements, type Statement } from "./plans.js";

const BASE = process.env.BENCH_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/ppg_bench";
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3);
/** Single-request latency: seconds of one connection per page (capped so a run stays short). */
const SINGLE_DURATION = Number(process.env.BENCH_SINGLE_DURATION ?? Math.min(DURATION, 5));
const CONNECTIONS = 50;
const REGION_SCALE = process.env.BENCH_SCALE === "region";
const CHECK_PLANS = REGION_SCALE || process.argv.includes("--plans");
/** BENCH_ONLY=regex: load only the routes whose name matches (the bare route and the static limit always run). */
const ONLY = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY) : undefined;
/** BENCH_SKIP=embedded,single: leave those parts out (for quick A/B runs). */
const SKIP = new Set((process.env.BENCH_SKIP ?? "").split(",").filter(Boolean));
const APP_PORT = Number(process.env.BENCH_PORT ?? 3900);
const HELLO_PORT = APP_PORT + 1;
const EMBEDDED_DIR = process.env.BENCH_EMBEDDED_DIR ?? path.join(projectRoot, "bench/results/embedded-data");
/** One large practice on the embedded database. */
const EMBEDDED: SeedSize = { practices: 1, sessionsPerPractice: 100, ideasPerPractice: 2000, responsesPerIdea: 3 };
/**
 * Issue #20's target for cache-off throughput at 50 connections: 4 x its baseline
 * (75 and 56 req/s against a bare route at 3,904 req/s), as a ratio to the bare
 * route of the same run, so that runs on a busier or quieter machine compare.
 */
const TARGET_X_BARE = { "/ideas with filters": (4 * 75) / 3904, "/reports": (4 * 56) / 3904 } as Record<string, number>;
const log = (s: string) => process.stdout.write(`bench: ${s}\n`);

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Creates, migrates and seeds the database unless it already holds this data set. */
async function ensureDataSet(url: string, size: SeedSize, seed: "prisma" | "sql" = "prisma"): Promise<void> {
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
    await seedAnswersBack(url, log); // a data set seeded before issue 18 gets its verdicts and translations
    return;
  }
  log(`seeding ${name}: ${size.practices} practices, ${size.practices * size.ideasPerPractice} ideas, ${size.practices * size.ideasPerPractice * size.responsesPerIdea} responses`);
  const started = Date.now();
  if (seed === "sql") {
    await seedRegion(url, size, log);
  } else {
    const db = await openDatabase({ databaseUrl: url, dataDir: "/nonexistent", logger: pino({ level: "silent" }), migrate: false });
    await seedLarge(db.prisma, size, (s) => (/ (10|20|30|40|50)\//.test(s) ? log(s) : undefined));
    // Vacuumed as well as analysed: index-only scans then skip the heap, as on a database autovacuum has visited.
    await db.prisma.$executeRawUnsafe("vacuum analyze");
    await db.close();
  }
  await seedAnswersBack(url, log);
  log(`seeded in ${Math.round((Date.now() - started) / 1000)} s`);
}

const SAMPLE_IDEA = `select i.id from "Idea" i join "Practice" p on p.id = i."practiceId" where p.slug = $1 and i.consent = 'PUBLIC' and i."publishedAt" is not null order by i."createdAt" desc, i.id limit 1`;

async function sampleIdeaId(url: string): Promise<string> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const r = await c.query(SAMPLE_IDEA, [practiceSlug(0)]);
  await c.end();
  return r.rows[0].id;
}

/**
 * The embedded data set: one practice of 2,000 ideas in a PGlite data folder,
 * seeded through the app's own database module (reused when it holds exactly
 * that). Returns a public idea's id.
 */
async function ensureEmbeddedDataSet(dir: string): Promise<string> {
  const logger = pino({ level: "silent" });
  const want = { p: EMBEDDED.practices, i: EMBEDDED.practices * EMBEDDED.ideasPerPractice, r: EMBEDDED.practices * EMBEDDED.ideasPerPractice * EMBEDDED.responsesPerIdea };
  const counts = async (db: Awaited<ReturnType<typeof openDatabase>>) =>
    (await db.pool.query(`select (select count(*) from "Practice")::int as p, (select count(*) from "Idea")::int as i, (select count(*) from "Response")::int as r`)).rows[0];
  let db = await openDatabase({ dataDir: dir, logger });
  try {
    const have = await counts(db).catch(() => ({}));
    if (JSON.stringify(have) !== JSON.stringify(want)) {
      await db.close();
      fs.rmSync(dir, { recursive: true, force: true });
      log(`seeding the embedded database in ${path.relative(projectRoot, dir)}: ${want.p} practice, ${want.i} ideas, ${want.r} responses`);
      const started = Date.now();
      db = await openDatabase({ dataDir: dir, logger });
      await seedLarge(db.prisma, EMBEDDED);
      await db.pool.query("vacuum analyze");
      log(`seeded in ${Math.round((Date.now() - started) / 1000)} s`);
    } else {
      log(`reusing the embedded data set in ${path.relative(projectRoot, dir)}`);
    }
    return (await db.pool.query(SAMPLE_IDEA, [practiceSlug(0)])).rows[0].id;
  } finally {
    await db.close();
  }
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
  /** Served by bench/hello.mjs, not the app. */
  hello?: boolean;
}

interface Result {
  route: string;
  path: string;
  /** Which database and data set: "server 100k", "server 2M", "embedded 2k". */
  data: string;
  cache: "on" | "off";
  connections: number;
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  non2xx: number;
  errors: number;
  ratioToBare?: number;
  ratioToStatic?: number;
  /** CPU time per request (ms) of the process serving it (the app, or bench/hello.mjs), of the database (server: the bench database's backends; embedded: the app's database process) and of the load generator (this process). */
  cpu?: { app: number; db: number; load: number };
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function load(url: string, headers: Record<string, string>, duration: number, connections: number) {
  const latencies: number[] = [];
  const instance = autocannon({ url, connections, duration, headers }) as unknown as Promise<autocannon.Result> & {
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

/**
 * Counts the SQL statements each page runs, in-process with both caches off (so
 * the count is what building the page costs), and keeps each statement with
 * its parameters for the plan check.
 */
async function queryCounts(url: string, routes: Route[], ideaId: string): Promise<{ counts: Record<string, number>; statements: Record<string, Statement[]> }> {
  let count = 0;
  let seen: Statement[] = [];
  const logger = pino({ level: "silent" });
  // onQuery also reports the statements services send through the pool with
  // queryRows (db/client.ts), just before the pool sees them: not counted twice.
  let reported: string | undefined;
  const db = await openDatabase({ databaseUrl: url, dataDir: "/nonexistent", logger, migrate: false, onQuery: (sql) => (count++, (reported = sql)) });
  // Statements sent through pg directly (the session with its user, session writes)
  // count too. Prisma's adapter sends its own through the same pool, always with
  // rowMode "array": those are already counted by the query events above.
  const query = db.pool.query.bind(db.pool) as (...args: unknown[]) => unknown;
  (db.pool as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    const first = args[0] as string | { text: string; values?: unknown[]; rowMode?: string };
    const text = typeof first === "string" ? first : first.text;
    if (text === reported) reported = undefined;
    else if (typeof first === "string" || first.rowMode !== "array") count++;
    seen.push(typeof first === "string" ? { text: first, values: Array.isArray(args[1]) ? (args[1] as unknown[]) : [] } : { text: first.text, values: first.values ?? (Array.isArray(args[1]) ? (args[1] as unknown[]) : []) });
    return query(...args);
  };
  const config = loadConfig({ NODE_ENV: "production", SESSION_SECRET: "x".repeat(32), PUBLIC_URL: "http://127.0.0.1:3000", DATABASE_URL: url, LOG_LEVEL: "silent", PUBLIC_CACHE_SECONDS: "0", STAFF_CACHE_SECONDS: "0" });
  const app = createApp({ config, db, logger, sessionSecret: "x".repeat(32) });
  const server = app.listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const cookie = await signIn(base, managerEmail(0));
  const counts: Record<string, number> = {};
  const statements: Record<string, Statement[]> = {};
  for (const r of routes.filter((x) => !x.hello)) {
    seen = [];
    await fetch(base + r.path.replace(":idea", ideaId), { headers: r.signedIn ? { cookie } : {} }).then((x) => x.arrayBuffer());
    count = 0;
    seen = [];
    const res = await fetch(base + r.path.replace(":idea", ideaId), { headers: r.signedIn ? { cookie } : {} });
    await res.arrayBuffer();
    counts[r.name] = res.status < 400 ? count : -res.status;
    statements[r.name] = seen;
  }
  server.closeAllConnections();
  server.close();
  await db.close();
  return { counts, statements };
}

function rssOf(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    return Number(status.match(/VmRSS:\s+(\d+)/)?.[1] ?? 0) * 1024;
  } catch {
    return 0; // process gone
  }
}

/** CPU time (user + system) a process has used, in ms (0 once it is gone). */
function cpuMsOf(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) * (1000 / CLOCK_TICKS);
  } catch {
    return 0;
  }
}
const CLOCK_TICKS = Number((() => { try { return execFileSync("getconf", ["CLK_TCK"]).toString().trim(); } catch { return "100"; } })()) || 100;

/** The Postgres backends serving database `name` now (their CPU is the database's share of a request). */
async function backendPids(url: string): Promise<number[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query(`select pid from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()`, [new URL(url).pathname.slice(1)]);
    return r.rows.map((x: { pid: number }) => x.pid);
  } finally {
    await c.end();
  }
}

/** The processes `pid` started (the embedded database's own process, issue #20). */
function childPids(pid: number): number[] {
  try {
    return fs.readdirSync(`/proc/${pid}/task`).flatMap((t) => fs.readFileSync(`/proc/${pid}/task/${t}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number));
  } catch {
    return [];
  }
}

/** Peak RSS of the app process, of its child processes (the embedded database), and of both together (sampled at the same moments). */
function peakMemoryWatcher(pid: number) {
  let peak = 0;
  let peakChildren = 0;
  let peakSum = 0;
  const timer = setInterval(() => {
    const rss = rssOf(pid);
    const children = childPids(pid).reduce((sum, c) => sum + rssOf(c), 0);
    peak = Math.max(peak, rss);
    peakChildren = Math.max(peakChildren, children);
    peakSum = Math.max(peakSum, rss + children);
  }, 100);
  return { stop: () => (clearInterval(timer), peak), children: () => peakChildren, sum: () => peakSum };
}

async function waitReady(url: string, child: ChildProcess) {
  for (let i = 0; i < 600; i++) {
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

/** The row and file of a staff page's bytes served by express.static (the limit for that page). */
const staticLimitName = (page: string) => `${page} bytes from express.static (limit)`;
const staticFile = (page: string) => `${page.replace(/[^a-z]+/gi, "-").replace(/^-|-$/g, "")}.html`;

// The pages. "single" ones are also loaded at 1 connection with every cache off.
const PAGES: (Route & { single?: boolean; embedded?: boolean; throughputOff?: boolean })[] = [
  { name: "public board", path: `/p/${practiceSlug(0)}`, single: true, embedded: true },
  { name: "public board, page 50", path: `/p/${practiceSlug(0)}?page=50`, single: true },
  { name: "public idea", path: `/p/${practiceSlug(0)}/ideas/:idea`, single: true, embedded: true },
  { name: "Atom feed", path: `/p/${practiceSlug(0)}/feed.atom`, single: true },
  { name: "/ideas with filters", path: "/ideas?status=IN_PROGRESS&sort=support", signedIn: true, single: true, embedded: true, throughputOff: true },
  { name: "/ideas", path: "/ideas", signedIn: true, single: true },
  { name: "/ideas/:id (staff)", path: "/ideas/:idea", signedIn: true, single: true },
  { name: "/reports", path: "/reports", signedIn: true, single: true, embedded: true, throughputOff: true },
  // What every signed-in page costs before its own work: the session, the user, the layout.
  { name: "signed-in floor (/account/password)", path: "/account/password", signedIn: true },
];
const THROUGHPUT_ON = ["public board", "public board, page 50", "public idea", "Atom feed", "/ideas with filters", "/reports", "signed-in floor (/account/password)"];

async function main() {
  const largeUrl = BASE;
  const dbName = new URL(BASE).pathname.slice(1);
  const smallUrl = withDatabase(BASE, `${dbName}_small`);
  const regionUrl = withDatabase(BASE, `${dbName}_region`);
  await ensureDataSet(smallUrl, SMALL);
  await ensureDataSet(largeUrl, LARGE);
  if (REGION_SCALE) await ensureDataSet(regionUrl, REGION, "sql");
  const embeddedIdea = SKIP.has("embedded") ? "" : await ensureEmbeddedDataSet(EMBEDDED_DIR);
  if (process.argv.includes("--seed-only")) return;

  log("building (tsc)");
  execFileSync(process.execPath, [path.join(projectRoot, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], { cwd: projectRoot, stdio: "inherit" });

  const pages = PAGES.filter((r) => !ONLY || ONLY.test(r.name));
  const largeIdea = await sampleIdeaId(largeUrl);
  const smallIdea = await sampleIdeaId(smallUrl);
  const regionIdea = REGION_SCALE ? await sampleIdeaId(regionUrl) : "";
  log("counting statements per page at 10 and at 100,000 ideas" + (REGION_SCALE ? " and at 2,000,000" : ""));
  const small = await queryCounts(smallUrl, pages, smallIdea);
  const large = await queryCounts(largeUrl, pages, largeIdea);
  const region = REGION_SCALE ? await queryCounts(regionUrl, pages, regionIdea) : undefined;

  let planFailures: string[] | undefined;
  if (CHECK_PLANS || process.argv.includes("--plans-only")) {
    const [url, set] = region ? [regionUrl, region] : [largeUrl, large];
    log(`EXPLAINing every statement of every page on ${new URL(url).pathname.slice(1)}`);
    const report = await explainStatements(url, set.statements);
    fs.mkdirSync(path.join(projectRoot, "bench/results"), { recursive: true });
    fs.writeFileSync(path.join(projectRoot, "bench/results/plans.txt"), report.text);
    planFailures = report.failures;
    log(`${report.checked} statements explained; plans in bench/results/plans.txt`);
    for (const f of report.failures) log(`WHOLE-TABLE SCAN on a tenant table: ${f}`);
    if (process.argv.includes("--plans-only")) {
      process.stdout.write(`${report.failures.length ? "MISSED" : "met   "} no Seq Scan or unbounded index scan on a tenant table in any page's plan\n`);
      if (report.failures.length) process.exitCode = 1;
      return;
    }
  }

  const staticDir = path.join(projectRoot, "bench/results/static");
  fs.mkdirSync(staticDir, { recursive: true });
  const hello = fork(path.join(projectRoot, "bench/hello.mjs"), [String(HELLO_PORT), staticDir], { stdio: "ignore" });
  const startApp = (env: Record<string, string>) => {
    const base: Record<string, string | undefined> = { ...process.env, NODE_ENV: "production", PORT: String(APP_PORT), HOST: "127.0.0.1", SESSION_SECRET: "b".repeat(40), PUBLIC_URL: `http://127.0.0.1:${APP_PORT}`, LOG_LEVEL: "warn", SEED_DEMO: "false" };
    delete base.DATABASE_URL;
    // As `npm run start:prod` starts it (the heap flag: README, "Starting, restarting, health").
    return spawn(process.execPath, ["--max-old-space-size=1536", path.join(projectRoot, "dist/src/server.js")], { cwd: projectRoot, env: { ...base, ...env }, stdio: ["ignore", "ignore", "inherit"] });
  };
  const stopApp = async (child: ChildProcess) => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    await exited;
  };
  const appBase = `http://127.0.0.1:${APP_PORT}`;
  const CACHE_OFF = { STAFF_CACHE_SECONDS: "0", PUBLIC_CACHE_SECONDS: "0" };
  const results: Result[] = [];
  const memory: Record<string, number> = {};
  /** Starts the app with `env`, loads each route, stops it; records its peak memory under `label`. */
  const session = async (label: string, data: string, cache: "on" | "off", env: Record<string, string>, ideaId: string, list: Route[], connections: number, duration: number, before?: (cookie: string) => Promise<void>) => {
    if (list.length === 0) return;
    const app = startApp({ ...env, ...(cache === "off" ? CACHE_OFF : {}) });
    try {
      await waitReady(`${appBase}/readyz`, app);
      const cookie = await signIn(appBase, managerEmail(0));
      await before?.(cookie);
      const mem = peakMemoryWatcher(app.pid!);
      for (const r of list) {
        const url = r.hello ? `http://127.0.0.1:${HELLO_PORT}${r.path}` : appBase + r.path.replace(":idea", ideaId);
        const headers: Record<string, string> = r.signedIn ? { cookie } : {};
        log(`${data}, cache ${cache}, ${connections} connection(s): ${r.name}`);
        await load(url, headers, Math.min(WARMUP, duration), connections);
        // CPU per request, read around the measured load (after the warm-up, so every pooled connection is open).
        const server = r.hello ? hello.pid! : app.pid!;
        const dbPids = r.hello ? [] : env.DATABASE_URL ? await backendPids(env.DATABASE_URL) : childPids(app.pid!);
        const cpuStart = { server: cpuMsOf(server), db: dbPids.reduce((sum, p) => sum + cpuMsOf(p), 0), load: process.cpuUsage() };
        const measured = await load(url, headers, duration, connections);
        const requests = Math.max(1, measured.requestsPerSecond * duration);
        const loadCpu = process.cpuUsage(cpuStart.load);
        const cpu = {
          app: +((cpuMsOf(server) - cpuStart.server) / requests).toFixed(2),
          db: +((dbPids.reduce((sum, p) => sum + cpuMsOf(p), 0) - cpuStart.db) / requests).toFixed(2),
          load: +((loadCpu.user + loadCpu.system) / 1000 / requests).toFixed(2),
        };
        results.push({ route: r.name, path: r.path, data, cache, connections, ...measured, cpu });
      }
      memory[label] = Math.max(memory[label] ?? 0, mem.stop());
      if (mem.children()) {
        memory[`${label} database process`] = Math.max(memory[`${label} database process`] ?? 0, mem.children());
        memory[`${label} app + database`] = Math.max(memory[`${label} app + database`] ?? 0, mem.sum());
      }
    } finally {
      await stopApp(app);
    }
  };
  const limits: Route[] = [
    { name: "bare hello (ceiling)", path: "/", hello: true },
    { name: "board bytes from express.static (limit)", path: "/static/board.html", hello: true },
  ];
  try {
    await waitReady(`http://127.0.0.1:${HELLO_PORT}/`, hello);
    // 1. The app as deployed (both caches on, their defaults), on the server, 100k ideas.
    //    The board's own bytes are written for express.static first: the limit row.
    await session("server", "server 100k", "on", { DATABASE_URL: largeUrl }, largeIdea, [...limits, ...pages.filter((r) => THROUGHPUT_ON.includes(r.name))], CONNECTIONS, DURATION, async () => {
      const board = await fetch(`${appBase}/p/${practiceSlug(0)}`);
      fs.writeFileSync(path.join(staticDir, "board.html"), Buffer.from(await board.arrayBuffer()));
    });
    // 2. What a cache miss costs under load: the staff pages built on every request.
    //    Each page's own bytes from express.static first: the limit for sending that much HTML with this stack.
    const offPages = pages.filter((r) => r.throughputOff);
    const staffLimits: Route[] = offPages.map((r) => ({ name: staticLimitName(r.name), path: `/static/${staticFile(r.name)}`, hello: true }));
    await session("server", "server 100k", "off", { DATABASE_URL: largeUrl }, largeIdea, [...staffLimits, ...offPages], CONNECTIONS, DURATION, async (cookie) => {
      for (const r of offPages) {
        const page = await fetch(appBase + r.path, { headers: { cookie } });
        fs.writeFileSync(path.join(staticDir, staticFile(r.name)), Buffer.from(await page.arrayBuffer()));
      }
    });
    // 3. What one person feels: every page, 1 connection, caches off; at 100k and (region) 2M ideas.
    if (!SKIP.has("single")) {
      await session("server", "server 100k", "off", { DATABASE_URL: largeUrl }, largeIdea, pages.filter((r) => r.single), 1, SINGLE_DURATION);
      if (REGION_SCALE) await session("region", "server 2M", "off", { DATABASE_URL: regionUrl }, regionIdea, pages.filter((r) => r.single), 1, SINGLE_DURATION);
    }
    // 4. The embedded default: one large practice on PGlite, caches on and off.
    if (!SKIP.has("embedded")) {
      const env = { DATA_DIR: EMBEDDED_DIR };
      const list = pages.filter((r) => r.embedded);
      await session("embedded", "embedded 2k", "on", env, embeddedIdea, [limits[0]!, ...list], CONNECTIONS, DURATION);
      await session("embedded", "embedded 2k", "off", env, embeddedIdea, list, CONNECTIONS, DURATION);
      if (!SKIP.has("single")) await session("embedded", "embedded 2k", "off", env, embeddedIdea, list, 1, SINGLE_DURATION);
    }
  } finally {
    hello.kill("SIGTERM");
  }

  // Ratios against the bare route and the static limit measured in the same session.
  const find = (route: string, data: string, cache: "on" | "off", connections = CONNECTIONS) =>
    results.find((r) => r.route === route && r.data === data && r.cache === cache && r.connections === connections);
  for (const r of results) {
    const bare = find("bare hello (ceiling)", r.data, "on");
    const limit = find("board bytes from express.static (limit)", r.data, "on");
    if (r.connections === CONNECTIONS && bare) r.ratioToBare = +(r.requestsPerSecond / bare.requestsPerSecond).toFixed(2);
    if (r.connections === CONNECTIONS && limit && r.route.startsWith("public")) r.ratioToStatic = +(r.requestsPerSecond / limit.requestsPerSecond).toFixed(2);
    const own = find(staticLimitName(r.route), r.data, r.cache);
    if (r.connections === CONNECTIONS && own) r.ratioToStatic = +(r.requestsPerSecond / own.requestsPerSecond).toFixed(2);
  }

  const sql = (set: { counts: Record<string, number> } | undefined, name: string) => set?.counts[name] ?? "";
  process.stdout.write("\nThroughput, 50 connections\n");
  console.table(
    results.filter((r) => r.connections === CONNECTIONS).map((r) => ({
      route: r.route, data: r.data, cache: r.cache, "req/s": r.requestsPerSecond, "x bare": r.ratioToBare ?? "", "x static": r.ratioToStatic ?? "",
      "p50 ms": r.p50, "p95 ms": r.p95, "p99 ms": r.p99, "non-2xx": r.non2xx, errors: r.errors,
    })),
  );
  // What bounds each row: the server process is one thread, so it can serve at most 1000 / (its CPU ms per request) a second;
  // the machine's cores are shared by it, the database and the load generator.
  process.stdout.write("\nCPU per request at 50 connections (ms): the serving process, the database, the load generator; and the serving thread's ceiling (req/s)\n");
  console.table(
    results.filter((r) => r.connections === CONNECTIONS && r.cpu).map((r) => ({
      route: r.route, data: r.data, cache: r.cache, "req/s": r.requestsPerSecond, "app ms": r.cpu!.app, "db ms": r.cpu!.db, "load ms": r.cpu!.load,
      "thread ceiling": r.cpu!.app > 0 ? Math.round(1000 / r.cpu!.app) : "", "all ms": +(r.cpu!.app + r.cpu!.db + r.cpu!.load).toFixed(2),
    })),
  );
  process.stdout.write("\nSingle-request latency, 1 connection, caches off (ms), and statements per page\n");
  console.table(
    pages.filter((p) => p.single).map((p) => {
      const a = find(p.name, "server 100k", "off", 1);
      const b = find(p.name, "server 2M", "off", 1);
      const e = find(p.name, "embedded 2k", "off", 1);
      return {
        route: p.name, "100k p50": a?.p50 ?? "", "100k p95": a?.p95 ?? "", ...(REGION_SCALE ? { "2M p50": b?.p50 ?? "", "2M p95": b?.p95 ?? "", "2M/100k p95": a && b ? +(b.p95 / a.p95).toFixed(2) : "" } : {}),
        "embedded p95": e?.p95 ?? "", "SQL @10": sql(small, p.name), "SQL @100k": sql(large, p.name), ...(REGION_SCALE ? { "SQL @2M": sql(region, p.name) } : {}),
      };
    }),
  );
  const mb = (b: number | undefined) => (b === undefined ? undefined : Math.round(b / 1024 / 1024));
  // Embedded: the app process, the database's own process (issue #20), and both together, each its peak.
  process.stdout.write(`peak memory (RSS) under load: ${Object.entries(memory).map(([k, v]) => `${k} ${mb(v)} MB`).join(", ")}\n`);

  // The targets (issue #20 and the earlier ones). null: not measured in this run.
  const board = find("public board", "server 100k", "on");
  const limit = find("board bytes from express.static (limit)", "server 100k", "on");
  const bare = find("bare hello (ceiling)", "server 100k", "on");
  const signed = ["/ideas with filters", "/reports"].map((n) => find(n, "server 100k", "on")).filter((x) => x) as Result[];
  const off50 = ["/ideas with filters", "/reports"].map((n) => find(n, "server 100k", "off")).filter((x) => x) as Result[];
  const off1 = ["/ideas with filters", "/ideas", "/reports"].map((n) => find(n, "server 100k", "off", 1)).filter((x) => x) as Result[];
  const singles = pages.filter((p) => p.single).map((p) => [find(p.name, "server 100k", "off", 1), find(p.name, "server 2M", "off", 1)] as const).filter(([a, b]) => a && b);
  const eBoard = find("public board", "embedded 2k", "on");
  const eBare = find("bare hello (ceiling)", "embedded 2k", "on");
  const eIdeas = find("/ideas with filters", "embedded 2k", "off", 1);
  const targets: Record<string, boolean | null> = {
    "public board cache hit >= 0.70 x express.static of its bytes": board && limit ? board.requestsPerSecond >= 0.7 * limit.requestsPerSecond : null,
    "public board >= 0.40 x bare": board && bare ? board.requestsPerSecond >= 0.4 * bare.requestsPerSecond : null,
    "public board p99 <= 100 ms": board ? board.p99 <= 100 : null,
    "signed-in pages p95 <= 100 ms": signed.length ? signed.every((r) => r.p95 <= 100) : null,
    "cache-off /ideas and /reports >= 4 x issue #20's baseline at 50 connections (0.077 and 0.057 x bare)": off50.length && bare ? off50.every((r) => r.requestsPerSecond >= TARGET_X_BARE[r.route]! * bare.requestsPerSecond) : null,
    "cache-off /ideas and /reports p95 <= 50 ms at 1 connection (100k ideas)": off1.length ? off1.every((r) => r.p95 <= 50) : null,
    "at 2M ideas every page's cache-off p95 <= 1.25 x its 100k figure": singles.length ? singles.every(([a, b]) => b!.p95 <= 1.25 * a!.p95) : null,
    "same statement count at 100k and 2M ideas": region ? Object.keys(large.counts).every((k) => large.counts[k] === region.counts[k]) : null,
    "same statement count at 10 and 100,000 ideas": Object.keys(small.counts).every((k) => small.counts[k] === large.counts[k]),
    "no Seq Scan or unbounded index scan on a tenant table in any page's plan": planFailures ? planFailures.length === 0 : null,
    "embedded: board cache hit >= 0.35 x bare": eBoard && eBare ? eBoard.requestsPerSecond >= 0.35 * eBare.requestsPerSecond : null,
    "embedded: cache-off /ideas p95 <= 100 ms at 1 connection (2,000 ideas)": eIdeas ? eIdeas.p95 <= 100 : null,
    "app memory <= 300 MB (server)": memory.server ? mb(memory.server)! <= 300 : null,
    "app memory <= 300 MB (embedded)": memory.embedded ? mb(memory.embedded)! <= 300 : null,
  };
  // The embedded target is the app process's; the database process beside it is printed on the same line, not hidden.
  const notes: Record<string, string> = memory.embedded
    ? { "app memory <= 300 MB (embedded)": `app ${mb(memory.embedded)} MB; its database process ${mb(memory["embedded database process"])} MB; together ${mb(memory["embedded app + database"])} MB` }
    : {};
  for (const [k, v] of Object.entries(targets)) process.stdout.write(`${v === null ? "n/a   " : v ? "met   " : "MISSED"} ${k}${notes[k] ? `  (${notes[k]})` : ""}\n`);
  const out = path.join(projectRoot, "bench/results");
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(
    path.join(out, "latest.json"),
    JSON.stringify(
      {
        date: new Date().toISOString(),
        machine: { cpus: (await import("node:os")).cpus().length, node: process.version, loadAverage: (await import("node:os")).loadavg() },
        durationSeconds: DURATION, singleDurationSeconds: SINGLE_DURATION, connections: CONNECTIONS, results,
        peakMemoryMb: Object.fromEntries(Object.entries(memory).map(([k, v]) => [k, mb(v)])),
        queryCounts: { at10Ideas: small.counts, at100kIdeas: large.counts, ...(region ? { at2MIdeas: region.counts } : {}) },
        planFailures, targets,
      },
      null,
      2,
    ),
  );
  process.stdout.write(`figures written to bench/results/latest.json\n`);
  if (planFailures?.length) process.exitCode = 1;
}

await main();
