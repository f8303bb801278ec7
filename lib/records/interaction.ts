import type { Interaction, Prisma, PrismaClient } from "../generated/prisma/client";

/** The authorization requests waiting for the user (Interaction): between /oauth/authorize and the code, through sign-in and consent. */

export type { Interaction };

export type NewInteraction = Prisma.InteractionUncheckedCreateInput;

export async function insertInteraction(db: PrismaClient, data: NewInteraction): Promise<void> {
  await db.interaction.create({ data });
}

export function interactionById(db: PrismaClient, id: string): Promise<Interaction | null> {
  return db.interaction.findUnique({ where: { id } });
}

export async function updateInteraction(
  db: PrismaClient,
  id: string,
  data: Partial<Pick<Interaction, "sessionId" | "userId" | "authTime" | "csrfHash">>,
): Promise<void> {
  await db.interaction.update({ where: { id }, data });
}

/** Deletes the interaction if it is still live; true for the one caller that did (a conditional delete, so no double submit). */
export async function consumeInteraction(db: PrismaClient, id: string, now: Date): Promise<boolean> {
  const { count } = await db.interaction.deleteMany({ where: { id, expiresAt: { gt: now } } });
  return count === 1;
}
