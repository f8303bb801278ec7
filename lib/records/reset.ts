import type { PrismaClient } from "../generated/prisma/client";

/**
 * Every table emptied at once, in one transaction (lib/seed.ts then writes the demo data back): the one
 * statement that spans all records, so it lives beside them. Signing keys and the instructor's sessions
 * stay; registered clients stay when asked to.
 */
export async function eraseAllRows(db: PrismaClient, { keepClients = false } = {}): Promise<void> {
  await db.$transaction([
    db.flowEvent.deleteMany(),
    db.note.deleteMany(),
    db.loginAttempt.deleteMany(),
    db.walkthroughRun.deleteMany(),
    db.refreshToken.deleteMany(),
    db.accessToken.deleteMany(),
    db.authorizationCode.deleteMany(),
    db.interaction.deleteMany(),
    db.consent.deleteMany(),
    db.session.deleteMany(),
    ...(keepClients ? [] : [db.client.deleteMany()]),
    db.user.deleteMany(),
    db.runtimeSettings.deleteMany(),
  ]);
}
