import { Prisma, type PrismaClient, type Session } from "../generated/prisma/client";
import { readRows } from "./hot-sql";

/** The authorization server's login sessions (Session): a session is named by its cookie's token, stored only as a hash. */

export type SessionRow = Pick<Session, "id" | "userId" | "authTime" | "expiresAt">;

/** A hot path (every authorization request with a cookie): SQL run by hot-sql.ts. */
export async function sessionByTokenHash(db: PrismaClient, tokenHash: string): Promise<SessionRow | null> {
  const [row] = await readRows<SessionRow>(
    db,
    Prisma.sql`
    SELECT "id", "userId", "authTime", "expiresAt" FROM "Session" WHERE "tokenHash" = ${tokenHash}`,
  );
  return row ?? null;
}

export function insertSession(db: PrismaClient, data: Pick<Session, "tokenHash" | "userId" | "authTime" | "expiresAt">): Promise<Session> {
  return db.session.create({ data });
}

export async function deleteSessionByTokenHash(db: PrismaClient, tokenHash: string): Promise<void> {
  await db.session.deleteMany({ where: { tokenHash } });
}
