-- CreateTable
CREATE TABLE "WalkthroughRun" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "keyHash" TEXT NOT NULL,
    "correlationId" TEXT NOT NULL,
    "data" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "WalkthroughRun_keyHash_key" ON "WalkthroughRun"("keyHash");

-- CreateIndex
CREATE INDEX "WalkthroughRun_createdAt_idx" ON "WalkthroughRun"("createdAt");

