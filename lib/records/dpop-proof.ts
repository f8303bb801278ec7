import { Prisma, type PrismaClient } from "../generated/prisma/client";
import { writeRows } from "./hot-sql";

/**
 * The DPoP proofs already seen (DpopProof, RFC 9449 §11.1): the SHA-256 of a proof's key thumbprint and
 * `jti`, kept until the proof's `iat` has left the accepted window (lib/records/prune.ts purges it then).
 */

/**
 * Remembers a proof; false when it was seen before (a replay), on any instance sharing the database: the
 * insert of an id already there does nothing, on SQLite and PostgreSQL alike. A hot path: SQL run by hot-sql.ts.
 */
export async function rememberDpopProof(db: PrismaClient, id: string, expiresAt: Date): Promise<boolean> {
  const rows = await writeRows<{ id: string }>(
    db,
    Prisma.sql`INSERT INTO "DpopProof" ("id", "expiresAt") VALUES (${id}, ${expiresAt}) ON CONFLICT ("id") DO NOTHING RETURNING "id"`,
  );
  return rows.length === 1;
}
