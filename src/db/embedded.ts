// The embedded database: PGlite (Postgres compiled to WebAssembly) kept in a data
// folder and served on loopback with pglite-socket, so the app, the session store
// and `prisma migrate deploy` all talk to it as to any Postgres server.
//
// Two facts about it shape everything here and in db/index.ts:
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
//    below waits briefly for the slot instead.
//
// The data folder is opened by one process at a time. The lock is a directory
// made atomically by proper-lockfile, with the owner's pid written inside. It
// is held for as long as that process lives, not for as long as the process
// keeps touching it: PGlite's start-up and migrations can block the event loop
// for many seconds, and an mtime-based lock then looked stale to a second
// process, which took it over and crashed the first (ECOMPROMISED). After
// `kill -9` the owner is gone, so the next start takes the lock over at once.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import lockfile from "proper-lockfile";

export class DataFolderInUseError extends Error {}

export interface EmbeddedDatabase {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

interface LockOwner {
  pid: number;
  host: string;
  /** The owner's start time in clock ticks since boot (Linux), to tell a reused pid apart. */
  startTicks?: string;
}

const LOCK_NAME = ".lock";
const OWNER_FILE = "owner.json";
/** proper-lockfile's mtime staleness is not used (see above): a day is "never" for a lock that is re-checked by pid. */
const MTIME_STALE_MS = 24 * 3600 * 1000;

function startTicksOf(pid: number): string | undefined {
  try {
    // Field 22 of /proc/PID/stat, counted after the ")" that ends the command name.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

/** The lock folders this process holds (a second open in the same process is refused like any other). */
const heldHere = new Set<string>();

function isAlive(owner: LockOwner, lockDir: string): boolean {
  if (owner.host !== os.hostname()) return true; // another machine's process: cannot tell, so assume it is alive
  // Our own pid: either we hold it, or it is a previous life of our pid (a container restarted with the same pid).
  if (owner.pid === process.pid) return heldHere.has(lockDir);
  try {
    process.kill(owner.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  const ticks = startTicksOf(owner.pid);
  return !(owner.startTicks && ticks && ticks !== owner.startTicks);
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
 * processes recovering together cannot both remove it).
 */
export async function lockDataFolder(dataDir: string): Promise<() => Promise<void>> {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockDir = path.join(dataDir, LOCK_NAME);
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
      const owner: LockOwner = { pid: process.pid, host: os.hostname(), startTicks: startTicksOf(process.pid) };
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
        throw new DataFolderInUseError(
          `The embedded database folder ${dataDir} is in use by another process (pid ${owner.pid}). Stop that process, or set DATA_DIR to another folder.`,
        );
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
 * The stock server refuses a connection while the previous one is still detaching
 * (and its TCP listener, limited to one socket, drops it before a byte is read);
 * this one accepts the socket and waits for the slot.
 */
class WaitingSocketServer extends PGLiteSocketServer {
  constructor(options: ConstructorParameters<typeof PGLiteSocketServer>[0]) {
    super(options);
    const self = this as unknown as { handlers: Set<unknown>; maxConnections: number; handleConnection(s: Socket): Promise<void> };
    const handle = self.handleConnection.bind(this);
    self.handleConnection = async (socket: Socket) => {
      const deadline = Date.now() + 5_000;
      while (self.handlers.size >= self.maxConnections && Date.now() < deadline && !socket.destroyed) await sleep(10);
      return handle(socket);
    };
  }

  override async start(): Promise<void> {
    await super.start();
    // Queued sockets wait in handleConnection above, not in the kernel's backlog.
    (this as unknown as { server: { maxConnections: number } }).server.maxConnections = 64;
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

export async function startEmbeddedDatabase(dataDir: string): Promise<EmbeddedDatabase> {
  const release = await lockDataFolder(dataDir);
  try {
    const db = await PGlite.create(path.join(dataDir, "pgdata"), { startParams: [...PGlite.defaultStartParams, ...EMBEDDED_START_PARAMS] });
    const server = new WaitingSocketServer({ db, host: "127.0.0.1", port: 0, debug: process.env.PGLITE_SOCKET_DEBUG === "1" });
    await server.start();
    const [, port] = server.getServerConn().split(":");
    return {
      url: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
      dataDir,
      async stop() {
        await server.stop();
        await db.close();
        await release();
      },
    };
  } catch (err) {
    await release();
    throw err;
  }
}
