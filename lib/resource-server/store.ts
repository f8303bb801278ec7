import { Prisma, type PrismaClient } from "../generated/prisma/client";
import { readRows } from "../hot-sql";

/**
 * The statements of the protected API's hot path, run by lib/hot-sql.ts (on SQLite, from its
 * read-only connection), with the rules given in lib/authorization-server/store.ts (the same SQL runs on
 * SQLite and PostgreSQL; values bound; dates as `Date`). The rest of the API uses Prisma's model API.
 */

/** The AccessToken row the authorization server wrote for a jti: revoked or not, until when, and its flow. */
export async function accessTokenRow(db: PrismaClient, jti: string): Promise<{ revokedAt: Date | null; expiresAt: Date; correlationId: string } | null> {
  const [row] = await readRows<{ revokedAt: Date | null; expiresAt: Date; correlationId: string }>(db, Prisma.sql`
    SELECT "revokedAt", "expiresAt", "correlationId" FROM "AccessToken" WHERE "jti" = ${jti}`);
  return row ?? null;
}

export type NoteRow = { id: string; text: string; createdAt: Date };

/** A user's notes, newest first. */
export function notesOf(db: PrismaClient, userId: string, limit: number): Promise<NoteRow[]> {
  return readRows<NoteRow>(db, Prisma.sql`
    SELECT "id", "text", "createdAt" FROM "Note" WHERE "userId" = ${userId} ORDER BY "createdAt" DESC, "id" DESC LIMIT ${limit}`);
}
