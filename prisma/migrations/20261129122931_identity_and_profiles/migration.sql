-- CreateEnum
CREATE TYPE "ProfileKind" AS ENUM ('user', 'account');

-- CreateTable
CREATE TABLE "identity_settings" (
    "workspace_id" UUID NOT NULL,
    "settings" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_by_id" UUID,

    CONSTRAINT "identity_settings_pkey" PRIMARY KEY ("workspace_id")
);

-- CreateTable
CREATE TABLE "profiles" (
    "workspace_id" UUID NOT NULL,
    "id" UUID NOT NULL,
    "kind" "ProfileKind" NOT NULL DEFAULT 'user',
    "merged_into_id" UUID,
    "traits" JSONB NOT NULL DEFAULT '{}',
    "first_seen_at" TIMESTAMPTZ(3) NOT NULL,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL,
    "last_source_id" UUID,
    "last_message_id" TEXT,
    "event_count" INTEGER NOT NULL DEFAULT 0,
    "merge_count" INTEGER NOT NULL DEFAULT 0,
    "source_ids" UUID[] DEFAULT ARRAY[]::UUID[],
    "display_name" TEXT,
    "search_name" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "profiles_pkey" PRIMARY KEY ("workspace_id","id")
);

-- CreateTable
CREATE TABLE "identities" (
    "workspace_id" UUID NOT NULL,
    "id" BIGSERIAL NOT NULL,
    "type" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "profile_id" UUID NOT NULL,
    "first_seen_at" TIMESTAMPTZ(3) NOT NULL,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL,
    "first_source_id" UUID,
    "last_source_id" UUID,

    CONSTRAINT "identities_pkey" PRIMARY KEY ("workspace_id","id")
);

-- CreateTable
CREATE TABLE "event_identities" (
    "workspace_id" UUID NOT NULL,
    "identity_id" BIGINT NOT NULL,
    "timestamp" TIMESTAMPTZ(3) NOT NULL,
    "event_id" BIGINT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "event_identities_pkey" PRIMARY KEY ("workspace_id","identity_id","timestamp","event_id")
);

-- CreateTable
CREATE TABLE "profile_merges" (
    "workspace_id" UUID NOT NULL,
    "id" BIGSERIAL NOT NULL,
    "survivor_id" UUID NOT NULL,
    "merged_id" UUID NOT NULL,
    "event_id" BIGINT,
    "message_id" TEXT,
    "source_id" UUID,
    "linked_by" JSONB NOT NULL,
    "identity_ids" BIGINT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "undone_at" TIMESTAMPTZ(3),
    "undone_by_id" UUID,

    CONSTRAINT "profile_merges_pkey" PRIMARY KEY ("workspace_id","id")
);

-- CreateTable
CREATE TABLE "identity_conflicts" (
    "workspace_id" UUID NOT NULL,
    "id" BIGSERIAL NOT NULL,
    "profile_id" UUID,
    "event_id" BIGINT,
    "message_id" TEXT,
    "source_id" UUID,
    "identifier_type" TEXT NOT NULL,
    "identifier_value" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "detail" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "identity_conflicts_pkey" PRIMARY KEY ("workspace_id","id")
);

-- CreateTable
CREATE TABLE "profile_traits" (
    "workspace_id" UUID NOT NULL,
    "profile_id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "value_hash" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 1,
    "first_at" TIMESTAMPTZ(3) NOT NULL,
    "last_at" TIMESTAMPTZ(3) NOT NULL,
    "first_source_id" UUID,
    "source_id" UUID,
    "message_id" TEXT,

    CONSTRAINT "profile_traits_pkey" PRIMARY KEY ("workspace_id","profile_id","key","value_hash")
);

-- CreateTable
CREATE TABLE "profile_links" (
    "workspace_id" UUID NOT NULL,
    "user_profile_id" UUID NOT NULL,
    "account_profile_id" UUID NOT NULL,
    "first_at" TIMESTAMPTZ(3) NOT NULL,
    "last_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "profile_links_pkey" PRIMARY KEY ("workspace_id","user_profile_id","account_profile_id")
);

-- CreateTable
CREATE TABLE "profile_separations" (
    "workspace_id" UUID NOT NULL,
    "profile_id" UUID NOT NULL,
    "other_profile_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by_id" UUID,

    CONSTRAINT "profile_separations_pkey" PRIMARY KEY ("workspace_id","profile_id","other_profile_id")
);

-- CreateTable
CREATE TABLE "api_tokens" (
    "workspace_id" UUID NOT NULL,
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "rate_limit_per_second" INTEGER NOT NULL DEFAULT 300,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_tokens_pkey" PRIMARY KEY ("workspace_id","id")
);

-- CreateIndex
CREATE INDEX "profiles_workspace_id_kind_last_seen_at_idx" ON "profiles"("workspace_id", "kind", "last_seen_at");

-- CreateIndex
CREATE INDEX "profiles_workspace_id_kind_first_seen_at_idx" ON "profiles"("workspace_id", "kind", "first_seen_at");

-- CreateIndex
CREATE INDEX "profiles_workspace_id_kind_event_count_idx" ON "profiles"("workspace_id", "kind", "event_count");

-- CreateIndex
CREATE INDEX "profiles_workspace_id_search_name_idx" ON "profiles"("workspace_id", "search_name");

-- CreateIndex
CREATE INDEX "identities_workspace_id_profile_id_idx" ON "identities"("workspace_id", "profile_id");

-- CreateIndex
CREATE UNIQUE INDEX "identities_workspace_id_value_type_key" ON "identities"("workspace_id", "value", "type");

-- CreateIndex
CREATE INDEX "profile_merges_workspace_id_survivor_id_idx" ON "profile_merges"("workspace_id", "survivor_id");

-- CreateIndex
CREATE INDEX "profile_merges_workspace_id_merged_id_idx" ON "profile_merges"("workspace_id", "merged_id");

-- CreateIndex
CREATE INDEX "identity_conflicts_workspace_id_created_at_idx" ON "identity_conflicts"("workspace_id", "created_at");

-- CreateIndex
CREATE INDEX "profile_links_workspace_id_account_profile_id_idx" ON "profile_links"("workspace_id", "account_profile_id");

-- CreateIndex
CREATE UNIQUE INDEX "api_tokens_token_hash_key" ON "api_tokens"("token_hash");

