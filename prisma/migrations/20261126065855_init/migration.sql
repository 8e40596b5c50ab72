-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('MANAGER', 'FACILITATOR', 'VIEWER');

-- CreateEnum
CREATE TYPE "SessionStatus" AS ENUM ('DRAFT', 'SCHEDULED', 'HELD', 'CANCELLED', 'POSTPONED');

-- CreateEnum
CREATE TYPE "PracticePresence" AS ENUM ('NONE', 'NON_CLINICAL_ONLY', 'INVITED_FOR_PART');

-- CreateEnum
CREATE TYPE "Consent" AS ENUM ('PUBLIC', 'GROUP_ONLY', 'PRACTICE_ONLY');

-- CreateEnum
CREATE TYPE "IdeaStatus" AS ENUM ('RECEIVED', 'UNDER_CONSIDERATION', 'PLANNED', 'IN_PROGRESS', 'DONE', 'NOT_POSSIBLE');

-- CreateTable
CREATE TABLE "Practice" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "odsCode" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "address" TEXT NOT NULL DEFAULT '',
    "responseDeadlineDays" INTEGER NOT NULL DEFAULT 28,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Practice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "User" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "passwordHash" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "passwordChangedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Membership" (
    "id" UUID NOT NULL,
    "practiceId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "role" "Role" NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Membership_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Invitation" (
    "id" UUID NOT NULL,
    "practiceId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "usedAt" TIMESTAMPTZ(3),
    "createdById" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Invitation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Theme" (
    "id" UUID NOT NULL,
    "practiceId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "retiredAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Theme_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PartnerOrganisation" (
    "id" UUID NOT NULL,
    "practiceId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "contactName" TEXT NOT NULL DEFAULT '',
    "contactEmail" TEXT NOT NULL DEFAULT '',
    "contactPhone" TEXT NOT NULL DEFAULT '',
    "notes" TEXT NOT NULL DEFAULT '',
    "archivedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "PartnerOrganisation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CommunityGroup" (
    "id" UUID NOT NULL,
    "practiceId" UUID NOT NULL,
    "partnerId" UUID,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "languages" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "accessNeeds" TEXT NOT NULL DEFAULT '',
    "usualTimes" TEXT NOT NULL DEFAULT '',
    "usualVenue" TEXT NOT NULL DEFAULT '',
    "linkToken" TEXT NOT NULL,
    "archivedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "CommunityGroup_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CommunitySession" (
    "id" UUID NOT NULL,
    "practiceId" UUID NOT NULL,
    "groupId" UUID NOT NULL,
    "partnerId" UUID,
    "title" TEXT NOT NULL,
    "purpose" TEXT NOT NULL DEFAULT '',
    "startsAt" TIMESTAMPTZ(3) NOT NULL,
    "endsAt" TIMESTAMPTZ(3) NOT NULL,
    "online" BOOLEAN NOT NULL DEFAULT false,
    "venueName" TEXT NOT NULL DEFAULT '',
    "venueAddress" TEXT NOT NULL DEFAULT '',
    "venueAccessibility" TEXT NOT NULL DEFAULT '',
    "onlineDetails" TEXT NOT NULL DEFAULT '',
    "interpreterLanguages" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "supportTravel" BOOLEAN NOT NULL DEFAULT false,
    "supportChildcare" BOOLEAN NOT NULL DEFAULT false,
    "supportRefreshments" BOOLEAN NOT NULL DEFAULT false,
    "supportOther" TEXT NOT NULL DEFAULT '',
    "capacity" INTEGER,
    "practicePresence" "PracticePresence" NOT NULL DEFAULT 'NONE',
    "practicePresenceNotes" TEXT NOT NULL DEFAULT '',
    "groundRules" TEXT NOT NULL DEFAULT '',
    "confidentiality" TEXT NOT NULL DEFAULT '',
    "safeguardingLead" TEXT NOT NULL DEFAULT '',
    "checklistSafety" TEXT NOT NULL DEFAULT '',
    "checklistTrust" TEXT NOT NULL DEFAULT '',
    "checklistChoice" TEXT NOT NULL DEFAULT '',
    "checklistCollaboration" TEXT NOT NULL DEFAULT '',
    "checklistEmpowerment" TEXT NOT NULL DEFAULT '',
    "checklistCulture" TEXT NOT NULL DEFAULT '',
    "preparationNotes" TEXT NOT NULL DEFAULT '',
    "status" "SessionStatus" NOT NULL DEFAULT 'DRAFT',
    "statusReason" TEXT NOT NULL DEFAULT '',
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "CommunitySession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SessionFacilitator" (
    "practiceId" UUID NOT NULL,
    "sessionId" UUID NOT NULL,
    "userId" UUID NOT NULL,

    CONSTRAINT "SessionFacilitator_pkey" PRIMARY KEY ("sessionId","userId")
);

-- CreateTable
CREATE TABLE "SessionOutcome" (
    "id" UUID NOT NULL,
    "practiceId" UUID NOT NULL,
    "sessionId" UUID NOT NULL,
    "attendanceCount" INTEGER,
    "themesDiscussed" TEXT NOT NULL DEFAULT '',
    "processReflection" TEXT NOT NULL DEFAULT '',
    "privateReflections" TEXT NOT NULL DEFAULT '',
    "isDraft" BOOLEAN NOT NULL DEFAULT true,
    "draftData" JSONB,
    "createdById" UUID,
    "updatedById" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "SessionOutcome_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Idea" (
    "id" UUID NOT NULL,
    "practiceId" UUID NOT NULL,
    "sessionId" UUID NOT NULL,
    "groupId" UUID NOT NULL,
    "themeId" UUID NOT NULL,
    "text" TEXT NOT NULL,
    "support" INTEGER NOT NULL DEFAULT 0,
    "consent" "Consent" NOT NULL,
    "status" "IdeaStatus" NOT NULL DEFAULT 'RECEIVED',
    "dueAt" TIMESTAMPTZ(3) NOT NULL,
    "firstResponseAt" TIMESTAMPTZ(3),
    "doneAt" TIMESTAMPTZ(3),
    "publishedAt" TIMESTAMPTZ(3),
    "publishedById" UUID,
    "publicUpdatedAt" TIMESTAMPTZ(3),
    "position" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Idea_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Response" (
    "id" UUID NOT NULL,
    "practiceId" UUID NOT NULL,
    "ideaId" UUID NOT NULL,
    "status" "IdeaStatus" NOT NULL,
    "text" TEXT NOT NULL,
    "targetDate" DATE,
    "isPublic" BOOLEAN NOT NULL DEFAULT true,
    "authorId" UUID,
    "authorRole" "Role" NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Response_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" BIGSERIAL NOT NULL,
    "practiceId" UUID,
    "actorId" UUID,
    "action" TEXT NOT NULL,
    "entityType" TEXT NOT NULL,
    "entityId" TEXT,
    "details" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "http_session" (
    "sid" VARCHAR NOT NULL,
    "sess" JSON NOT NULL,
    "expire" TIMESTAMP(6) NOT NULL,

    CONSTRAINT "http_session_pkey" PRIMARY KEY ("sid")
);

-- CreateIndex
CREATE UNIQUE INDEX "Practice_odsCode_key" ON "Practice"("odsCode");

-- CreateIndex
CREATE UNIQUE INDEX "Practice_slug_key" ON "Practice"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE INDEX "Membership_userId_idx" ON "Membership"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "Membership_practiceId_userId_key" ON "Membership"("practiceId", "userId");

-- CreateIndex
CREATE UNIQUE INDEX "Invitation_tokenHash_key" ON "Invitation"("tokenHash");

-- CreateIndex
CREATE INDEX "Invitation_practiceId_userId_idx" ON "Invitation"("practiceId", "userId");

-- CreateIndex
CREATE INDEX "Theme_practiceId_position_idx" ON "Theme"("practiceId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "Theme_practiceId_name_key" ON "Theme"("practiceId", "name");

-- CreateIndex
CREATE INDEX "PartnerOrganisation_practiceId_name_idx" ON "PartnerOrganisation"("practiceId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "CommunityGroup_linkToken_key" ON "CommunityGroup"("linkToken");

-- CreateIndex
CREATE INDEX "CommunityGroup_practiceId_name_idx" ON "CommunityGroup"("practiceId", "name");

-- CreateIndex
CREATE INDEX "CommunitySession_practiceId_startsAt_idx" ON "CommunitySession"("practiceId", "startsAt");

-- CreateIndex
CREATE INDEX "CommunitySession_practiceId_status_endsAt_idx" ON "CommunitySession"("practiceId", "status", "endsAt");

-- CreateIndex
CREATE INDEX "CommunitySession_practiceId_groupId_idx" ON "CommunitySession"("practiceId", "groupId");

-- CreateIndex
CREATE INDEX "SessionFacilitator_practiceId_userId_idx" ON "SessionFacilitator"("practiceId", "userId");

-- CreateIndex
CREATE UNIQUE INDEX "SessionOutcome_sessionId_key" ON "SessionOutcome"("sessionId");

-- CreateIndex
CREATE INDEX "SessionOutcome_practiceId_idx" ON "SessionOutcome"("practiceId");

-- CreateIndex
CREATE INDEX "Idea_practiceId_createdAt_idx" ON "Idea"("practiceId", "createdAt");

-- CreateIndex
CREATE INDEX "Idea_practiceId_status_idx" ON "Idea"("practiceId", "status");

-- CreateIndex
CREATE INDEX "Idea_practiceId_sessionId_idx" ON "Idea"("practiceId", "sessionId");

-- CreateIndex
CREATE INDEX "Idea_practiceId_groupId_idx" ON "Idea"("practiceId", "groupId");

-- CreateIndex
CREATE INDEX "Idea_practiceId_themeId_idx" ON "Idea"("practiceId", "themeId");

-- CreateIndex
CREATE INDEX "Idea_practiceId_publishedAt_idx" ON "Idea"("practiceId", "publishedAt");

-- CreateIndex
CREATE INDEX "Idea_practiceId_dueAt_idx" ON "Idea"("practiceId", "dueAt");

-- CreateIndex
CREATE INDEX "Response_practiceId_ideaId_createdAt_idx" ON "Response"("practiceId", "ideaId", "createdAt");

-- CreateIndex
CREATE INDEX "Response_practiceId_createdAt_idx" ON "Response"("practiceId", "createdAt");

-- CreateIndex
CREATE INDEX "AuditEvent_practiceId_createdAt_idx" ON "AuditEvent"("practiceId", "createdAt");

-- CreateIndex
CREATE INDEX "http_session_expire_idx" ON "http_session"("expire");

-- AddForeignKey
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_practiceId_fkey" FOREIGN KEY ("practiceId") REFERENCES "Practice"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Theme" ADD CONSTRAINT "Theme_practiceId_fkey" FOREIGN KEY ("practiceId") REFERENCES "Practice"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PartnerOrganisation" ADD CONSTRAINT "PartnerOrganisation_practiceId_fkey" FOREIGN KEY ("practiceId") REFERENCES "Practice"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CommunityGroup" ADD CONSTRAINT "CommunityGroup_practiceId_fkey" FOREIGN KEY ("practiceId") REFERENCES "Practice"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CommunityGroup" ADD CONSTRAINT "CommunityGroup_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "PartnerOrganisation"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CommunitySession" ADD CONSTRAINT "CommunitySession_practiceId_fkey" FOREIGN KEY ("practiceId") REFERENCES "Practice"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CommunitySession" ADD CONSTRAINT "CommunitySession_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "CommunityGroup"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CommunitySession" ADD CONSTRAINT "CommunitySession_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "PartnerOrganisation"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SessionFacilitator" ADD CONSTRAINT "SessionFacilitator_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "CommunitySession"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SessionOutcome" ADD CONSTRAINT "SessionOutcome_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "CommunitySession"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Idea" ADD CONSTRAINT "Idea_practiceId_fkey" FOREIGN KEY ("practiceId") REFERENCES "Practice"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Idea" ADD CONSTRAINT "Idea_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "CommunitySession"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Idea" ADD CONSTRAINT "Idea_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "CommunityGroup"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Idea" ADD CONSTRAINT "Idea_themeId_fkey" FOREIGN KEY ("themeId") REFERENCES "Theme"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Response" ADD CONSTRAINT "Response_ideaId_fkey" FOREIGN KEY ("ideaId") REFERENCES "Idea"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditEvent" ADD CONSTRAINT "AuditEvent_practiceId_fkey" FOREIGN KEY ("practiceId") REFERENCES "Practice"("id") ON DELETE SET NULL ON UPDATE CASCADE;

