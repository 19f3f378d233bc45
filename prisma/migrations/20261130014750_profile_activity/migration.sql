-- Every event rewrote the profile row and, because last_seen_at and event_count were indexed for
-- the explorer's sort orders, added an entry to each of the table's six indexes (no HOT update).
-- Those two sort keys move to a narrow table of their own (one row per live profile); the profile
-- row keeps its columns, and its updates become HOT when the page has room: fillfactor 80 (applies
-- to pages written from now on).

-- DropIndex
DROP INDEX "profiles_workspace_id_kind_last_seen_at_idx";

-- DropIndex
DROP INDEX "profiles_workspace_id_kind_event_count_idx";

-- CreateTable
CREATE TABLE "profile_activity" (
    "workspace_id" UUID NOT NULL,
    "profile_id" UUID NOT NULL,
    "kind" "ProfileKind" NOT NULL,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL,
    "event_count" INTEGER NOT NULL,

    CONSTRAINT "profile_activity_pkey" PRIMARY KEY ("workspace_id","profile_id")
);

INSERT INTO "profile_activity" ("workspace_id", "profile_id", "kind", "last_seen_at", "event_count")
SELECT "workspace_id", "id", "kind", "last_seen_at", "event_count" FROM "profiles" WHERE "merged_into_id" IS NULL;

-- CreateIndex
CREATE INDEX "profile_activity_workspace_id_kind_last_seen_at_idx" ON "profile_activity"("workspace_id", "kind", "last_seen_at");

-- CreateIndex
CREATE INDEX "profile_activity_workspace_id_kind_event_count_idx" ON "profile_activity"("workspace_id", "kind", "event_count");

ALTER TABLE "profiles" SET (fillfactor = 80);
