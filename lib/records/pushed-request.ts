import { Prisma, type PrismaClient } from "../generated/prisma/client";
import { writeRows } from "./hot-sql";

/** Pushed authorization requests (PushedRequest, RFC 9126 §2): stored by their reference's SHA-256, used once. */

export async function insertPushedRequest(
  db: PrismaClient,
  row: { id: string; clientId: string; params: string; expiresAt: Date; createdAt: Date },
): Promise<void> {
  await db.pushedRequest.create({ data: row });
}

/**
 * Takes a live pushed request of this client: deletes it and returns its parameters (JSON), or null
 * when there is none (unknown, used, expired or another client's). One statement, so that two uses of
 * one reference cannot both succeed.
 */
export async function takePushedRequest(db: PrismaClient, id: string, clientId: string, now: Date): Promise<string | null> {
  const [row] = await writeRows<{ params: string }>(
    db,
    Prisma.sql`
    DELETE FROM "PushedRequest" WHERE "id" = ${id} AND "clientId" = ${clientId} AND "expiresAt" > ${now}
    RETURNING "params"`,
  );
  return row?.params ?? null;
}

/** Why a reference could not be taken: the row left behind, if any (expired, or another client's). */
export function pushedRequestById(db: PrismaClient, id: string): Promise<{ clientId: string; expiresAt: Date } | null> {
  return db.pushedRequest.findUnique({ where: { id }, select: { clientId: true, expiresAt: true } });
}
