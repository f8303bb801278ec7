-- AlterTable
ALTER TABLE "Client" ADD COLUMN     "dpopBound" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "requirePar" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Interaction" ADD COLUMN     "dpopJkt" TEXT;

-- AlterTable
ALTER TABLE "AuthorizationCode" ADD COLUMN     "dpopJkt" TEXT;

-- AlterTable
ALTER TABLE "AccessToken" ADD COLUMN     "jkt" TEXT;

-- AlterTable
ALTER TABLE "RefreshToken" ADD COLUMN     "jkt" TEXT;

-- CreateTable
CREATE TABLE "PushedRequest" (
    "id" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "params" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PushedRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DpopProof" (
    "id" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DpopProof_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PushedRequest_expiresAt_idx" ON "PushedRequest"("expiresAt");

-- CreateIndex
CREATE INDEX "DpopProof_expiresAt_idx" ON "DpopProof"("expiresAt");

-- CreateIndex
CREATE INDEX "AuthorizationCode_userId_clientId_idx" ON "AuthorizationCode"("userId", "clientId");

-- CreateIndex
CREATE INDEX "AccessToken_userId_clientId_createdAt_idx" ON "AccessToken"("userId", "clientId", "createdAt");

