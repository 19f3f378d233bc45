-- AlterTable
ALTER TABLE "profiles" ADD COLUMN     "search_name_last_first" TEXT;

-- Names of more than one word, from the last word on ("ann marie smith" -> "smith ann marie"),
-- as lib/profiles/trait-candidates.ts writes them.
UPDATE "profiles" SET "search_name_last_first" = w[cardinality(w)] || ' ' || array_to_string(w[1:cardinality(w) - 1], ' ')
FROM (SELECT "workspace_id" AS ws, "id" AS pid, regexp_split_to_array("search_name", '\s+') AS w FROM "profiles" WHERE "search_name" ~ '\s') x
WHERE "workspace_id" = x.ws AND "id" = x.pid;

-- CreateIndex
CREATE INDEX "profiles_workspace_id_search_name_last_first_idx" ON "profiles"("workspace_id", "search_name_last_first");
