-- CreateEnum
CREATE TYPE "MailKind" AS ENUM ('INVITATION', 'SESSION_REMINDER', 'SESSION_CHANGED', 'SESSION_CANCELLED', 'WEEKLY_DIGEST');

-- CreateEnum
CREATE TYPE "MailStatus" AS ENUM ('QUEUED', 'SENT', 'SKIPPED', 'FAILED');

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "emailDigest" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "emailReminders" BOOLEAN NOT NULL DEFAULT true;

-- CreateTable
CREATE TABLE "MailMessage" (
    "id" UUID NOT NULL,
    "practiceId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "kind" "MailKind" NOT NULL,
    "params" JSONB NOT NULL DEFAULT '{}',
    "dedupKey" TEXT,
    "status" "MailStatus" NOT NULL DEFAULT 'QUEUED',
    "toAddress" TEXT,
    "subject" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "sentAt" TIMESTAMPTZ(3),

    CONSTRAINT "MailMessage_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "MailMessage_dedupKey_key" ON "MailMessage"("dedupKey");

-- CreateIndex
CREATE INDEX "MailMessage_practiceId_createdAt_idx" ON "MailMessage"("practiceId", "createdAt");

-- CreateIndex
CREATE INDEX "MailMessage_practiceId_status_idx" ON "MailMessage"("practiceId", "status");

-- AddForeignKey
ALTER TABLE "MailMessage" ADD CONSTRAINT "MailMessage_practiceId_fkey" FOREIGN KEY ("practiceId") REFERENCES "Practice"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The mail queue: pg-boss 10.4.2 (its schema version 24) in the schema pgboss,
-- created here so that every database (server, embedded, test templates) has it
-- before the app starts. The statement below is PgBoss.getConstructionPlans("pgboss")
-- unchanged but for its BEGIN and COMMIT, run as one EXECUTE because the migration
-- runner splits a file at every semicolon (so none may appear in this file but at
-- the end of a statement: the text is escaped with \073 and \047). Later pg-boss
-- versions migrate their own schema when the worker starts.
DO E'BEGIN EXECUTE \047    SET LOCAL lock_timeout = \047\04730s\047\047\073
    SET LOCAL idle_in_transaction_session_timeout = \047\04730s\047\047\073
    SELECT pg_advisory_xact_lock(
      (\047\047x\047\047 || encode(sha224((current_database() || \047\047.pgboss.pgboss\047\047)::bytea), \047\047hex\047\047))::bit(64)::bigint
  )\073
    CREATE SCHEMA IF NOT EXISTS pgboss
  \073
    CREATE TYPE pgboss.job_state AS ENUM (
      \047\047created\047\047,
      \047\047retry\047\047,
      \047\047active\047\047,
      \047\047completed\047\047,
      \047\047cancelled\047\047,
      \047\047failed\047\047
    )
  \073
    CREATE TABLE pgboss.version (
      version int primary key,
      maintained_on timestamp with time zone,
      cron_on timestamp with time zone,
      monitored_on timestamp with time zone
    )
  \073
    CREATE TABLE pgboss.queue (
      name text,
      policy text,
      retry_limit int,
      retry_delay int,
      retry_backoff bool,
      expire_seconds int,
      retention_minutes int,
      dead_letter text REFERENCES pgboss.queue (name),
      partition_name text,
      created_on timestamp with time zone not null default now(),
      updated_on timestamp with time zone not null default now(),
      PRIMARY KEY (name)
    )
  \073
    CREATE TABLE pgboss.schedule (
      name text REFERENCES pgboss.queue ON DELETE CASCADE,
      cron text not null,
      timezone text,
      data jsonb,
      options jsonb,
      created_on timestamp with time zone not null default now(),
      updated_on timestamp with time zone not null default now(),
      PRIMARY KEY (name)
    )
  \073
    CREATE TABLE pgboss.subscription (
      event text not null,
      name text not null REFERENCES pgboss.queue ON DELETE CASCADE,
      created_on timestamp with time zone not null default now(),
      updated_on timestamp with time zone not null default now(),
      PRIMARY KEY(event, name)
    )
  \073
    CREATE TABLE pgboss.job (
      id uuid not null default gen_random_uuid(),
      name text not null,
      priority integer not null default(0),
      data jsonb,
      state pgboss.job_state not null default(\047\047created\047\047),
      retry_limit integer not null default(2),
      retry_count integer not null default(0),
      retry_delay integer not null default(0),
      retry_backoff boolean not null default false,
      start_after timestamp with time zone not null default now(),
      started_on timestamp with time zone,
      singleton_key text,
      singleton_on timestamp without time zone,
      expire_in interval not null default interval \047\04715 minutes\047\047,
      created_on timestamp with time zone not null default now(),
      completed_on timestamp with time zone,
      keep_until timestamp with time zone NOT NULL default now() + interval \047\04714 days\047\047,
      output jsonb,
      dead_letter text,
      policy text
    ) PARTITION BY LIST (name)
  \073
ALTER TABLE pgboss.job ADD PRIMARY KEY (name, id)\073
CREATE TABLE pgboss.archive (LIKE pgboss.job)\073
ALTER TABLE pgboss.archive ADD PRIMARY KEY (name, id)\073
ALTER TABLE pgboss.archive ADD archived_on timestamptz NOT NULL DEFAULT now()\073
CREATE INDEX archive_i1 ON pgboss.archive(archived_on)\073
    CREATE FUNCTION pgboss.create_queue(queue_name text, options json)
    RETURNS VOID AS
    $$
    DECLARE
      table_name varchar := \047\047j\047\047 || encode(sha224(queue_name::bytea), \047\047hex\047\047)\073
      queue_created_on timestamptz\073
    BEGIN
      WITH q as (
      INSERT INTO pgboss.queue (
        name,
        policy,
        retry_limit,
        retry_delay,
        retry_backoff,
        expire_seconds,
        retention_minutes,
        dead_letter,
        partition_name
      )
      VALUES (
        queue_name,
        options->>\047\047policy\047\047,
        (options->>\047\047retryLimit\047\047)::int,
        (options->>\047\047retryDelay\047\047)::int,
        (options->>\047\047retryBackoff\047\047)::bool,
        (options->>\047\047expireInSeconds\047\047)::int,
        (options->>\047\047retentionMinutes\047\047)::int,
        options->>\047\047deadLetter\047\047,
        table_name
      )
      ON CONFLICT DO NOTHING
      RETURNING created_on
      )
      SELECT created_on into queue_created_on from q\073
      IF queue_created_on IS NULL THEN
        RETURN\073
      END IF\073
      EXECUTE format(\047\047CREATE TABLE pgboss.%I (LIKE pgboss.job INCLUDING DEFAULTS)\047\047, table_name)\073
      EXECUTE format(\047\047ALTER TABLE pgboss.%1$I ADD PRIMARY KEY (name, id)\047\047, table_name)\073
      EXECUTE format(\047\047ALTER TABLE pgboss.%1$I ADD CONSTRAINT q_fkey FOREIGN KEY (name) REFERENCES pgboss.queue (name) ON DELETE RESTRICT DEFERRABLE INITIALLY DEFERRED\047\047, table_name)\073
      EXECUTE format(\047\047ALTER TABLE pgboss.%1$I ADD CONSTRAINT dlq_fkey FOREIGN KEY (dead_letter) REFERENCES pgboss.queue (name) ON DELETE RESTRICT DEFERRABLE INITIALLY DEFERRED\047\047, table_name)\073
      EXECUTE format(\047\047CREATE UNIQUE INDEX %1$s_i1 ON pgboss.%1$I (name, COALESCE(singleton_key, \047\047\047\047\047\047\047\047)) WHERE state = \047\047\047\047created\047\047\047\047 AND policy = \047\047\047\047short\047\047\047\047\047\047, table_name)\073
      EXECUTE format(\047\047CREATE UNIQUE INDEX %1$s_i2 ON pgboss.%1$I (name, COALESCE(singleton_key, \047\047\047\047\047\047\047\047)) WHERE state = \047\047\047\047active\047\047\047\047 AND policy = \047\047\047\047singleton\047\047\047\047\047\047, table_name)\073
      EXECUTE format(\047\047CREATE UNIQUE INDEX %1$s_i3 ON pgboss.%1$I (name, state, COALESCE(singleton_key, \047\047\047\047\047\047\047\047)) WHERE state <= \047\047\047\047active\047\047\047\047 AND policy = \047\047\047\047stately\047\047\047\047\047\047, table_name)\073
      EXECUTE format(\047\047CREATE UNIQUE INDEX %1$s_i4 ON pgboss.%1$I (name, singleton_on, COALESCE(singleton_key, \047\047\047\047\047\047\047\047)) WHERE state <> \047\047\047\047cancelled\047\047\047\047 AND singleton_on IS NOT NULL\047\047, table_name)\073
      EXECUTE format(\047\047CREATE INDEX %1$s_i5 ON pgboss.%1$I (name, start_after) INCLUDE (priority, created_on, id) WHERE state < \047\047\047\047active\047\047\047\047\047\047, table_name)\073
      EXECUTE format(\047\047ALTER TABLE pgboss.%I ADD CONSTRAINT cjc CHECK (name=%L)\047\047, table_name, queue_name)\073
      EXECUTE format(\047\047ALTER TABLE pgboss.job ATTACH PARTITION pgboss.%I FOR VALUES IN (%L)\047\047, table_name, queue_name)\073
    END\073
    $$
    LANGUAGE plpgsql\073
  \073
    CREATE FUNCTION pgboss.delete_queue(queue_name text)
    RETURNS VOID AS
    $$
    DECLARE
      table_name varchar\073
    BEGIN
      WITH deleted as (
        DELETE FROM pgboss.queue
        WHERE name = queue_name
        RETURNING partition_name
      )
      SELECT partition_name from deleted INTO table_name\073
      EXECUTE format(\047\047DROP TABLE IF EXISTS pgboss.%I\047\047, table_name)\073
    END\073
    $$
    LANGUAGE plpgsql\073
  \073
INSERT INTO pgboss.version(version) VALUES (\047\04724\047\047)\073\047\073 END';

-- The queues (pg-boss 10 needs a queue before a job is sent to it). mail-send
-- retries 8 times with exponential back-off from 60 s (about 4 hours in all), and
-- a send that runs for 5 minutes is given up and retried.
SELECT pgboss.create_queue('mail-send', '{"policy":"standard","retryLimit":8,"retryDelay":60,"retryBackoff":true,"expireInSeconds":300,"retentionMinutes":20160}');
SELECT pgboss.create_queue('mail-reminders', '{"policy":"standard","retryLimit":2,"retryDelay":60,"retryBackoff":true,"expireInSeconds":600}');
SELECT pgboss.create_queue('mail-digest', '{"policy":"standard","retryLimit":2,"retryDelay":300,"retryBackoff":true,"expireInSeconds":600}');
