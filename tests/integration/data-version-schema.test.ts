// The staff page cache (lib/practice-cache.ts) is exact only if every write to
// a practice's data bumps Practice."dataVersion" (docs/staff-cache.md). This
// file proves it for the schema as migrated: every table with a "practiceId"
// column has the deferred bump trigger, and an insert, an update and a delete
// of a row of each one, each in its own transaction, moves the version on.
// A new table with a practiceId fails here until it bumps (or is listed,
// with its reason, in NOT_BUMPED).
import crypto from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withPractice } from "../helpers/with-practice.js";
import { buildWorld, type PracticeWorld } from "../helpers/world.js";

/** Tables with a practiceId whose writes must not bump the version, and why. */
const NOT_BUMPED: Record<string, string> = {
  AuditEvent: "append-only log written on every sign-in and sign-out; no cached page shows it",
  MailMessage: "written by the mail worker in the background as it sends (features/mail); no cached page shows it",
};

const { ctx } = withPractice({ practices: [] });
let client: pg.Client;
let a: PracticeWorld;

beforeAll(async () => {
  a = (await buildWorld(ctx.prisma)).a;
  const practiceId = a.practice.id;
  // The rows buildWorld does not make: an outcome, an invitation, an idempotency key, an audit event.
  // A final outcome: saves of a draft outcome alone do not bump (autosave; migration outcome_version_session_drafts).
  await ctx.prisma.sessionOutcome.create({ data: { practiceId, sessionId: a.sessionId, attendanceCount: 5, isDraft: false } });
  await ctx.prisma.invitation.create({ data: { practiceId, userId: a.viewer.id, tokenHash: crypto.randomBytes(16).toString("hex"), expiresAt: new Date(Date.now() + 864e5) } });
  await ctx.prisma.idempotencyKey.create({ data: { practiceId, formId: crypto.randomUUID(), action: "test.create", entityId: a.ideaId } });
  await ctx.prisma.auditEvent.create({ data: { practiceId, action: "test.event", entityType: "Test" } });
  await ctx.prisma.responseTranslation.create({ data: { practiceId, responseId: a.responseId, ideaId: a.ideaId, language: "ar", text: "نص", translatorRole: "INTERPRETER" } });
  await ctx.prisma.verdict.create({ data: { practiceId, ideaId: a.ideaId, sessionId: a.sessionId, groupId: a.groupId, kind: "ANSWERS", saidAt: new Date() } });
  await ctx.prisma.calendarFeed.create({ data: { practiceId, userId: a.manager.id, scope: "ASSIGNED", tokenHash: crypto.randomBytes(32).toString("hex") } });
  client = new pg.Client({ connectionString: ctx.databaseUrl });
  await client.connect();
});
afterAll(async () => {
  await client?.end();
});

const q = (table: string) => `"${table.replace(/"/g, "")}"`;

async function version(): Promise<bigint> {
  const { rows } = await client.query<{ v: string }>(`select "dataVersion"::text as v from "Practice" where id = $1`, [a.practice.id]);
  return BigInt(rows[0]!.v);
}

/** Runs `sql` in a transaction of its own and says by how much the practice's version moved at commit. */
async function bumpOf(sql: string, values: unknown[]): Promise<bigint> {
  const before = await version();
  await client.query("begin");
  try {
    const res = await client.query(sql, values);
    expect(res.rowCount, sql).toBe(1);
    await client.query("commit");
  } catch (err) {
    await client.query("rollback");
    throw err;
  }
  return (await version()) - before;
}

async function tablesWithPracticeId(): Promise<string[]> {
  const { rows } = await client.query<{ t: string }>(
    `select table_name as t from information_schema.columns
     where table_schema = 'public' and column_name = 'practiceId' order by 1`,
  );
  return rows.map((r) => r.t);
}

