-- CreateTable
CREATE TABLE "WalkthroughRun" (
    "id" TEXT NOT NULL,
    "keyHash" TEXT NOT NULL,
    "correlationId" TEXT NOT NULL,
    "data" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "WalkthroughRun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "WalkthroughRun_keyHash_key" ON "WalkthroughRun"("keyHash");

-- CreateIndex
CREATE INDEX "WalkthroughRun_createdAt_idx" ON "WalkthroughRun"("createdAt");

