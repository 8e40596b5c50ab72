-- CreateEnum
CREATE TYPE "TranslatorRole" AS ENUM ('PRACTICE', 'INTERPRETER', 'PARTNER');

-- AlterTable
ALTER TABLE "CommunityGroup" ADD COLUMN     "readingLanguages" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateTable
CREATE TABLE "ResponseTranslation" (
    "id" UUID NOT NULL,
    "practiceId" UUID NOT NULL,
    "responseId" UUID NOT NULL,
    "ideaId" UUID NOT NULL,
    "language" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "translatorRole" "TranslatorRole" NOT NULL,
    "createdById" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ResponseTranslation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ResponseTranslation_practiceId_responseId_language_createdA_idx" ON "ResponseTranslation"("practiceId", "responseId", "language", "createdAt");

-- CreateIndex
CREATE INDEX "ResponseTranslation_practiceId_ideaId_idx" ON "ResponseTranslation"("practiceId", "ideaId");

-- AddForeignKey
ALTER TABLE "ResponseTranslation" ADD CONSTRAINT "ResponseTranslation_responseId_fkey" FOREIGN KEY ("responseId") REFERENCES "Response"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- The page caches are keyed by the practice data version (practice_data_version):
-- a translation changes what the public and staff pages show, so it bumps it too.
CREATE CONSTRAINT TRIGGER "response_translation_data_changed" AFTER INSERT OR UPDATE OR DELETE ON "ResponseTranslation"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "practice_data_changed"();
