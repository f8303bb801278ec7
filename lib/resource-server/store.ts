import { Prisma, type PrismaClient } from "../generated/prisma/client";
import { readRows } from "../hot-sql";

/**
 * The statements of the protected API's hot path, run by lib/hot-sql.ts (on SQLite, from its
 * read-only connection), with the rules given in lib/authorization-server/store.ts (the same SQL runs on
 * SQLite and PostgreSQL; values bound; dates as `Date`). The revocation check's jti lookup is the
 * authorization server's own (`accessTokenState`). The rest of the API uses Prisma's model API.
 */

export type NoteRow = { id: string; text: string; createdAt: Date };

/** A user's notes, newest first. */
export function notesOf(db: PrismaClient, userId: string, limit: number): Promise<NoteRow[]> {
  return readRows<NoteRow>(
    db,
    Prisma.sql`
    SELECT "id", "text", "createdAt" FROM "Note" WHERE "userId" = ${userId} ORDER BY "createdAt" DESC, "id" DESC LIMIT ${limit}`,
  );
}
