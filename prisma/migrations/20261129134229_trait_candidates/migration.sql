-- Trait candidates move from one row per (profile, trait, value) to one JSON document per profile
-- (lib/profiles/trait-candidates.ts): a pipeline batch then writes one row per profile.

-- CreateTable
CREATE TABLE "profile_trait_candidates" (
    "workspace_id" UUID NOT NULL,
    "profile_id" UUID NOT NULL,
    "candidates" JSONB NOT NULL,

    CONSTRAINT "profile_trait_candidates_pkey" PRIMARY KEY ("workspace_id","profile_id")
);

-- The existing candidates, with their lineage (times as ISO strings in UTC with milliseconds).
INSERT INTO "profile_trait_candidates" ("workspace_id", "profile_id", "candidates")
SELECT "workspace_id", "profile_id", jsonb_object_agg("key", "list")
FROM (
  SELECT "workspace_id", "profile_id", "key",
         jsonb_agg(jsonb_build_object(
           'v', "value", 'n', "count",
           'f', to_char("first_at" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
           'l', to_char("last_at" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
           'fs', "first_source_id", 's', "source_id", 'm', "message_id") ORDER BY "last_at" DESC) AS "list"
  FROM "profile_traits"
  GROUP BY "workspace_id", "profile_id", "key"
) t
GROUP BY "workspace_id", "profile_id";

-- DropTable
DROP TABLE "profile_traits";
