/**
 * The demo data, idempotent: users alice and bob, and the demo clients. Redirect URIs follow APP_URL
 * (or DEMO_CLIENT_URL when the clients run on another origin), so seeding again updates them. It also
 * makes the first signing key, so that several instances starting together on a fresh database do not
 * each create one (the server would, on its first token, when there is none).
 */
import { createSigningKey } from "../lib/authorization-server/keys";
import { getConfig } from "../lib/config";
import { hashPassword, hashToken } from "../lib/crypto";
import { openDatabase } from "../lib/db";
import { DEMO_CLIENTS, DEMO_USERS } from "../lib/demo";

async function main() {
  const config = getConfig();
  const db = await openDatabase(config.databaseUrl);
  for (const user of DEMO_USERS) {
    const existing = await db.user.findUnique({ where: { username: user.username } });
    if (!existing) {
      await db.user.create({
        data: { username: user.username, passwordHash: await hashPassword(user.password), name: user.name, email: user.email, emailVerified: true },
      });
    }
  }
  for (const client of DEMO_CLIENTS(config.demoClientUrl)) {
    const data = {
      name: client.name,
      secretHash: client.secret ? hashToken(client.secret) : null,
      tokenEndpointAuthMethod: client.authMethod,
      redirectUris: JSON.stringify(client.redirectUris),
      allowedScopes: client.scopes.join(" "),
    };
    await db.client.upsert({ where: { id: client.id }, create: { id: client.id, ...data }, update: data });
  }
  const now = new Date();
  const signing = await db.signingKey.count({ where: { activatesAt: { lte: now }, OR: [{ retiredAt: null }, { retiredAt: { gt: now } }] } });
  if (signing === 0) await createSigningKey(db, now);
  console.log(`Seeded ${DEMO_USERS.length} users and ${DEMO_CLIENTS(config.demoClientUrl).length} clients with redirect URIs on ${config.demoClientUrl}.`);
  await db.$disconnect();
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