describe("every table with a practiceId bumps the practice data version", () => {
  it("has the deferred bump trigger for insert, update and delete on each table", async () => {
    const tables = await tablesWithPracticeId();
    expect(tables.length).toBeGreaterThan(10);
    const { rows } = await client.query<{ t: string; tgtype: number; deferred: boolean; enabled: string }>(
      `select c.relname as t, tg.tgtype, tg.tgdeferrable and tg.tginitdeferred as deferred, tg.tgenabled as enabled
       from pg_trigger tg join pg_class c on c.oid = tg.tgrelid join pg_proc p on p.oid = tg.tgfoid
       where p.proname = 'practice_data_changed' and not tg.tgisinternal`,
    );
    // tgtype bits: 1 row, 2 before, 4 insert, 8 delete, 16 update. A table may
    // split them over several triggers (SessionOutcome: a draft-only save does not bump).
    const bits = new Map<string, number>();
    for (const r of rows) if (r.deferred && r.enabled === "O" && (r.tgtype & 0b11) === 0b01) bits.set(r.t, (bits.get(r.t) ?? 0) | r.tgtype);
    const covered = new Set([...bits].filter(([, b]) => (b & 0b11111) === 0b11101).map(([t]) => t));
    const missing = tables.filter((t) => !covered.has(t) && !(t in NOT_BUMPED));
    expect(missing, "tables with a practiceId and no practice_data_changed trigger").toEqual([]);
    for (const t of Object.keys(NOT_BUMPED)) expect(tables).toContain(t);
  });

  it("moves the version on an insert, an update and a delete of a row of each table, once per transaction", async () => {
    const tables = (await tablesWithPracticeId()).filter((t) => !(t in NOT_BUMPED));
    const referenced = new Set(
      (await client.query<{ t: string }>(`select distinct confrelid::regclass::text as t from pg_constraint where contype = 'f'`)).rows.map((r) => r.t.replace(/"/g, "")),
    );
    const results: Record<string, { insert: bigint; update: bigint; delete: bigint }> = {};
    for (const table of tables) {
      const found = await client.query<{ r: Record<string, unknown> }>(`select to_jsonb(t) as r from ${q(table)} t where "practiceId" = $1 limit 1`, [a.practice.id]);
      const row = found.rows[0]?.r;
      expect(row, `a row of ${table} in the fixture`).toBeDefined();
      const update = await bumpOf(
        `update ${q(table)} set "practiceId" = "practiceId" where ctid = (select ctid from ${q(table)} where "practiceId" = $1 limit 1)`,
        [a.practice.id],
      );
      const insertRow = (r: Record<string, unknown>) =>
        bumpOf(`insert into ${q(table)} select * from jsonb_populate_record(null::${q(table)}, $1::jsonb)`, [JSON.stringify(r)]);
      const deleteRow = (r: Record<string, unknown>) =>
        bumpOf(`delete from ${q(table)} where to_jsonb(${q(table)}.*) @> $1::jsonb`, [JSON.stringify(r)]);
      let insert: bigint;
      let del: bigint;
      if (!referenced.has(table)) {
        // Nothing refers to these rows: delete one, then put it back as it was.
        del = await deleteRow(row!);
        insert = await insertRow(row!);
      } else {
        // Other rows refer to it: insert a copy under new keys, then delete the copy.
        const copy = { ...row! };
        for (const col of await uniqueColumns(table)) {
          const v = copy[col];
          if (typeof v !== "string") continue;
          copy[col] = /^[0-9a-f-]{36}$/i.test(v) ? crypto.randomUUID() : `${v} (copy)`;
        }
        insert = await insertRow(copy);
        del = await deleteRow(copy);
      }
      results[table] = { insert, update, delete: del };
    }
    const expected = Object.fromEntries(tables.map((t) => [t, { insert: 1n, update: 1n, delete: 1n }]));
    expect(results).toEqual(expected);
  });

  it("bumps once for many rows changed in one transaction, and not at all when it rolls back", async () => {
    const before = await version();
    await client.query("begin");
    await client.query(`update "Theme" set "practiceId" = "practiceId" where "practiceId" = $1`, [a.practice.id]);
    await client.query(`update "Idea" set "practiceId" = "practiceId" where "practiceId" = $1`, [a.practice.id]);
    await client.query("commit");
    expect(await version()).toBe(before + 1n);
    await client.query("begin");
    await client.query(`update "Theme" set "practiceId" = "practiceId" where "practiceId" = $1`, [a.practice.id]);
    await client.query("rollback");
    expect(await version()).toBe(before + 1n);
  });
});

/** Columns of the table's unique indexes that are not foreign keys and not practiceId (what a copy must change). */
async function uniqueColumns(table: string): Promise<string[]> {
  const { rows } = await client.query<{ col: string }>(
    `select distinct a.attname as col
     from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
     where i.indrelid = $1::regclass and i.indisunique and a.attname <> 'practiceId'
       and not exists (select 1 from pg_constraint f where f.conrelid = i.indrelid and f.contype = 'f' and a.attnum = any(f.conkey))`,
    [q(table)],
  );
  return rows.map((r) => r.col);
}
