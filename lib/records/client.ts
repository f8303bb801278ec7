import type { Client, PrismaClient } from "../generated/prisma/client";

/** The registered clients (Client, RFC 6749 §2 and RFC 7591): seeded, or registered by anyone through /oauth/register. */

export type ClientRow = Client;
export type NewClient = Omit<Client, "createdAt" | "selfRegistered" | "policy" | "requirePar" | "dpopBound"> &
  Partial<Pick<Client, "createdAt" | "selfRegistered" | "policy" | "requirePar" | "dpopBound">>;

export function clientById(db: PrismaClient, id: string): Promise<Client | null> {
  return db.client.findUnique({ where: { id } });
}

export async function insertClient(db: PrismaClient, data: NewClient): Promise<void> {
  await db.client.create({ data });
}

/** Creates or updates a seeded client. */
export async function saveClient(db: PrismaClient, { id, ...data }: NewClient): Promise<void> {
  await db.client.upsert({ where: { id }, create: { id, ...data }, update: data });
}

export async function deleteClient(db: PrismaClient, id: string): Promise<void> {
  await db.client.deleteMany({ where: { id } });
}

/** Clients' display names by id (the instructor's view names the clients of the events it shows). */
export function clientNames(db: PrismaClient, ids: string[]): Promise<{ id: string; name: string }[]> {
  return db.client.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } });
}
