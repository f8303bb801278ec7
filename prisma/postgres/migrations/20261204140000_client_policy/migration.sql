-- AlterTable
ALTER TABLE "Client" ADD COLUMN     "policy" TEXT NOT NULL DEFAULT '{}';

