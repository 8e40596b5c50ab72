// The mail feature as the process starts it (server.ts): the transport the
// settings ask for and the worker on the app's pool.
import type { Config } from "../../config.js";
import type { Database } from "../../db/index.js";
import type { Logger } from "../../logger.js";
import { createTransport, outboxDirFor } from "./transport.js";
import { startMailWorker, type MailWorker } from "./worker.js";

export async function startMail(config: Config, db: Database, logger: Logger): Promise<MailWorker | undefined> {
  if (!config.mail.worker) {
    logger.info("mail worker off in this process (MAIL_WORKER=false): e-mails are queued for another process to send");
    return undefined;
  }
  const outboxDir = outboxDirFor(config.dataDir);
  const transport = createTransport({ smtpUrl: config.mail.smtpUrl, from: config.mail.from, outboxDir });
  if (!config.mail.smtpUrl) {
    const where = config.env === "production" ? "" : " (listed for managers at /outbox)";
    logger[config.env === "production" ? "warn" : "info"](`e-mail: no SMTP_URL, so nothing is sent: messages are written to ${outboxDir}${where}`);
  }
  const worker = await startMailWorker({ prisma: db.prisma, pool: db.pool, transport, publicUrl: config.publicUrl, logger });
  return {
    boss: worker.boss,
    async stop(timeoutMs) {
      await worker.stop(timeoutMs);
      transport.close();
    },
  };
}
