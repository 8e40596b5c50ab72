-- A facilitator sees the ideas of the sessions they are assigned to (lib/visibility.ts),
-- and staff pages are cached by the practice's data version (lib/practice-cache.ts):
-- so assigning or unassigning a facilitator is a change of the practice's data too.
-- Same deferred, once-per-transaction bump as the other tables (practice_data_version).
CREATE CONSTRAINT TRIGGER "session_facilitator_data_changed" AFTER INSERT OR UPDATE OR DELETE ON "SessionFacilitator"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "practice_data_changed"();
