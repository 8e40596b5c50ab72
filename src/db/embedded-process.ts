// The embedded database's own process (issue #20): started by
// startEmbeddedDatabase (db/embedded.ts) with child_process.fork, never by hand.
// It takes the data folder's lock, opens PGlite on it and serves it on loopback
// with the socket server; the app connects to it as to any Postgres server.
//
// Its life is tied to its parent's through the IPC channel of the fork:
// - "ready" (with the port), "failed" (with the reason) and "log" messages go up;
//   nothing is sent per query.
// - On {type: "stop"} from the parent, or when the channel closes because the
//   parent is gone (even after kill -9, the kernel closes the socket), it stops
//   the socket server, closes PGlite (a clean shutdown: a checkpoint, nothing
//   to recover at the next start), releases the lock and exits.
// - SIGINT and SIGTERM are not acted on while the parent is there: Ctrl-C in a
//   terminal, or a supervisor stopping the whole process group, reaches this
//   process too, and the app must first finish its requests in flight (which
//   need the database), then stop this process itself. If the parent does not
//   stop it within PARENT_GRACE_MS of such a signal, it stops by itself.
import path from "node:path";
import type { Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { DataFolderInUseError, EMBEDDED_START_PARAMS, lockDataFolder, type ChildMessage } from "./embedded.js";

/** After a signal, how long the parent has to stop this process before it stops by itself. */
const PARENT_GRACE_MS = 30_000;
/** A clean close that takes longer than this (a wedged PGlite) gives way to a plain exit. */
const CLOSE_TIMEOUT_MS = 10_000;

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

function send(message: ChildMessage): Promise<void> {
  if (!process.connected) return Promise.resolve();
  return new Promise((resolve) => process.send!(message, undefined, undefined, () => resolve()));
}

// Once the app is gone, so are the pipes of stdout and stderr: a write then fails with EPIPE, which must not crash the close.
process.stdout.on("error", () => {});
process.stderr.on("error", () => {});

if (!process.send) {
  process.stderr.write("embedded-process: started without an IPC channel; it is started by the app (src/db/embedded.ts), not by hand.\n");
  process.exit(2);
}

const dataDir = path.resolve(process.argv[2] ?? "");
let release: (() => Promise<void>) | undefined;
let db: PGlite | undefined;
let server: WaitingSocketServer | undefined;
let stopping: Promise<void> | undefined;
let failed = false;
/** Resolves when the start has finished (either way): a stop waits for it, so a half-made folder is never left by a stop. */
let started: () => void = () => {};
const starting = new Promise<void>((resolve) => (started = resolve));

function stop(why: string, code = 0): Promise<void> {
  stopping ??= (async () => {
    if (why !== "stop") void send({ type: "log", level: "info", msg: `embedded database stopping: ${why}` });
    await starting;
    // However the clean close goes, the process ends.
    setTimeout(() => process.exit(code || 1), CLOSE_TIMEOUT_MS).unref();
    try {
      await server?.stop();
      await db?.close();
    } catch (err) {
      process.stderr.write(`embedded database: closing PGlite failed: ${(err as Error).message}\n`);
      code ||= 1;
    }
    await release?.().catch(() => {});
    process.exit(code);
  })();
  return stopping;
}

process.on("message", (m: { type?: string }) => {
  if (m?.type === "stop") void stop("stop");
});
// The parent is gone (exited, crashed or killed): nobody can use this database any more.
process.on("disconnect", () => failed || void stop("the app process is gone"));
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (!process.connected) return void stop(signal);
    setTimeout(() => void stop(`${signal}, and the app did not stop it within ${PARENT_GRACE_MS / 1000} s`), PARENT_GRACE_MS).unref();
  });
}
process.on("uncaughtException", (err) => {
  process.stderr.write(`embedded database: ${err.stack ?? err.message}\n`);
  void stop("an unexpected error", 1);
});

try {
  release = await lockDataFolder(dataDir, {
    parentPid: process.ppid,
    onOrphanWait: (pid) =>
      void send({ type: "log", level: "info", msg: `the previous database process (pid ${pid}) of a stopped app is still closing ${dataDir}; waiting for it` }),
  });
  db = await PGlite.create(path.join(dataDir, "pgdata"), { startParams: [...PGlite.defaultStartParams, ...EMBEDDED_START_PARAMS] });
  server = new WaitingSocketServer({ db, host: "127.0.0.1", port: 0, debug: process.env.PGLITE_SOCKET_DEBUG === "1" });
  await server.start();
  const [, port] = server.getServerConn().split(":");
  started();
  if (!stopping) void send({ type: "ready", port: Number(port) });
} catch (err) {
  failed = true;
  await db?.close().catch(() => {});
  await release?.().catch(() => {});
  await send({ type: "failed", inUse: err instanceof DataFolderInUseError, message: (err as Error).message });
  process.exit(1);
}
