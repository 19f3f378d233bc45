-- Windowed segment conditions count the most recent days of profile_event_days with index-only
-- scans, which skip the table only for pages marked all-visible — and the recent days are exactly
-- the pages the pipeline keeps writing. Vacuum this table after 1 % new or changed rows (the
-- defaults, 20 %, leave a month of recent pages unmarked on a table of tens of millions of rows).
ALTER TABLE "profile_event_days" SET (autovacuum_vacuum_insert_scale_factor = 0.01, autovacuum_vacuum_scale_factor = 0.01, autovacuum_analyze_scale_factor = 0.02);
