-- Find your practice board (src/features/public/find.ts): the name, address
-- (town) and ODS code of each practice as words, so the words a visitor types
-- match the start of any of them through this index. An expression index,
-- which the Prisma schema cannot state: the query repeats the expression exactly.
-- (No apostrophes in these comments: the migration runner splits statements.)
CREATE INDEX "Practice_search_idx" ON "Practice"
  USING gin (to_tsvector('simple', "name" || ' ' || "address" || ' ' || "odsCode"));
