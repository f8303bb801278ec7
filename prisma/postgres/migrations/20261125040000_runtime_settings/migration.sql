-- CreateTable
CREATE TABLE "RuntimeSettings" (
    "id" INTEGER NOT NULL,
    "clockOffsetSeconds" INTEGER NOT NULL DEFAULT 0,
    "codeTtlSeconds" INTEGER,
    "accessTokenTtlSeconds" INTEGER,
    "refreshTokenTtlSeconds" INTEGER,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RuntimeSettings_pkey" PRIMARY KEY ("id")
);

