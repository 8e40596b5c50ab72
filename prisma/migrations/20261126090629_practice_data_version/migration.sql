-- AlterTable
ALTER TABLE "Practice" ADD COLUMN     "dataVersion" BIGINT NOT NULL DEFAULT 0;


-- A per-practice data version, for caching staff pages exactly: any committed
-- change to a practice's themes, partners, groups, sessions, outcomes, ideas or
-- responses (or to the practice row itself) makes "dataVersion" different, so a
-- page cached under the old version is never served again.
--
-- The bump runs at COMMIT (deferred constraint triggers), so the practice row is
-- the last lock a transaction takes: two transactions of one practice queue on it
-- for an instant, and can never deadlock over it with the rows they changed.
-- Once per transaction: a row already bumped by this transaction (its xmin is
-- our transaction id) is left alone, so a bulk insert costs one update, not one
-- per row. The function bodies hold no literal semicolon or apostrophe (\073 and
-- \047 in E-strings): the migration runner splits the script at every semicolon.
CREATE FUNCTION "practice_data_changed"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  UPDATE "Practice" p SET "dataVersion" = p."dataVersion" + 1
  WHERE p.id = (CASE WHEN TG_OP = \047DELETE\047 THEN OLD."practiceId" ELSE NEW."practiceId" END)
    AND p.xmin::text::bigint <> (txid_current() % 4294967296)\073
  RETURN NULL\073
END';

-- A change to the practice row itself (its name, its response deadline) bumps it too.
CREATE FUNCTION "practice_version_on_update"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  IF NEW."dataVersion" = OLD."dataVersion" THEN
    NEW."dataVersion" := OLD."dataVersion" + 1\073
  END IF\073
  RETURN NEW\073
END';

CREATE TRIGGER "practice_version_on_update" BEFORE UPDATE ON "Practice"
  FOR EACH ROW EXECUTE FUNCTION "practice_version_on_update"();

CREATE CONSTRAINT TRIGGER "theme_data_changed" AFTER INSERT OR UPDATE OR DELETE ON "Theme"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "practice_data_changed"();
CREATE CONSTRAINT TRIGGER "partner_data_changed" AFTER INSERT OR UPDATE OR DELETE ON "PartnerOrganisation"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "practice_data_changed"();
CREATE CONSTRAINT TRIGGER "group_data_changed" AFTER INSERT OR UPDATE OR DELETE ON "CommunityGroup"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "practice_data_changed"();
CREATE CONSTRAINT TRIGGER "session_data_changed" AFTER INSERT OR UPDATE OR DELETE ON "CommunitySession"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "practice_data_changed"();
CREATE CONSTRAINT TRIGGER "outcome_data_changed" AFTER INSERT OR UPDATE OR DELETE ON "SessionOutcome"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "practice_data_changed"();
CREATE CONSTRAINT TRIGGER "idea_data_changed" AFTER INSERT OR UPDATE OR DELETE ON "Idea"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "practice_data_changed"();
CREATE CONSTRAINT TRIGGER "response_data_changed" AFTER INSERT OR UPDATE OR DELETE ON "Response"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "practice_data_changed"();
