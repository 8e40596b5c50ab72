-- AlterTable
ALTER TABLE "Idea" ADD COLUMN     "latestPublicResponseId" UUID,
ADD COLUMN     "publicRespondedAt" TIMESTAMPTZ(3),
ADD COLUMN     "publicStatus" "IdeaStatus";


-- The latest PUBLIC response of each idea (by "createdAt", then id), for the public
-- pages: recomputed by a trigger whenever responses are inserted, updated or
-- deleted, in the same transaction, whatever the code path (app, seeds, tests).
-- Statement-level with transition tables, so a bulk insert recomputes each
-- affected idea once. "updatedAt" is not touched (it guards staff edits).
-- The function bodies hold no literal semicolon (E-strings with \073 instead):
-- the migration runner splits the script at every semicolon, even in quotes.
CREATE FUNCTION "idea_refresh_public_response"(ids uuid[]) RETURNS void LANGUAGE sql AS '
  UPDATE "Idea" i
  SET ("latestPublicResponseId", "publicStatus", "publicRespondedAt") = (
    SELECT r.id, r.status, r."createdAt"
    FROM "Response" r
    WHERE r."practiceId" = i."practiceId" AND r."ideaId" = i.id AND r."isPublic"
    ORDER BY r."createdAt" DESC, r.id DESC
    LIMIT 1
  )
  WHERE i.id = ANY(ids)
';

CREATE FUNCTION "response_public_after_insert"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  PERFORM "idea_refresh_public_response"(ARRAY(SELECT DISTINCT n."ideaId" FROM new_rows n WHERE n."isPublic"))\073
  RETURN NULL\073
END';

CREATE FUNCTION "response_public_after_update"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  PERFORM "idea_refresh_public_response"(ARRAY(SELECT n."ideaId" FROM new_rows n UNION SELECT o."ideaId" FROM old_rows o))\073
  RETURN NULL\073
END';

CREATE FUNCTION "response_public_after_delete"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  PERFORM "idea_refresh_public_response"(ARRAY(SELECT DISTINCT o."ideaId" FROM old_rows o WHERE o."isPublic"))\073
  RETURN NULL\073
END';

CREATE TRIGGER "response_public_insert" AFTER INSERT ON "Response"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "response_public_after_insert"();
CREATE TRIGGER "response_public_update" AFTER UPDATE ON "Response"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "response_public_after_update"();
CREATE TRIGGER "response_public_delete" AFTER DELETE ON "Response"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "response_public_after_delete"();

-- Backfill: the latest public response of each idea as it stands.
UPDATE "Idea" i
SET "latestPublicResponseId" = r.id, "publicStatus" = r.status, "publicRespondedAt" = r."createdAt"
FROM (
  SELECT DISTINCT ON ("ideaId") "ideaId", id, status, "createdAt"
  FROM "Response"
  WHERE "isPublic"
  ORDER BY "ideaId", "createdAt" DESC, id DESC
) r
WHERE i.id = r."ideaId";
