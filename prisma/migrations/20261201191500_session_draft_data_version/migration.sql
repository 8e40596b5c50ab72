-- Sessions being planned step by step (SessionDraft) bump the practice data
-- version like every other table with a practiceId (the staff page cache stays
-- exact whatever a cached page comes to show). Same deferred, once-per-transaction bump.
CREATE CONSTRAINT TRIGGER "session_draft_data_changed" AFTER INSERT OR UPDATE OR DELETE ON "SessionDraft"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "practice_data_changed"();
