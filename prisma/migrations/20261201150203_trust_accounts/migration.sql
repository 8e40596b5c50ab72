-- AlterTable
ALTER TABLE "Membership" ADD COLUMN     "acceptedAt" TIMESTAMPTZ(3),
ADD COLUMN     "invitedName" TEXT;

-- AlterTable
ALTER TABLE "Invitation" ADD COLUMN     "setsPassword" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "IdempotencyKey" (
    "practiceId" UUID NOT NULL,
    "formId" UUID NOT NULL,
    "action" TEXT NOT NULL,
    "entityId" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IdempotencyKey_pkey" PRIMARY KEY ("practiceId","formId","action")
);

-- CreateTable
CREATE TABLE "login_limit" (
    "key" TEXT NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,
    "pending" INTEGER NOT NULL DEFAULT 0,
    "resetAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "login_limit_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "login_limit_resetAt_idx" ON "login_limit"("resetAt");

-- AddForeignKey
ALTER TABLE "IdempotencyKey" ADD CONSTRAINT "IdempotencyKey_practiceId_fkey" FOREIGN KEY ("practiceId") REFERENCES "Practice"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Backfill (issue #14). A membership of an account that has a password was
-- usable before: it counts as accepted. One of an account that never set a
-- password is an invitation still waiting to be accepted.
UPDATE "Membership" m SET "acceptedAt" = m."createdAt"
FROM "User" u WHERE u.id = m."userId" AND u."passwordHash" IS NOT NULL;

-- Only the practice that created an account (its oldest membership) may hand
-- out the link that sets the account's first password.
UPDATE "Invitation" i SET "setsPassword" = true
WHERE i."usedAt" IS NULL
  AND i."practiceId" = (
    SELECT m."practiceId" FROM "Membership" m WHERE m."userId" = i."userId" ORDER BY m."createdAt" ASC, m.id ASC LIMIT 1
  );

-- The old sign-in counters (made at run time by rate-limiter-flexible) are replaced by login_limit.
DROP TABLE IF EXISTS "login_rate_limit";
