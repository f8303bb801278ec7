-- AlterTable
ALTER TABLE "Interaction" ADD COLUMN "dpopJkt" TEXT;

-- AlterTable
ALTER TABLE "AuthorizationCode" ADD COLUMN "dpopJkt" TEXT;

-- AlterTable
ALTER TABLE "AccessToken" ADD COLUMN "jkt" TEXT;

-- AlterTable
ALTER TABLE "RefreshToken" ADD COLUMN "jkt" TEXT;

-- CreateTable
CREATE TABLE "PushedRequest" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "clientId" TEXT NOT NULL,
    "params" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "DpopProof" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "expiresAt" DATETIME NOT NULL
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Client" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "secretHash" TEXT,
    "tokenEndpointAuthMethod" TEXT NOT NULL,
    "redirectUris" TEXT NOT NULL,
    "allowedScopes" TEXT NOT NULL,
    "selfRegistered" BOOLEAN NOT NULL DEFAULT false,
    "policy" TEXT NOT NULL DEFAULT '{}',
    "requirePar" BOOLEAN NOT NULL DEFAULT false,
    "dpopBound" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO "new_Client" ("allowedScopes", "createdAt", "id", "name", "policy", "redirectUris", "secretHash", "selfRegistered", "tokenEndpointAuthMethod") SELECT "allowedScopes", "createdAt", "id", "name", "policy", "redirectUris", "secretHash", "selfRegistered", "tokenEndpointAuthMethod" FROM "Client";
DROP TABLE "Client";
ALTER TABLE "new_Client" RENAME TO "Client";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "PushedRequest_expiresAt_idx" ON "PushedRequest"("expiresAt");

-- CreateIndex
CREATE INDEX "DpopProof_expiresAt_idx" ON "DpopProof"("expiresAt");

-- CreateIndex
CREATE INDEX "AuthorizationCode_userId_clientId_idx" ON "AuthorizationCode"("userId", "clientId");

-- CreateIndex
CREATE INDEX "AccessToken_userId_clientId_createdAt_idx" ON "AccessToken"("userId", "clientId", "createdAt");

