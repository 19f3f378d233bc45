-- CreateTable
CREATE TABLE "pipeline_follow_ups" (
    "workspace_id" UUID NOT NULL,
    "id" BIGSERIAL NOT NULL,
    "event_count" INTEGER NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL,
    "work" JSON NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "pipeline_follow_ups_pkey" PRIMARY KEY ("workspace_id","id")
);

