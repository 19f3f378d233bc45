-- CreateEnum
CREATE TYPE "ImportStatus" AS ENUM ('draft', 'queued', 'running', 'completed', 'failed', 'cancelled');

-- CreateEnum
CREATE TYPE "ImportMode" AS ENUM ('identify', 'track');

-- CreateTable
CREATE TABLE "import_jobs" (
    "workspace_id" UUID NOT NULL,
    "id" UUID NOT NULL,
    "source_id" UUID NOT NULL,
    "file_name" TEXT NOT NULL,
    "file_path" TEXT NOT NULL,
    "byte_size" BIGINT NOT NULL,
    "delimiter" TEXT NOT NULL,
    "headers" TEXT[],
    "mode" "ImportMode",
    "mapping" JSONB,
    "status" "ImportStatus" NOT NULL DEFAULT 'draft',
    "total_rows" INTEGER,
    "rows_done" INTEGER NOT NULL DEFAULT 0,
    "rows_imported" INTEGER NOT NULL DEFAULT 0,
    "rows_failed" INTEGER NOT NULL DEFAULT 0,
    "run_start_rows" INTEGER NOT NULL DEFAULT 0,
    "run_started_at" TIMESTAMPTZ(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "last_progress_at" TIMESTAMPTZ(3),
    "error" TEXT,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "import_jobs_pkey" PRIMARY KEY ("workspace_id","id")
);

-- CreateTable
CREATE TABLE "import_row_errors" (
    "workspace_id" UUID NOT NULL,
    "import_id" UUID NOT NULL,
    "row_number" INTEGER NOT NULL,
    "column" TEXT NOT NULL,
    "line" INTEGER NOT NULL,
    "value" TEXT NOT NULL,
    "reason" TEXT NOT NULL,

    CONSTRAINT "import_row_errors_pkey" PRIMARY KEY ("workspace_id","import_id","row_number","column")
);

-- CreateTable
CREATE TABLE "import_mapping_presets" (
    "workspace_id" UUID NOT NULL,
    "source_id" UUID NOT NULL,
    "headers" TEXT[],
    "mapping" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "import_mapping_presets_pkey" PRIMARY KEY ("workspace_id","source_id")
);

-- CreateIndex
CREATE INDEX "import_jobs_workspace_id_source_id_created_at_idx" ON "import_jobs"("workspace_id", "source_id", "created_at");

-- CreateIndex
CREATE INDEX "import_jobs_status_created_at_idx" ON "import_jobs"("status", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "import_jobs_id_key" ON "import_jobs"("id");

-- AddForeignKey
ALTER TABLE "import_jobs" ADD CONSTRAINT "import_jobs_workspace_id_source_id_fkey" FOREIGN KEY ("workspace_id", "source_id") REFERENCES "sources"("workspace_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "import_row_errors" ADD CONSTRAINT "import_row_errors_workspace_id_import_id_fkey" FOREIGN KEY ("workspace_id", "import_id") REFERENCES "import_jobs"("workspace_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "import_mapping_presets" ADD CONSTRAINT "import_mapping_presets_workspace_id_source_id_fkey" FOREIGN KEY ("workspace_id", "source_id") REFERENCES "sources"("workspace_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

