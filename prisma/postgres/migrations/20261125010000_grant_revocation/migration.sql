-- AlterTable
ALTER TABLE "AuthorizationCode" ADD COLUMN     "revokedAt" TIMESTAMP(3);

