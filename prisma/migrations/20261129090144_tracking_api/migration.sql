-- CreateEnum
CREATE TYPE "SourceKind" AS ENUM ('website', 'server', 'mobile', 'file');

-- CreateTable
CREATE TABLE "sources" (
    "id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "SourceKind" NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "allowed_origins" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "sources_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "source_write_keys" (
    "key" TEXT NOT NULL,
    "workspace_id" UUID NOT NULL,
    "source_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3),

    CONSTRAINT "source_write_keys_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "events" (
    "workspace_id" UUID NOT NULL,
    "id" BIGSERIAL NOT NULL,
    "source_id" UUID NOT NULL,
    "batch_id" BIGINT NOT NULL,
    "message_id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "event" TEXT,
    "user_id" TEXT,
    "anonymous_id" TEXT,
    "timestamp" TIMESTAMPTZ(3) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL,
    "raw" JSONB NOT NULL,

    CONSTRAINT "events_pkey" PRIMARY KEY ("workspace_id","id")
);

-- CreateTable
CREATE TABLE "ingest_batches" (
    "workspace_id" UUID NOT NULL,
    "source_id" UUID NOT NULL,
    "id" BIGSERIAL NOT NULL,
    "first_event_id" BIGINT NOT NULL,
    "last_event_id" BIGINT NOT NULL,
    "event_count" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processed_at" TIMESTAMPTZ(3),

    CONSTRAINT "ingest_batches_pkey" PRIMARY KEY ("workspace_id","source_id","id")
);

-- CreateTable
CREATE TABLE "source_minute_stats" (
    "workspace_id" UUID NOT NULL,
    "source_id" UUID NOT NULL,
    "minute" TIMESTAMPTZ(3) NOT NULL,
    "type" TEXT NOT NULL,
    "accepted" INTEGER NOT NULL DEFAULT 0,
    "rejected" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "source_minute_stats_pkey" PRIMARY KEY ("workspace_id","source_id","minute","type")
);

-- CreateTable
CREATE TABLE "ingest_rejections" (
    "workspace_id" UUID NOT NULL,
    "id" BIGSERIAL NOT NULL,
    "source_id" UUID NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "field" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "payload" TEXT NOT NULL,

    CONSTRAINT "ingest_rejections_pkey" PRIMARY KEY ("workspace_id","id")
);

-- CreateIndex
CREATE INDEX "sources_workspace_id_created_at_idx" ON "sources"("workspace_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "sources_workspace_id_id_key" ON "sources"("workspace_id", "id");

-- CreateIndex
CREATE INDEX "source_write_keys_workspace_id_source_id_idx" ON "source_write_keys"("workspace_id", "source_id");

-- CreateIndex
CREATE INDEX "events_workspace_id_user_id_timestamp_idx" ON "events"("workspace_id", "user_id", "timestamp");

-- CreateIndex
CREATE INDEX "events_workspace_id_anonymous_id_timestamp_idx" ON "events"("workspace_id", "anonymous_id", "timestamp");

-- CreateIndex
CREATE UNIQUE INDEX "events_dedupe_key" ON "events"("workspace_id", "source_id", "message_id");

-- CreateIndex
CREATE INDEX "ingest_batches_processed_at_id_idx" ON "ingest_batches"("processed_at", "id");

-- CreateIndex
CREATE INDEX "ingest_rejections_workspace_id_source_id_id_idx" ON "ingest_rejections"("workspace_id", "source_id", "id");

-- AddForeignKey
ALTER TABLE "sources" ADD CONSTRAINT "sources_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "source_write_keys" ADD CONSTRAINT "source_write_keys_workspace_id_source_id_fkey" FOREIGN KEY ("workspace_id", "source_id") REFERENCES "sources"("workspace_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

