-- The practice's unanswered ideas by deadline (issue #20). What is overdue now,
-- and when the next idea becomes overdue, are read on every cache miss of
-- /ideas and /reports, on the dashboard and in the weekly digest. Through
-- ("practiceId", "dueAt") they visited every idea of the practice whose
-- deadline had passed, answered or not (2,000 a practice in the benchmark),
-- where a practice keeping up has a handful unanswered. Partial, so it holds
-- only those. Written by hand: Prisma's schema cannot declare a partial index
-- (the snapshot beside this file is the previous migration's, unchanged).
-- No semicolon in these comments: Prisma splits the script on them.
CREATE INDEX "Idea_practiceId_dueAt_unanswered_idx" ON "Idea" ("practiceId", "dueAt") WHERE "firstResponseAt" IS NULL;
