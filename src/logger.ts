import { pino, type Logger } from "pino";

export type { Logger };

/** JSON lines in production; readable, coloured lines in development. */
export function createLogger(opts: { level: string; pretty: boolean }): Logger {
  return pino({
    level: opts.level,
    redact: ["req.headers.cookie", "req.headers.authorization", "res.headers['set-cookie']"],
    ...(opts.pretty
      ? { transport: { target: "pino-pretty", options: { colorize: true, translateTime: "SYS:HH:MM:ss", ignore: "pid,hostname" } } }
      : {}),
  });
}
