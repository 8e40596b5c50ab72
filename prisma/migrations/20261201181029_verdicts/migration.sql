-- CreateEnum
CREATE TYPE "VerdictKind" AS ENUM ('ANSWERS', 'PARTLY', 'NOT_YET', 'NO_LONGER_MATTERS', 'NOT_DISCUSSED');

-- CreateTable
CREATE TABLE "Verdict" (
    "id" UUID NOT NULL,
    "practiceId" UUID NOT NULL,
    "ideaId" UUID NOT NULL,
    "sessionId" UUID NOT NULL,
    "groupId" UUID NOT NULL,
    "kind" "VerdictKind" NOT NULL,
    "words" TEXT NOT NULL DEFAULT '',
    "responseId" UUID,
    "saidAt" TIMESTAMPTZ(3) NOT NULL,
    "createdById" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Verdict_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Verdict_practiceId_ideaId_createdAt_idx" ON "Verdict"("practiceId", "ideaId", "createdAt");

-- CreateIndex
CREATE INDEX "Verdict_practiceId_groupId_createdAt_idx" ON "Verdict"("practiceId", "groupId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Verdict_practiceId_sessionId_ideaId_key" ON "Verdict"("practiceId", "sessionId", "ideaId");

-- AddForeignKey
ALTER TABLE "Verdict" ADD CONSTRAINT "Verdict_ideaId_fkey" FOREIGN KEY ("ideaId") REFERENCES "Idea"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Verdict" ADD CONSTRAINT "Verdict_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "CommunitySession"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Staff pages and public pages are cached by the practice data version
-- (practice_data_version): a verdict changes what they show, so it bumps it too.
CREATE CONSTRAINT TRIGGER "verdict_data_changed" AFTER INSERT OR UPDATE OR DELETE ON "Verdict"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "practice_data_changed"();
