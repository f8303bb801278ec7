-- AlterTable
ALTER TABLE "Client" ADD COLUMN     "selfRegistered" BOOLEAN NOT NULL DEFAULT false;


-- Clients registered before this column existed: every client but the seeded ones registered itself.
UPDATE "Client" SET "selfRegistered" = true WHERE "id" NOT IN ('walkthrough', 'nextauth-demo', 'public-demo', 'resource-server', 'lab-weakened');
