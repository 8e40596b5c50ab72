// The region data set (BENCH_SCALE=region): 1,000 practices, each shaped like
// one practice of the large set (100 sessions, 5 groups, 3 partners, 8 themes,
// 2,000 ideas, 3 responses an idea): 2,000,000 ideas and 6,000,000 responses.
// Written with set-based SQL (INSERT ... SELECT over generate_series), in
// minutes: row-by-row inserts through Prisma would take hours.
//
// Ids are md5 of a fixed name (deterministic, spread like random uuids); the
// derived columns the triggers would keep (Idea's latest public response, its
// first response and done dates; Practice.dataVersion) are written directly,
// with triggers off for the seeding session (session_replication_role =
// replica), so one statement inserts a whole slice of the region. The
// non-primary indexes of Idea and Response are dropped during the load and
// built again after it (from their own definitions).
import pg from "pg";
import { DEFAULT_THEMES } from "../src/features/practices/service.js";
import { hashPassword } from "../src/lib/passwords.js";
import { BENCH_PASSWORD, type SeedSize } from "./seed-large.js";

export const REGION: SeedSize = { practices: 1000, sessionsPerPractice: 100, ideasPerPractice: 2000, responsesPerIdea: 3 };

const LOREM =
  "We would like the practice to let us book appointments in person and by text as well as online because not everyone has a smartphone " +
  "and the phone line is busy every morning so people give up before they reach the surgery and then go to the walk in centre instead " +
  "it would help if reception could offer an interpreter at the desk and if letters came in simple English with the main point first ";

