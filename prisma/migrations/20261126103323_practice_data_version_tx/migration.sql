-- AlterTable
ALTER TABLE "Practice" ADD COLUMN     "dataVersionTx" BIGINT;


-- "Once per transaction" by the transaction's 64-bit id, kept on the row, instead
-- of comparing the row's 32-bit xmin (which could, after 2^32 transactions, match
-- by accident and skip a bump). Same rules otherwise: see practice_data_version.
CREATE OR REPLACE FUNCTION "practice_data_changed"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  UPDATE "Practice" p SET "dataVersion" = p."dataVersion" + 1, "dataVersionTx" = txid_current()
  WHERE p.id = (CASE WHEN TG_OP = \047DELETE\047 THEN OLD."practiceId" ELSE NEW."practiceId" END)
    AND p."dataVersionTx" IS DISTINCT FROM txid_current()\073
  RETURN NULL\073
END';

CREATE OR REPLACE FUNCTION "practice_version_on_update"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  IF NEW."dataVersion" = OLD."dataVersion" THEN
    NEW."dataVersion" := OLD."dataVersion" + 1\073
    NEW."dataVersionTx" := txid_current()\073
  END IF\073
  RETURN NEW\073
END';
