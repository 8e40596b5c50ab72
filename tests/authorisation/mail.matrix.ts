// E-mail: each person's choices (/account/email), and the outbox (/outbox,
// practice managers, never in production: tests/integration/mail-outbox.test.ts
// shows it is absent then). Practice B's manager sees B's (empty) outbox, and
// a 404 for one of A's messages.
import type { MatrixRow } from "./matrix.js";
import { managerPage, managerRecord, staffPage } from "./matrix.js";

export const rows: MatrixRow[] = [
  { method: "GET", path: "/account/email", url: () => "/account/email", expect: staffPage() },
  // A choice that is not offered: 400, nothing changes.
  { method: "POST", path: "/account/email", url: () => "/account/email", body: () => ({ emails: "everything" }), expect: staffPage(400) },
  { method: "GET", path: "/emails/failed", url: () => "/emails/failed", expect: managerPage() },
  // Practice A's failed e-mail: its manager puts it back on the queue (303); once it is, or from
  // practice B, it is not a failed e-mail there: 404, nothing changes.
  { method: "POST", path: "/emails/:id/retry", url: (w) => `/emails/${w.a.failedMailId}/retry`, expect: managerRecord(303) },
  { method: "GET", path: "/outbox", url: () => "/outbox", expect: managerPage() },
  { method: "GET", path: "/outbox/:id", url: (w) => `/outbox/${w.a.mailMessageId}`, expect: managerRecord() },
];
