-- CreateIndex
CREATE INDEX "segment_memberships_workspace_id_segment_id_entered_at_idx" ON "segment_memberships"("workspace_id", "segment_id", "entered_at");

