-- DropIndex
DROP INDEX "events_workspace_id_user_id_timestamp_idx";

-- DropIndex
DROP INDEX "events_workspace_id_anonymous_id_timestamp_idx";