/** Seeds `url` (migrated, empty) with the region data set; `log` reports each step. */
export async function seedRegion(url: string, size: SeedSize, log: (s: string) => void): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query("set session_replication_role = replica");
    await c.query("set maintenance_work_mem = '512MB'");
    await c.query("set work_mem = '256MB'");
    const P = size.practices - 1;
    const S = size.sessionsPerPractice;
    const hash = await hashPassword(BENCH_PASSWORD);
    // One instant for the whole set: sessions are weekly, back from it.
    const base = `date_trunc('day', now())`;
    const step = async (what: string, sql: string, values: unknown[] = []) => {
      const t = Date.now();
      const r = await c.query(sql, values);
      log(`${what}: ${r.rowCount ?? 0} rows in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    };
    await step("practices", `insert into "Practice" (id, name, "odsCode", slug, address, "dataVersion", "updatedAt")
      select md5('p' || p)::uuid, 'Region Medical Practice ' || p, 'R' || lpad(p::text, 5, '0'), 'bench-' || p, p || ' High Street, Town ' || (p % 97), 1, now()
      from generate_series(0, ${P}) p`);
    await step("themes", `insert into "Theme" (id, "practiceId", name, position, "updatedAt")
      select md5('t' || p || '-' || (t.n - 1))::uuid, md5('p' || p)::uuid, t.name, t.n, now()
      from generate_series(0, ${P}) p, unnest($1::text[]) with ordinality as t(name, n)`, [DEFAULT_THEMES]);
    await step("managers", `insert into "User" (id, email, name, "passwordHash", "updatedAt")
      select md5('u' || p)::uuid, 'manager' || p || '@bench.example', 'Manager ' || p, $1, now() from generate_series(0, ${P}) p`, [hash]);
    await step("memberships", `insert into "Membership" (id, "practiceId", "userId", role, "acceptedAt", "updatedAt")
      select md5('m' || p)::uuid, md5('p' || p)::uuid, md5('u' || p)::uuid, 'MANAGER', now(), now() from generate_series(0, ${P}) p`);
    await step("partners", `insert into "PartnerOrganisation" (id, "practiceId", name, "updatedAt")
      select md5('o' || p || '-' || o)::uuid, md5('p' || p)::uuid, 'Partner organisation ' || o || ' of ' || p, now()
      from generate_series(0, ${P}) p, generate_series(0, 2) o`);
    await step("groups", `insert into "CommunityGroup" (id, "practiceId", "partnerId", name, "linkToken", "updatedAt")
      select md5('g' || p || '-' || g)::uuid, md5('p' || p)::uuid, md5('o' || p || '-' || (g % 3))::uuid, 'Community group ' || g, md5('link' || p || '-' || g), now()
      from generate_series(0, ${P}) p, generate_series(0, 4) g`);
    await step("sessions", `insert into "CommunitySession" (id, "practiceId", "groupId", "partnerId", title, "startsAt", "endsAt", status, "venueName", "checklistSafety", "checklistTrust", "updatedAt")
      select md5('s' || p || '-' || s)::uuid, md5('p' || p)::uuid, md5('g' || p || '-' || (s % 5))::uuid, md5('o' || p || '-' || (s % 3))::uuid,
             'Listening session ' || s, st, st + interval '2 hours', 'HELD', 'Community centre ' || (s % 7),
             case when s % 2 = 1 then 'Familiar venue' else '' end, 'Partner-led', now()
      from generate_series(0, ${P}) p, generate_series(0, ${S - 1}) s,
           lateral (select ${base} - (s + 1) * interval '7 days' + ((p * 7 + s) % 6) * interval '1 day' as st) x`);
    await step("outcomes", `insert into "SessionOutcome" (id, "practiceId", "sessionId", "attendanceCount", "isDraft", "updatedAt")
      select md5('so' || p || '-' || s)::uuid, md5('p' || p)::uuid, md5('s' || p || '-' || s)::uuid, 3 + (p + s) % 23, false, now()
      from generate_series(0, ${P}) p, generate_series(0, ${S - 1}) s`);

    // Idea and Response: indexes off during the load, built again after it.
    const { rows: indexes } = await c.query<{ name: string; def: string }>(
      `select i.indexname as name, i.indexdef as def from pg_indexes i
       where i.schemaname = 'public' and i.tablename in ('Idea', 'Response')
         and not exists (select 1 from pg_constraint k where k.conname = i.indexname)`,
    );
    for (const ix of indexes) await c.query(`drop index "${ix.name}"`);

    // One idea's facts, from (p, i): its session s = i % sessions, created at the session's end,
    // three responses at o1 < o2 < o3 days after, the last one's status one of five.
    const ideaFacts = `
      lateral (select ${base} - ((i % ${S}) + 1) * interval '7 days' + ((p * 7 + (i % ${S})) % 6) * interval '1 day' + interval '2 hours' as created,
                      ((i * 7 + p * 3) % 20 + 1) as d1, ((i * 11 + p) % 20 + 1) as d2, ((i * 13 + p * 5) % 20 + 1) as d3,
                      (array['UNDER_CONSIDERATION','PLANNED','IN_PROGRESS','DONE','NOT_POSSIBLE'])[i % 5 + 1]::"IdeaStatus" as final,
                      case when i % 10 < 6 then 'PUBLIC' when i % 10 < 8 then 'GROUP_ONLY' else 'PRACTICE_ONLY' end::"Consent" as consent) f`;
    const SLICE = 100;
    for (let p0 = 0; p0 <= P; p0 += SLICE) {
      const p1 = Math.min(P, p0 + SLICE - 1);
      await step(`ideas of practices ${p0}-${p1}`, `insert into "Idea" (id, "practiceId", "sessionId", "groupId", "themeId", text, support, consent, status, "dueAt",
          "firstResponseAt", "doneAt", "publishedAt", "publicUpdatedAt", "latestPublicResponseId", "publicStatus", "publicRespondedAt", position, "createdAt", "updatedAt")
        select md5('i' || p || '-' || i)::uuid, md5('p' || p)::uuid, md5('s' || p || '-' || (i % ${S}))::uuid, md5('g' || p || '-' || ((i % ${S}) % 5))::uuid,
               md5('t' || p || '-' || (i % 8))::uuid,
               substr($1, 1 + (i * 37 + p) % 150, 60 + (i % 4) * 40), (i * 7 + p) % 21, f.consent, f.final, f.created + interval '28 days',
               f.created + f.d1 * interval '1 day',
               case when f.final = 'DONE' then f.created + (f.d1 + f.d2 + f.d3) * interval '1 day' end,
               case when f.consent = 'PUBLIC' then f.created + interval '1 day' end,
               case when f.consent = 'PUBLIC' then f.created + (f.d1 + f.d2 + f.d3) * interval '1 day' end,
               md5('r' || p || '-' || i || '-2')::uuid, f.final, f.created + (f.d1 + f.d2 + f.d3) * interval '1 day',
               0, f.created, f.created + (f.d1 + f.d2 + f.d3) * interval '1 day'
        from generate_series(${p0}, ${p1}) p, generate_series(0, ${size.ideasPerPractice - 1}) i, ${ideaFacts}`, [LOREM]);
      await step(`responses of practices ${p0}-${p1}`, `insert into "Response" (id, "practiceId", "ideaId", status, text, "isPublic", "authorId", "authorRole", "createdAt")
        select md5('r' || p || '-' || i || '-' || r)::uuid, md5('p' || p)::uuid, md5('i' || p || '-' || i)::uuid,
               case r when 0 then 'UNDER_CONSIDERATION' when 1 then 'PLANNED' else f.final::text end::"IdeaStatus",
               substr($1, 1 + (i * 13 + r * 29) % 200, 120 + r * 20), true, md5('u' || p)::uuid, 'MANAGER',
               f.created + (case r when 0 then f.d1 when 1 then f.d1 + f.d2 else f.d1 + f.d2 + f.d3 end) * interval '1 day'
        from generate_series(${p0}, ${p1}) p, generate_series(0, ${size.ideasPerPractice - 1}) i, generate_series(0, ${size.responsesPerIdea - 1}) r, ${ideaFacts}`, [LOREM]);
    }
    for (const ix of indexes) await step(`index ${ix.name}`, ix.def);
    await step("vacuum analyze", "vacuum analyze");
  } finally {
    await c.end();
  }
}
