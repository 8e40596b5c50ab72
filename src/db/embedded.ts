// The embedded database: PGlite (Postgres compiled to WebAssembly) kept in a data
// folder and served on loopback with pglite-socket, so the app, the session store
// and `prisma migrate deploy` all talk to it as to any Postgres server.
// PGlite is single-connection: every pool that uses it must hold one connection.
import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import lockfile from "proper-lockfile";

export class DataFolderInUseError extends Error {}

export interface EmbeddedDatabase {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

export async function startEmbeddedDatabase(dataDir: string): Promise<EmbeddedDatabase> {
  fs.mkdirSync(dataDir, { recursive: true });
  let release: () => Promise<void>;
  try {
    // One process at a time: a second one gets a clear error, not a corrupted folder.
    release = await lockfile.lock(dataDir, {
      lockfilePath: path.join(dataDir, ".lock"),
      stale: 15_000,
      update: 5_000,
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ELOCKED") {
      throw new DataFolderInUseError(
        `The embedded database folder ${dataDir} is in use by another process. Stop that process, or set DATA_DIR to another folder.`,
      );
    }
    throw err;
  }
  try {
    const db = await PGlite.create(path.join(dataDir, "pgdata"));
    const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: 0 });
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
