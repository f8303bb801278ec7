/**
 * The demo data (users alice and bob, the self-check's user, the demo clients, a first signing key), and a reset of every
 * table back to it: test mode's /api/test/reset and the instructor's workshop reset.
 */
import { forgetCachedClients } from "./authorization-server/clients";
import { createSigningKey } from "./authorization-server/keys";
import { serializePolicy, type ClientPolicy } from "./authorization-server/client-policy";
import { RS_CLIENT_ID, type Config } from "./config";
import { hashPassword, hashToken } from "./crypto";
import type { Db } from "./db";
import { deleteClient, saveClient } from "./records/client";
import { eraseAllRows } from "./records/reset";
import { countSigningKeys } from "./records/signing-key";
import { insertUser, userByUsername } from "./records/user";
import { DEMO_CLIENTS, DEMO_USERS, LAB_WEAKENED_CLIENT_ID, labWeakenedClient, SELF_CHECK_USER } from "./demo";

/**
 * Idempotent: creates missing demo users, upserts the demo clients (redirect URIs follow APP_URL or
 * DEMO_CLIENT_URL), and makes the first signing key, so that several instances starting together on a
 * fresh database do not each create one. The weakened lab client is registered only in lab mode, and
 * the protected API's `resource-server` client only when it may introspect; a seed without removes them.
 */
export async function seedDemoData(db: Db, config: Config, now = new Date()) {
  for (const user of [...DEMO_USERS, SELF_CHECK_USER]) {
    if (!(await userByUsername(db, user.username))) {
      await insertUser(db, {
        username: user.username,
        passwordHash: await hashPassword(user.password),
        name: user.name,
        email: user.email,
        emailVerified: true,
      });
    }
  }
  // The protected API's client exists only where it may introspect: its demo secret is published.
  const introspects = config.introspectionClients.includes(RS_CLIENT_ID);
  const clients: (ReturnType<typeof DEMO_CLIENTS>[number] & { policy?: Partial<ClientPolicy> })[] = [
    ...DEMO_CLIENTS(config.demoClientUrl).filter((c) => c.id !== RS_CLIENT_ID || introspects),
    ...(config.labMode ? [labWeakenedClient(config.demoClientUrl)] : []),
  ];
  if (!config.labMode) await deleteClient(db, LAB_WEAKENED_CLIENT_ID);
  if (!introspects) await deleteClient(db, RS_CLIENT_ID);
  for (const client of clients) {
    await saveClient(db, {
      id: client.id,
      name: client.name,
      secretHash: client.secret ? hashToken(client.secret) : null,
      tokenEndpointAuthMethod: client.authMethod,
      redirectUris: JSON.stringify(client.redirectUris),
      allowedScopes: client.scopes.join(" "),
      // Every check for every client; only the lab's weakened client registers some switched off.
      policy: serializePolicy(client.policy),
    });
  }
  if ((await countSigningKeys(db, now)) === 0) await createSigningKey(db, now);
}

/**
 * Every table back to the seed: all codes, tokens, sessions, consents, events, notes, runs, rate-limit
 * counts, registered clients and users other than the demo ones go, and the runtime settings (test
 * clock, instructor's lifetimes) return to the configuration. Signing keys stay: an API that cached the
 * JWKS keeps verifying, and tokens issued before the reset are refused because their rows are gone.
 * The instructor's sessions stay too. `keepRegisteredClients` (the instructor's workshop reset) keeps
 * the clients participants registered, whose secrets were shown once and are not shown again.
 */
export async function resetToSeed(db: Db, config: Config, { keepRegisteredClients = false } = {}) {
  await eraseAllRows(db, { keepClients: keepRegisteredClients });
  forgetCachedClients(db);
  await seedDemoData(db, config);
}
