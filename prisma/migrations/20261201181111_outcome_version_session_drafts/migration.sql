-- AlterTable
ALTER TABLE "SessionOutcome" ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 1;

-- CreateTable
CREATE TABLE "SessionDraft" (
    "id" UUID NOT NULL,
    "practiceId" UUID NOT NULL,
    "data" JSONB NOT NULL DEFAULT '{}',
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdById" UUID,
    "updatedById" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "SessionDraft_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SessionDraft_practiceId_updatedAt_idx" ON "SessionDraft"("practiceId", "updatedAt");

-- AddForeignKey
ALTER TABLE "SessionDraft" ADD CONSTRAINT "SessionDraft_practiceId_fkey" FOREIGN KEY ("practiceId") REFERENCES "Practice"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- An outcome draft (saved every few seconds by the autosave) is seen only on
-- the outcome form, which is never cached: it does not change the practice
-- data version, so it does not empty the cache of the ideas and reports pages.
-- Saving the outcome for good (isDraft false), or deleting one, still does.
DROP TRIGGER "outcome_data_changed" ON "SessionOutcome";
CREATE CONSTRAINT TRIGGER "outcome_data_inserted" AFTER INSERT ON "SessionOutcome"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NOT NEW."isDraft") EXECUTE FUNCTION "practice_data_changed"();
CREATE CONSTRAINT TRIGGER "outcome_data_updated" AFTER UPDATE ON "SessionOutcome"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NOT (OLD."isDraft" AND NEW."isDraft")) EXECUTE FUNCTION "practice_data_changed"();
CREATE CONSTRAINT TRIGGER "outcome_data_deleted" AFTER DELETE ON "SessionOutcome"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "practice_data_changed"();
