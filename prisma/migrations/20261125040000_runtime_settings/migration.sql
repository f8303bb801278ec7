-- CreateTable
CREATE TABLE "RuntimeSettings" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "clockOffsetSeconds" INTEGER NOT NULL DEFAULT 0,
    "codeTtlSeconds" INTEGER,
    "accessTokenTtlSeconds" INTEGER,
    "refreshTokenTtlSeconds" INTEGER,
    "updatedAt" DATETIME NOT NULL
);

