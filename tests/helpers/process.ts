// The real server process (`npm start` is `node --import tsx src/server.ts`, with a heap limit flag the tests leave out),
// started with an environment of the test's choosing, its JSON log lines read.
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";

export interface ServerProcess {
  proc: ChildProcess;
  /** Every log line so far (JSON parsed where possible). */
  lines: { msg?: string; [k: string]: unknown }[];
  /** Resolves with the port once the app says it is ready; rejects if the process exits first. */
  ready: Promise<number>;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  /** Everything written to stdout and stderr. */
  output(): string;
  base(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const root = path.resolve(import.meta.dirname, "../..");

/** `opts.compiled`: the build's `node dist/src/server.js` (npm run start:prod; run `npm run build` first) instead of tsx. */
export function startServer(env: Record<string, string | undefined>, opts: { compiled?: boolean } = {}): ServerProcess {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "test", LOG_LEVEL: "info", PORT: "0", HOST: "127.0.0.1", ...env };
  for (const [k, v] of Object.entries(childEnv)) if (v === undefined) delete childEnv[k];
  const args = opts.compiled ? ["dist/src/server.js"] : ["--import", "tsx", "src/server.ts"];
  const proc = spawn(process.execPath, args, { cwd: root, env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
  const lines: ServerProcess["lines"] = [];
  let text = "";
  let port = 0;
  let onReady: (p: number) => void = () => {};
  const ready = new Promise<number>((resolve, reject) => {
    onReady = resolve;
    proc.on("exit", (code) => reject(new Error(`server exited with ${code} before it was ready:\n${text}`)));
  });
  ready.catch(() => {});
  const exited = new Promise<number | null>((resolve) => proc.on("exit", (code) => resolve(code)));
  let partial = "";
  const read = (chunk: Buffer) => {
    text += chunk.toString();
    partial += chunk.toString();
    const parts = partial.split("\n");
    partial = parts.pop() ?? "";
    for (const line of parts) {
      let entry: ServerProcess["lines"][number];
      try {
        entry = JSON.parse(line) as ServerProcess["lines"][number];
      } catch {
        entry = { msg: line };
      }
      lines.push(entry);
      const m = /^ready on http:\/\/localhost:(\d+)/.exec(String(entry.msg ?? ""));
      if (m) {
        port = Number(m[1]);
        onReady(port);
      }
    }
  };
  proc.stdout!.on("data", read);
  proc.stderr!.on("data", read);
  return {
    proc,
    lines,
    ready,
    exited,
    output: () => text,
    base: () => `http://127.0.0.1:${port}`,
    async stop(signal = "SIGTERM") {
      if (proc.exitCode !== null || proc.signalCode !== null) return proc.exitCode;
      proc.kill(signal);
      return exited;
    },
  };
}

/** A loopback port free right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}
