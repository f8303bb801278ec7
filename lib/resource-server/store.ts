import type { PrismaClient } from "../generated/prisma/client";
import { sqliteDate, sqliteDateOrNull, sqliteReader } from "../sqlite-reader";

/**
 * The statements of the protected API's hot path, as SQL through Prisma's tagged templates, for the
 * reason and with the rules given in lib/authorization-server/store.ts (the same SQL runs on SQLite
 * and PostgreSQL; values bound; dates as `Date`); on SQLite, through the read-only connection of
 * lib/sqlite-reader.ts. The rest of the API uses Prisma's model API.
 */

/** The AccessToken row the authorization server wrote for a jti: revoked or not, until when, and its flow. */
export async function accessTokenRow(db: PrismaClient, jti: string): Promise<{ revokedAt: Date | null; expiresAt: Date; correlationId: string } | null> {
  const reader = sqliteReader(db);
  if (reader) {
    const row = reader.get<{ revokedAt: string | null; expiresAt: string; correlationId: string }>(
      `SELECT "revokedAt", "expiresAt", "correlationId" FROM "AccessToken" WHERE "jti" = ?`, jti);
    return row ? { ...row, revokedAt: sqliteDateOrNull(row.revokedAt), expiresAt: sqliteDate(row.expiresAt) } : null;
  }
  const [row] = await db.$queryRaw<{ revokedAt: Date | null; expiresAt: Date; correlationId: string }[]>`
    SELECT "revokedAt", "expiresAt", "correlationId" FROM "AccessToken" WHERE "jti" = ${jti}`;
  return row ?? null;
}

export type NoteRow = { id: string; text: string; createdAt: Date };

/** A user's notes, newest first. */
export async function notesOf(db: PrismaClient, userId: string, limit: number): Promise<NoteRow[]> {
  const reader = sqliteReader(db);
  if (reader) {
    return reader.all<{ id: string; text: string; createdAt: string }>(
      `SELECT "id", "text", "createdAt" FROM "Note" WHERE "userId" = ? ORDER BY "createdAt" DESC, "id" DESC LIMIT ?`, userId, limit,
    ).map((row) => ({ ...row, createdAt: sqliteDate(row.createdAt) }));
  }
  return db.$queryRaw<NoteRow[]>`
    SELECT "id", "text", "createdAt" FROM "Note" WHERE "userId" = ${userId} ORDER BY "createdAt" DESC, "id" DESC LIMIT ${limit}`;
}
