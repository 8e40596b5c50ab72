// The embedded database: PGlite (Postgres compiled to WebAssembly) kept in a data
// folder and served on loopback with pglite-socket, so the app, the session store
// and `prisma migrate deploy` all talk to it as to any Postgres server.
//
// It runs in a process of its own (issue #20): src/db/embedded-process.ts,
// started here with child_process.fork. PGlite executes every statement
// synchronously on its thread; inside the app, one slow statement stalled every
// request (even /healthz and static files), the app used one core of the
// machine, and the app's memory included PGlite's ~180 MB. The app talks to the
// child over loopback exactly as before, and to its supervisor part over the
// fork's IPC channel (ready, errors, log lines, stop).
//
// Two facts about it shape everything here, in embedded-process.ts and in db/index.ts:
//
// 1. It is ONE Postgres backend. Every client connection of the socket server
//    lands in the same backend, which keeps whatever a previous connection left
//    on it: named prepared statements, session settings, advisory locks, temp
//    tables. A new connection is therefore never fresh; db/index.ts resets the
//    backend (DISCARD ALL) whenever its pool opens one, and does not close its
//    one connection when idle.
// 2. It serves one connection at a time (more would interleave transactions).
//    When a connection is replaced (the old one dropped after an error), the
//    new one may arrive before the server has finished detaching the old one;
//    the stock server then refuses it with "Too many connections". The server
//    in embedded-process.ts waits briefly for the slot instead.
//
// The data folder is opened by one process at a time. The lock is a directory
// made atomically by proper-lockfile, with the owner's pid written inside. It
// is held by the process that has the folder open: the database child (which
// also writes its parent's pid, so a refusal names the app to stop), or a
// backup/restore CLI that opens PGlite itself. It is held for as long as that
// process lives, not for as long as the process keeps touching it: PGlite's
// start-up and migrations can block the event loop for many seconds, and an
// mtime-based lock then looked stale to a second process, which took it over
// and crashed the first (ECOMPROMISED). After `kill -9` of the app, its child
// notices the closed IPC channel, closes PGlite and exits (normally well under
// a second); a new start that finds the lock held by such an orphan (its
// recorded parent gone) waits for it to exit, for at most ORPHAN_WAIT_MS, and
// then kills it: the folder is never opened twice, and never refused forever.
import { fork, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import lockfile from "proper-lockfile";

export class DataFolderInUseError extends Error {}

export interface EmbeddedDatabase {
  url: string;
  dataDir: string;
  /** The database process's pid (not this process's). */
  pid: number;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /**
   * Called when the database process exits without having been asked to stop
   * (it crashed, or was killed). Nothing this process sends the database can
   * work after that; server.ts logs it and exits non-zero (see there).
   */
  onUnexpectedExit?: (reason: string) => void;
  /** Where the database process's own messages and errors go (the app's logger). */
  log?: (level: "info" | "warn" | "error", msg: string) => void;
}

interface LockOwner {
  pid: number;
  host: string;
  /** The owner's start time in clock ticks since boot (Linux), to tell a reused pid apart. */
  startTicks?: string;
  /** The database process's parent (the app or CLI that started it): named in a refusal, and gone once the child is an orphan. */
  parentPid?: number;
  parentStartTicks?: string;
}

const LOCK_NAME = ".lock";
const OWNER_FILE = "owner.json";
/** proper-lockfile's mtime staleness is not used (see above): a day is "never" for a lock that is re-checked by pid. */
const MTIME_STALE_MS = 24 * 3600 * 1000;
/** How long a start waits for an orphaned database process (its app killed) to close the folder before killing it. */
export const ORPHAN_WAIT_MS = 15_000;

/** Fields of /proc/PID/stat counted after the ")" that ends the command name: [0] state, [1] ppid, [19] start time. */
function statOf(pid: number): string[] | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
}

function startTicksOf(pid: number): string | undefined {
  return statOf(pid)?.[19];
}

/** The lock folders this process holds (a second open in the same process is refused like any other). */
const heldHere = new Set<string>();

/** Whether a process of this machine is running: not gone, not a zombie, not a reused pid. */
function isRunning(pid: number, startTicks: string | undefined): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  const stat = statOf(pid);
  // A zombie has exited; its parent has not collected it yet (or never will, under a PID 1 that does not reap).
  if (stat?.[0] === "Z") return false;
  const ticks = stat?.[19];
  return !(startTicks && ticks && ticks !== startTicks);
}

