import "server-only";
import { SignJWT } from "jose";
import { getKeys, SIGNING_ALG } from "../authorization-server/keys";
import { getConfig } from "../config";
import { getDb } from "../db";
import { DEMO_USERS } from "../demo";
import type { ServerSigner } from "./attacks";
import type { LabEnv } from "./client";

/**
 * The lab's environment in this process: the authorization server and API the client role uses, the
 * walkthrough's registration (client_secret_post) as the lab's client, the next-auth registration
 * (client_secret_basic) as "another client", and a seeded demo user.
 */
export function labEnv(user: "alice" | "bob" = "alice"): LabEnv {
  const config = getConfig();
  const demoUser = DEMO_USERS.find((u) => u.username === user)!;
  return {
    issuer: config.client.issuer,
    resourceServerUrl: config.client.resourceServerUrl,
    client: {
      id: config.client.walkthrough.id, secret: config.client.walkthrough.secret,
      redirectUri: `${config.issuer}/walkthrough/callback`, auth: "client_secret_post",
    },
    otherClient: {
      id: config.client.nextAuth.id, secret: config.client.nextAuth.secret,
      redirectUri: `${config.issuer}/api/auth/callback/authcode-lab`, auth: "client_secret_basic",
    },
    user: { username: demoUser.username, password: demoUser.password },
  };
}

/**
 * Tokens only the authorization server could make (one for another audience, one already expired),
 * signed with its current key, so the lab can show that the API's aud and exp checks hold on their own.
 * Only when the lab runs in the authorization server's own process (the issuer is this app).
 */
export function labSigner(): ServerSigner | undefined {
  const config = getConfig();
  if (config.client.issuer !== config.issuer) return undefined;
  return async (claims, typ) => {
    const { signing } = await getKeys(await getDb());
    return new SignJWT(claims).setProtectedHeader({ alg: SIGNING_ALG, typ, kid: signing.kid }).sign(signing.key);
  };
}
