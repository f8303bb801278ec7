import { Prisma, type Note, type PrismaClient } from "../generated/prisma/client";
import { readRows } from "./hot-sql";

/** The protected API's resource (Note): each user's notes. */

export type NoteRow = Pick<Note, "id" | "text" | "createdAt">;
const NOTE_FIELDS = { id: true, text: true, createdAt: true } as const;

/** A user's notes, newest first. A hot path: SQL run by hot-sql.ts (from the read-only connection on SQLite). */
export function notesOf(db: PrismaClient, userId: string, limit: number): Promise<NoteRow[]> {
  return readRows<NoteRow>(
    db,
    Prisma.sql`
    SELECT "id", "text", "createdAt" FROM "Note" WHERE "userId" = ${userId} ORDER BY "createdAt" DESC, "id" DESC LIMIT ${limit}`,
  );
}

export function insertNote(db: PrismaClient, userId: string, text: string): Promise<NoteRow> {
  return db.note.create({ data: { userId, text }, select: NOTE_FIELDS });
}

/** One of a user's notes by id (another user's is not found). */
export function noteOf(db: PrismaClient, userId: string, id: string): Promise<NoteRow | null> {
  return db.note.findFirst({ where: { id, userId }, select: NOTE_FIELDS });
}
