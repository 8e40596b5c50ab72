-- Every table with a practiceId column bumps the practice data version, so the
-- staff page cache (lib/practice-cache.ts) stays exact whatever a page comes to
-- show: memberships (names and roles of the practice staff), invitations and
-- idempotency keys join the tables of practice_data_version. Same deferred,
-- once-per-transaction bump. An idempotency key is only ever written in the
-- transaction of the record it made, which bumps already: no extra update.
-- AuditEvent stays out on purpose (sign-in and sign-out write it, and no cached
-- page shows it): tests/integration/data-version-schema.test.ts says so.
CREATE CONSTRAINT TRIGGER "membership_data_changed" AFTER INSERT OR UPDATE OR DELETE ON "Membership"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "practice_data_changed"();
CREATE CONSTRAINT TRIGGER "invitation_data_changed" AFTER INSERT OR UPDATE OR DELETE ON "Invitation"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "practice_data_changed"();
CREATE CONSTRAINT TRIGGER "idempotency_key_data_changed" AFTER INSERT OR UPDATE OR DELETE ON "IdempotencyKey"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "practice_data_changed"();
