-- AlterTable
ALTER TABLE "SigningKey" ADD COLUMN     "activatesAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;


-- Keys that existed before this migration signed from their creation.
UPDATE "SigningKey" SET "activatesAt" = "createdAt";
