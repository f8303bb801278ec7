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
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO "new_Client" ("allowedScopes", "createdAt", "id", "name", "redirectUris", "secretHash", "tokenEndpointAuthMethod") SELECT "allowedScopes", "createdAt", "id", "name", "redirectUris", "secretHash", "tokenEndpointAuthMethod" FROM "Client";
DROP TABLE "Client";
ALTER TABLE "new_Client" RENAME TO "Client";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;


-- Clients registered before this column existed: every client but the seeded ones registered itself.
UPDATE "Client" SET "selfRegistered" = true WHERE "id" NOT IN ('walkthrough', 'nextauth-demo', 'public-demo', 'resource-server', 'lab-weakened');
