// Where e-mails go: an SMTP server (SMTP_URL), or without one, .eml files in
// the data folder's outbox (DATA_DIR/outbox), built by nodemailer exactly as
// they would be sent, so a newcomer can read them at /outbox.
import fs from "node:fs";
import path from "node:path";
import nodemailer from "nodemailer";
import type Mail from "nodemailer/lib/mailer/index.js";

export interface MailSettings {
  smtpUrl?: string;
  from: string;
  /** Without smtpUrl, messages are written here. */
  outboxDir: string;
}

export interface Transport {
  kind: "smtp" | "outbox";
  /** Sends (or writes) one message; the id is the MailMessage id (the outbox file's name). */
  send(id: string, message: Mail.Options): Promise<void>;
  close(): void;
}

export function outboxDirFor(dataDir: string): string {
  return path.join(dataDir, "outbox");
}

export function createTransport(settings: MailSettings): Transport {
  if (settings.smtpUrl) {
    // Short timeouts: a stuck server fails this attempt, and the queue retries later.
    const smtp = nodemailer.createTransport(settings.smtpUrl, { from: settings.from });
    (smtp.options as { connectionTimeout?: number; greetingTimeout?: number; socketTimeout?: number }).connectionTimeout ??= 15_000;
    (smtp.options as { greetingTimeout?: number }).greetingTimeout ??= 15_000;
    (smtp.options as { socketTimeout?: number }).socketTimeout ??= 60_000;
    return {
      kind: "smtp",
      async send(_id, message) {
        await smtp.sendMail({ from: settings.from, ...message });
      },
      close: () => smtp.close(),
    };
  }
  const stream = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  return {
    kind: "outbox",
    async send(id, message) {
      const info = await stream.sendMail({ from: settings.from, ...message });
      await fs.promises.mkdir(settings.outboxDir, { recursive: true });
      const file = path.join(settings.outboxDir, `${id}.eml`);
      // Written whole, then renamed: a reader never sees half a message.
      // Beside it, the text part as written (the .eml encodes long lines, which is hard to read).
      const readable = `To: ${String(message.to)}\nSubject: ${message.subject ?? ""}\n\n${String(message.text ?? "")}\n`;
      await fs.promises.writeFile(path.join(settings.outboxDir, `${id}.txt`), readable, { mode: 0o600 });
      await fs.promises.writeFile(`${file}.tmp`, info.message as Buffer, { mode: 0o600 });
      await fs.promises.rename(`${file}.tmp`, file);
    },
    close: () => stream.close(),
  };
}

/** The outbox files of one message (the .eml as sent and its text part), or undefined. */
export async function readOutboxFile(outboxDir: string, id: string): Promise<{ eml: string; text: string | undefined } | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  try {
    const eml = await fs.promises.readFile(path.join(outboxDir, `${id}.eml`), "utf8");
    const text = await fs.promises.readFile(path.join(outboxDir, `${id}.txt`), "utf8").catch(() => undefined);
    return { eml, text };
  } catch {
    return undefined;
  }
}
