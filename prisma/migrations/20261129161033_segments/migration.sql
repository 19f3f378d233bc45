-- CreateTable
CREATE TABLE "segments" (
    "workspace_id" UUID NOT NULL,
    "id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "rule" JSONB NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "member_count" INTEGER NOT NULL DEFAULT 0,
    "evaluated_at" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "created_by_id" UUID,
    "updated_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "segments_pkey" PRIMARY KEY ("workspace_id","id")
);

-- CreateTable
CREATE TABLE "segment_memberships" (
    "workspace_id" UUID NOT NULL,
    "segment_id" UUID NOT NULL,
    "profile_id" UUID NOT NULL,
    "entered_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "segment_memberships_pkey" PRIMARY KEY ("workspace_id","segment_id","profile_id")
);

-- CreateTable
CREATE TABLE "segment_membership_changes" (
    "workspace_id" UUID NOT NULL,
    "id" BIGSERIAL NOT NULL,
    "segment_id" UUID NOT NULL,
    "profile_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "cause" TEXT NOT NULL,
    "event_id" BIGINT,
    "message_id" TEXT,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "segment_membership_changes_pkey" PRIMARY KEY ("workspace_id","id")
);

-- CreateTable
CREATE TABLE "segment_daily_stats" (
    "workspace_id" UUID NOT NULL,
    "segment_id" UUID NOT NULL,
    "day" DATE NOT NULL,
    "entered" INTEGER NOT NULL DEFAULT 0,
    "exited" INTEGER NOT NULL DEFAULT 0,
    "size" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "segment_daily_stats_pkey" PRIMARY KEY ("workspace_id","segment_id","day")
);

-- CreateTable
CREATE TABLE "profile_event_days" (
    "workspace_id" UUID NOT NULL,
    "profile_id" UUID NOT NULL,
    "event" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "profile_event_days_pkey" PRIMARY KEY ("workspace_id","profile_id","event","day")
);

-- CreateTable
CREATE TABLE "computed_traits" (
    "workspace_id" UUID NOT NULL,
    "id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "definition" JSONB NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "evaluated_at" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "computed_traits_pkey" PRIMARY KEY ("workspace_id","id")
);

-- CreateTable
CREATE TABLE "computed_trait_values" (
    "workspace_id" UUID NOT NULL,
    "computed_trait_id" UUID NOT NULL,
    "profile_id" UUID NOT NULL,
    "value" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "computed_trait_values_pkey" PRIMARY KEY ("workspace_id","computed_trait_id","profile_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "segments_workspace_id_key_key" ON "segments"("workspace_id", "key");

-- CreateIndex
CREATE INDEX "segment_memberships_workspace_id_profile_id_idx" ON "segment_memberships"("workspace_id", "profile_id");

-- CreateIndex
CREATE INDEX "segment_membership_changes_workspace_id_segment_id_at_idx" ON "segment_membership_changes"("workspace_id", "segment_id", "at");

-- CreateIndex
CREATE INDEX "segment_membership_changes_workspace_id_profile_id_at_idx" ON "segment_membership_changes"("workspace_id", "profile_id", "at");

-- CreateIndex
CREATE INDEX "profile_event_days_workspace_id_event_day_profile_id_count_idx" ON "profile_event_days"("workspace_id", "event", "day", "profile_id", "count");

-- CreateIndex
CREATE UNIQUE INDEX "computed_traits_workspace_id_key_key" ON "computed_traits"("workspace_id", "key");

-- CreateIndex
CREATE INDEX "computed_trait_values_workspace_id_profile_id_idx" ON "computed_trait_values"("workspace_id", "profile_id");


-- Backfill the daily event counts from the events already resolved (each resolved event has one
-- timeline anchor; its identity belongs to the profile now owning it).
INSERT INTO "profile_event_days" ("workspace_id", "profile_id", "event", "day", "count")
SELECT ei.workspace_id, i.profile_id, e.event, (e.timestamp AT TIME ZONE 'UTC')::date, count(*)::int
FROM "event_identities" ei
JOIN "identities" i ON i.workspace_id = ei.workspace_id AND i.id = ei.identity_id
JOIN "events" e ON e.workspace_id = ei.workspace_id AND e.id = ei.event_id AND e.received_at = ei.received_at
WHERE e.event IS NOT NULL
GROUP BY 1, 2, 3, 4;
