-- CreateEnum
CREATE TYPE "CalendarFeedScope" AS ENUM ('ASSIGNED', 'PRACTICE');

-- AlterTable
ALTER TABLE "Practice" ADD COLUMN     "gapAlertMonths" INTEGER NOT NULL DEFAULT 3;

-- CreateTable
CREATE TABLE "CalendarFeed" (
    "id" UUID NOT NULL,
    "practiceId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "scope" "CalendarFeedScope" NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "CalendarFeed_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "CalendarFeed_tokenHash_key" ON "CalendarFeed"("tokenHash");

-- CreateIndex
CREATE UNIQUE INDEX "CalendarFeed_practiceId_userId_scope_key" ON "CalendarFeed"("practiceId", "userId", "scope");

-- AddForeignKey
ALTER TABLE "CalendarFeed" ADD CONSTRAINT "CalendarFeed_practiceId_fkey" FOREIGN KEY ("practiceId") REFERENCES "Practice"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- A month to two years: the form refuses anything else, and so does the database.
ALTER TABLE "Practice" ADD CONSTRAINT "Practice_gapAlertMonths_range" CHECK ("gapAlertMonths" BETWEEN 1 AND 24);

-- Like every table holding a practice data (practice_data_version): a change bumps the
-- practice data version once per committing transaction.
CREATE CONSTRAINT TRIGGER "calendar_feed_data_changed" AFTER INSERT OR UPDATE OR DELETE ON "CalendarFeed"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "practice_data_changed"();
