import "server-only";
import { SignJWT } from "jose";
import { getKeys, SIGNING_ALG } from "@/lib/authorization-server/keys";
import { getConfig } from "@/lib/config";
import { getDb } from "@/lib/db";
import type { ServerSigner } from "@/lib/workshop/lab/attacks";

/*
 * Glue between the roles (app/, not lib/workshop/, which imports no authorization server code): the
 * lab's card 7 needs tokens that only this app's authorization server can sign.
 */
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