function isAlive(owner: LockOwner, lockDir: string): boolean {
  if (owner.host !== os.hostname()) return true; // another machine's process: cannot tell, so assume it is alive
  // Our own pid: either we hold it, or it is a previous life of our pid (a container restarted with the same pid).
  if (owner.pid === process.pid) return heldHere.has(lockDir);
  return isRunning(owner.pid, owner.startTicks);
}

/** A database process whose app is gone: it is closing the folder and exiting (embedded-process.ts). */
function isOrphan(owner: LockOwner): boolean {
  return owner.host === os.hostname() && owner.parentPid !== undefined && !isRunning(owner.parentPid, owner.parentStartTicks);
}

function readOwner(lockDir: string): LockOwner | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(lockDir, OWNER_FILE), "utf8")) as LockOwner;
  } catch {
    return undefined;
  }
}

/**
 * Takes the data folder's lock, or throws DataFolderInUseError naming who holds it.
 * A lock whose owner is gone is removed at once (renamed away atomically, so two
 * processes recovering together cannot both remove it). A lock held by an
 * orphaned database process is waited for (see the top of this file).
 * `parentPid`: given by the database process, the app that started it.
 */
export async function lockDataFolder(
  dataDir: string,
  opts: { parentPid?: number; onOrphanWait?: (pid: number) => void } = {},
): Promise<() => Promise<void>> {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockDir = path.join(dataDir, LOCK_NAME);
  let orphanSince: number | undefined;
  for (let attempt = 0; ; attempt++) {
    try {
      const release = await lockfile.lock(dataDir, {
        lockfilePath: lockDir,
        stale: MTIME_STALE_MS,
        update: MTIME_STALE_MS / 2,
        realpath: false,
        // The lock can only be "compromised" if someone removed the folder by hand.
        onCompromised: (err) => {
          process.stderr.write(`The embedded database folder's lock was removed while in use (${err.message}); stopping.\n`);
          process.exit(1);
        },
      });
      const owner: LockOwner = {
        pid: process.pid,
        host: os.hostname(),
        startTicks: startTicksOf(process.pid),
        ...(opts.parentPid ? { parentPid: opts.parentPid, parentStartTicks: startTicksOf(opts.parentPid) } : {}),
      };
      const ownerFile = path.join(lockDir, OWNER_FILE);
      fs.writeFileSync(ownerFile, JSON.stringify(owner));
      heldHere.add(lockDir);
      return async () => {
        heldHere.delete(lockDir);
        fs.rmSync(ownerFile, { force: true });
        await release();
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ELOCKED") throw err;
      const owner = readOwner(lockDir);
      if (!owner) {
        // Being taken right now (the owner file is written just after the folder), or left by a crash in
        // between: wait a moment, then treat an owner-less lock as left behind.
        if (attempt < 20) {
          await sleep(50);
          continue;
        }
      } else if (isAlive(owner, lockDir)) {
        if (!isOrphan(owner)) {
          throw new DataFolderInUseError(
            `The embedded database folder ${dataDir} is in use by another process (pid ${owner.parentPid ?? owner.pid}). Stop that process, or set DATA_DIR to another folder.`,
          );
        }
        // The app was killed; its database process is closing the folder. Wait for it, within bounds.
        if (orphanSince === undefined) {
          orphanSince = Date.now();
          opts.onOrphanWait?.(owner.pid);
        }
        if (Date.now() - orphanSince < ORPHAN_WAIT_MS) {
          await sleep(100);
          attempt = 0;
          continue;
        }
        // Still there (stuck in a long statement, say): it serves nobody, so it is stopped, and then the lock is taken over.
        try {
          process.kill(owner.pid, "SIGKILL");
        } catch {
          // Gone by itself just now.
        }
        for (let i = 0; i < 50 && isRunning(owner.pid, owner.startTicks); i++) await sleep(100);
        if (isRunning(owner.pid, owner.startTicks)) {
          throw new DataFolderInUseError(`The embedded database folder ${dataDir} is still held by process ${owner.pid}, which did not stop when killed.`);
        }
      }
      if (attempt >= 25) throw new DataFolderInUseError(`Could not take the lock of ${dataDir}; try again.`);
      const aside = `${lockDir}.stale-${process.pid}-${Date.now()}`;
      try {
        fs.renameSync(lockDir, aside);
        fs.rmSync(aside, { recursive: true, force: true });
      } catch {
        // Another process moved it first; try again.
      }
    }
  }
}

/**
 * Memory settings of the embedded database (issue 20), given at every start so
 * they hold for existing data folders too. Postgres's shared buffers are
 * allocated and touched at start: initdb's 128MB was ~120MB of the idle
 * process. A practice's database is a few MB, and pages beyond the buffers
 * come from the operating system's file cache (docs/benchmark.md).
 */
export const EMBEDDED_START_PARAMS = ["-c", "shared_buffers=16MB"];

/** Messages of the database process to its parent (embedded-process.ts). */
export type ChildMessage =
  | { type: "ready"; port: number }
  | { type: "failed"; inUse: boolean; message: string }
  | { type: "log"; level: "info" | "warn" | "error"; msg: string };

/**
 * The database process's entry, beside this module in both layouts: src/db/*.ts
 * run by tsx (npm start, the CLIs, vitest) and dist/src/db/*.js (npm run
 * start:prod). The .ts entry is started with tsx's loader, found from here so
 * that it does not depend on the working folder; the .js one needs nothing.
 */
export function childEntry(): { entry: string; execArgv: string[] } {
  const ext = path.extname(import.meta.filename);
  const entry = path.join(import.meta.dirname, `embedded-process${ext}`);
  if (ext !== ".ts") return { entry, execArgv: [] };
  return { entry, execArgv: ["--import", import.meta.resolve("tsx")] };
}

/** Lines the database process wrote to stdout/stderr (a crash's stack, a WASM abort), passed to `log`. */
function forwardLines(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): void {
  if (!stream) return;
  readline.createInterface({ input: stream, crlfDelay: Infinity }).on("line", (line) => line.trim() && onLine(line));
}

/** How long the app waits for its database process to stop after asking it to (then kills it). */
const STOP_TIMEOUT_MS = 20_000;
/** How long a start may take (initdb and a first start on a busy machine take tens of seconds). */
const START_TIMEOUT_MS = 180_000;

/**
 * Starts the database process on `dataDir` and resolves with its loopback URL
 * once it serves; rejects with DataFolderInUseError when another app holds the
 * folder. The child exits by itself when this process goes away (even with
 * kill -9): it watches the IPC channel (embedded-process.ts).
 */
export async function startEmbeddedDatabase(dataDir: string, opts: EmbeddedOptions = {}): Promise<EmbeddedDatabase> {
  const log = opts.log ?? ((level, msg) => process.stderr.write(`embedded database (${level}): ${msg}\n`));
  const { entry, execArgv } = childEntry();
  const child: ChildProcess = fork(entry, [path.resolve(dataDir)], {
    execArgv,
    stdio: ["ignore", "pipe", "pipe", "ipc"],
    serialization: "json",
  });
  const recent: string[] = [];
  const onOutput = (line: string) => {
    recent.push(line);
    if (recent.length > 20) recent.shift();
    log("error", line);
  };
  forwardLines(child.stdout, onOutput);
  forwardLines(child.stderr, onOutput);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  let stopping = false;
  let ready = false;

  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`The embedded database did not start within ${START_TIMEOUT_MS / 1000} s.`));
    }, START_TIMEOUT_MS);
    child.on("message", (m: ChildMessage) => {
      if (m.type === "log") log(m.level, m.msg);
      else if (m.type === "ready") {
        clearTimeout(timer);
        resolve(m.port);
      } else if (m.type === "failed") {
        clearTimeout(timer);
        reject(m.inUse ? new DataFolderInUseError(m.message) : new Error(`The embedded database could not start: ${m.message}`));
      }
    });
    // Also after the start: an 'error' without a listener would crash the app.
    child.on("error", (err) => {
      clearTimeout(timer);
      if (ready) log("warn", `embedded database process: ${err.message}`);
      reject(new Error(`The embedded database process could not be started: ${err.message}`));
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      const tail = recent.length ? `: ${recent.slice(-5).join(" | ")}` : "";
      reject(new Error(`The embedded database process exited (${signal ?? `code ${code}`}) before it was ready${tail}`));
    });
  });
  ready = true;
  void exited.then(({ code, signal }) => {
    if (stopping || !ready) return;
    const reason = `the embedded database process (pid ${child.pid}) exited unexpectedly (${signal ?? `code ${code}`})`;
    if (opts.onUnexpectedExit) opts.onUnexpectedExit(reason);
    else log("error", reason);
  });

  return {
    url: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
    dataDir,
    pid: child.pid!,
    async stop() {
      if (stopping) return void (await exited);
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return;
      // A closed channel (the child is stopping by itself) is no error here.
      child.send({ type: "stop" }, undefined, undefined, () => {});
      const done = await Promise.race([exited.then(() => true), sleep(STOP_TIMEOUT_MS).then(() => false)]);
      if (!done) {
        log("warn", `the embedded database process (pid ${child.pid}) did not stop within ${STOP_TIMEOUT_MS / 1000} s; killing it`);
        child.kill("SIGKILL");
        await exited;
      }
    },
  };
}
