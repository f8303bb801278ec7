import type { InstructorSession, PrismaClient } from "../generated/prisma/client";

/** The instructor's sessions (InstructorSession), named by the cookie's token, stored only as a hash. */

export async function insertInstructorSession(db: PrismaClient, data: InstructorSession): Promise<void> {
  await db.instructorSession.create({ data });
}

export function instructorSessionByHash(db: PrismaClient, tokenHash: string): Promise<InstructorSession | null> {
  return db.instructorSession.findUnique({ where: { tokenHash } });
}

/** Deletes the expired sessions, and the one named by `tokenHash` if given (a sign-out). */
export async function deleteInstructorSessions(db: PrismaClient, now: Date, tokenHash?: string): Promise<void> {
  await db.instructorSession.deleteMany({ where: { OR: [{ expiresAt: { lte: now } }, ...(tokenHash ? [{ tokenHash }] : [])] } });
}
