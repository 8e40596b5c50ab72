// The group's answers back (issue 18) in every bench data set: verdicts on a
// third of the PUBLIC and GROUP_ONLY ideas and an Arabic translation of a
// tenth of the public responses, set-based, whatever seeded the ideas. Without
// rows in these tables the planner reads them with a Seq Scan (the cheapest
// plan for an empty table), and the plan check cannot tell a real whole-table
// read from that. Added to a data set that lacks them, so a data set seeded
// before issue 18 is topped up rather than seeded again.
import pg from "pg";

const KINDS = `array['ANSWERS','PARTLY','NOT_YET','NO_LONGER_MATTERS','NOT_DISCUSSED']`;

export async function seedAnswersBack(url: string, log: (s: string) => void): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query<{ has: boolean }>(`select exists (select 1 from "Verdict") as has`);
    if (rows[0]!.has) return;
    await c.query("set session_replication_role = replica"); // no data-version triggers for a bulk load
    await c.query("set work_mem = '256MB'");
    const step = async (what: string, sql: string) => {
      const t = Date.now();
      const r = await c.query(sql);
      log(`${what}: ${r.rowCount ?? 0} rows in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    };
    await step("verdicts", `insert into "Verdict" (id, "practiceId", "ideaId", "sessionId", "groupId", kind, words, "responseId", "saidAt")
      select gen_random_uuid(), i."practiceId", i.id, i."sessionId", i."groupId",
             (${KINDS})[1 + abs(hashtext(i.id::text)) % 5]::"VerdictKind",
             case when abs(hashtext(i.id::text)) % 2 = 0 then 'We still wait a long time on the phone in the morning' else '' end,
             i."latestPublicResponseId", i."createdAt" + interval '30 days'
      from "Idea" i
      where i.consent in ('PUBLIC', 'GROUP_ONLY') and abs(hashtext(i.id::text)) % 3 = 0`);
    await step("response translations", `insert into "ResponseTranslation" (id, "practiceId", "responseId", "ideaId", language, text, "translatorRole", "createdAt")
      select gen_random_uuid(), r."practiceId", r.id, r."ideaId", 'ar', 'ترجمة: ' || left(r.text, 100), 'INTERPRETER', r."createdAt" + interval '2 days'
      from "Response" r
      where r."isPublic" and abs(hashtext(r.id::text)) % 10 = 0`);
    await step("vacuum analyze (answers back)", `vacuum analyze "Verdict", "ResponseTranslation"`);
  } finally {
    await c.end();
  }
}
