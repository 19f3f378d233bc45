-- Dedupe moves out of "events" into its own pruned table, so that "events" has no unique key
-- without received_at and can be range-partitioned by time.

-- CreateTable
CREATE TABLE "event_dedupe" (
    "workspace_id" UUID NOT NULL,
    "source_id" UUID NOT NULL,
    "message_id" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "event_dedupe_pkey" PRIMARY KEY ("workspace_id","source_id","message_id")
);

-- Carry the current dedupe window over (DEDUPE_WINDOW_DAYS = 8).
INSERT INTO "event_dedupe" ("workspace_id", "source_id", "message_id", "received_at")
SELECT "workspace_id", "source_id", "message_id", max("received_at")
FROM "events" WHERE "received_at" > now() - interval '8 days'
GROUP BY 1, 2, 3;

-- CreateIndex
CREATE INDEX "event_dedupe_received_at_idx" ON "event_dedupe" USING BRIN ("received_at");

-- DropIndex
DROP INDEX "events_dedupe_key";

-- AlterTable
ALTER TABLE "events" DROP CONSTRAINT "events_pkey",
ADD CONSTRAINT "events_pkey" PRIMARY KEY ("workspace_id", "id", "received_at");

-- AlterTable (backfilled from the batches' events)
ALTER TABLE "ingest_batches" ADD COLUMN "max_received_at" TIMESTAMPTZ(3),
ADD COLUMN "min_received_at" TIMESTAMPTZ(3);

UPDATE "ingest_batches" b SET "min_received_at" = e.mn, "max_received_at" = e.mx
FROM (SELECT "workspace_id", "source_id", "batch_id", min("received_at") AS mn, max("received_at") AS mx FROM "events" GROUP BY 1, 2, 3) e
WHERE e."workspace_id" = b."workspace_id" AND e."source_id" = b."source_id" AND e."batch_id" = b."id";

UPDATE "ingest_batches" SET "min_received_at" = "created_at", "max_received_at" = "created_at" WHERE "min_received_at" IS NULL;

ALTER TABLE "ingest_batches" ALTER COLUMN "max_received_at" SET NOT NULL,
ALTER COLUMN "min_received_at" SET NOT NULL;

-- Concurrent group commits count into their own row (slot) so they never wait on each other.
ALTER TABLE "source_minute_stats" DROP CONSTRAINT "source_minute_stats_pkey",
ADD COLUMN "slot" SMALLINT NOT NULL DEFAULT 0,
ADD CONSTRAINT "source_minute_stats_pkey" PRIMARY KEY ("workspace_id", "source_id", "minute", "type", "slot");
