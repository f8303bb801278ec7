-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_SigningKey" (
    "kid" TEXT NOT NULL PRIMARY KEY,
    "alg" TEXT NOT NULL,
    "publicJwk" TEXT NOT NULL,
    "privateJwk" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "activatesAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "retiredAt" DATETIME,
    "expiresAt" DATETIME
);
INSERT INTO "new_SigningKey" ("alg", "createdAt", "expiresAt", "kid", "privateJwk", "publicJwk", "retiredAt") SELECT "alg", "createdAt", "expiresAt", "kid", "privateJwk", "publicJwk", "retiredAt" FROM "SigningKey";
DROP TABLE "SigningKey";
ALTER TABLE "new_SigningKey" RENAME TO "SigningKey";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;


-- Keys that existed before this migration signed from their creation.
UPDATE "SigningKey" SET "activatesAt" = "createdAt";
