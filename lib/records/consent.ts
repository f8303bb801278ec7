import { Prisma, type PrismaClient } from "../generated/prisma/client";
import { readRows } from "./hot-sql";

/** The grants users gave clients (Consent): one row per user and client, the scopes granted so far. */

/** The scopes a user granted a client so far, or null. A hot path: SQL run by hot-sql.ts. */
export async function consentScope(db: PrismaClient, userId: string, clientId: string): Promise<string | null> {
  const [row] = await readRows<{ scope: string }>(
    db,
    Prisma.sql`
    SELECT "scope" FROM "Consent" WHERE "userId" = ${userId} AND "clientId" = ${clientId}`,
  );
  return row?.scope ?? null;
}

/** Writes the scopes granted (the caller computes their union with what was granted before). */
export async function saveConsentScope(db: PrismaClient, userId: string, clientId: string, scope: string): Promise<void> {
  await db.consent.upsert({
    where: { userId_clientId: { userId, clientId } },
    create: { userId, clientId, scope },
    update: { scope },
  });
}

/** A user's consents, newest first, with what the grants page shows of each client. */
export function consentsOfUser(db: PrismaClient, userId: string) {
  return db.consent.findMany({
    where: { userId },
    orderBy: { createdAt: "desc" },
    select: {
      clientId: true,
      scope: true,
      createdAt: true,
      updatedAt: true,
      client: { select: { name: true, selfRegistered: true } },
    },
  });
}

/** Forgets a user's consent for a client, as a statement of a transaction (grant.ts). */
export const deleteConsent = (db: PrismaClient, userId: string, clientId: string) => db.consent.deleteMany({ where: { userId, clientId } });
