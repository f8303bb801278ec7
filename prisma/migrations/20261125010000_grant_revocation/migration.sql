-- AlterTable
ALTER TABLE "AuthorizationCode" ADD COLUMN "revokedAt" DATETIME;

