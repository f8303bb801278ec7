import { createHash } from "node:crypto";
import { hashToken, randomToken } from "../crypto";
import type { Client } from "./clients";
import { addSeconds, epochSeconds, type Context } from "../oauth/context";
import { signEs256 } from "./jws";
import { getKeys } from "./keys";
import { splitScope } from "./scope";
import { insertGrantTokens, revokeGrantRows } from "../records/grant";

/** What a grant (code or refresh token) authorizes, from which tokens are issued. */
export type Grant = {
  /** The id of the code that started the grant: every token of the grant carries it (one family). */
  grantId: string;
  correlationId: string;
  userId: string;
  scope: string;
  authTime: Date;
  nonce?: string | null;
  /** The refresh token's deadline; a rotation keeps the family's original deadline. */
  refreshExpiresAt?: Date;
  /**
   * The refresh token's scope when it differs from the access token's (a refresh that narrowed the
   * scope): RFC 6749 §6 keeps a new refresh token's scope identical to the one presented.
   */
  refreshScope?: string;
  /** RFC 9449 §6: the thumbprint of the DPoP key the access token is bound to (`cnf.jkt`); none: a bearer token. */
  jkt?: string | null;
  /** RFC 9449 §5: the key the refresh token is bound to (a public client's, kept across rotations). */
  refreshJkt?: string | null;
};

/** RFC 6749 §5.1 (and OpenID Connect Core §3.1.3.3): the successful token response. */
export type TokenResponse = {
  access_token: string;
  /** RFC 9449 §5: `DPoP` for a token bound to the key of the request's proof. */
  token_type: "Bearer" | "DPoP";
  expires_in: number;
  scope: string;
  refresh_token?: string;
  id_token?: string;
};

/**
 * Issues the tokens of a grant: a JWT access token (RFC 9068), a refresh token when offline_access was
 * granted, and an ID token when openid was (OpenID Connect Core §2). Rows are written in one transaction.
 */
export async function issueTokens(ctx: Context, client: Client, grant: Grant, options: { idToken: boolean }): Promise<TokenResponse> {
  const { signing } = await getKeys(ctx.db, { now: ctx.now });
  const scopes = splitScope(grant.scope);
  const iat = epochSeconds(ctx.now);
  const jti = randomToken(16);
  const accessExpiresAt = addSeconds(ctx.now, ctx.config.accessTokenTtl);

  // RFC 9068 §2.2: iss, exp, aud, sub, client_id, iat, jti, plus scope and auth_time.
  const accessToken = signEs256(
    { typ: "at+jwt", kid: signing.kid },
    {
      iss: ctx.config.issuer,
      sub: grant.userId,
      aud: ctx.config.apiAudience,
      iat,
      exp: epochSeconds(accessExpiresAt),
      jti,
      client_id: client.id,
      scope: grant.scope,
      auth_time: epochSeconds(grant.authTime),
      // RFC 9449 §6.1: the confirmation of a DPoP-bound token.
      ...(grant.jkt ? { cnf: { jkt: grant.jkt } } : {}),
    },
    signing.keyObject,
  );

  // RFC 9700 §4.14.2: refresh tokens are rotated on every use, so public clients may hold them too.
  const refreshScope = grant.refreshScope ?? grant.scope;
  const refreshToken = splitScope(refreshScope).includes("offline_access") ? randomToken() : undefined;
  const refreshExpiresAt = grant.refreshExpiresAt ?? addSeconds(ctx.now, ctx.config.refreshTokenTtl);

  // OpenID Connect Core §2 and §3.1.3.6: at_hash is the left half of the access token's SHA-256.
  const idToken =
    options.idToken && scopes.includes("openid")
      ? signEs256(
          { typ: "JWT", kid: signing.kid },
          {
            iss: ctx.config.issuer,
            sub: grant.userId,
            aud: client.id,
            iat,
            exp: iat + ctx.config.idTokenTtl,
            at_hash: createHash("sha256").update(accessToken, "ascii").digest().subarray(0, 16).toString("base64url"),
            auth_time: epochSeconds(grant.authTime),
            ...(grant.nonce ? { nonce: grant.nonce } : {}),
            azp: client.id,
          },
          signing.keyObject,
        )
      : undefined;

  const rowOf = {
    grantId: grant.grantId,
    correlationId: grant.correlationId,
    clientId: client.id,
    userId: grant.userId,
    createdAt: ctx.now,
  };
  const { grantRevoked } = await insertGrantTokens(ctx.db, {
    access: { ...rowOf, jti, scope: grant.scope, jkt: grant.jkt ?? null, expiresAt: accessExpiresAt },
    refresh: refreshToken
      ? {
          ...rowOf,
          tokenHash: hashToken(refreshToken),
          scope: refreshScope,
          authTime: grant.authTime,
          jkt: grant.refreshJkt ?? null,
          expiresAt: refreshExpiresAt,
        }
      : undefined,
  });
  // A replay or reuse detected while these tokens were being signed revoked the grant before they
  // existed. The mark it left on the grant is read in the same transaction, and these tokens are
  // revoked too: the outcome is the same as when the replay comes after the issuance.
  if (grantRevoked) await revokeGrant(ctx, grant.grantId);

  return {
    access_token: accessToken,
    token_type: grant.jkt ? "DPoP" : "Bearer",
    expires_in: ctx.config.accessTokenTtl,
    scope: grant.scope,
    ...(refreshToken ? { refresh_token: refreshToken } : {}),
    ...(idToken ? { id_token: idToken } : {}),
  };
}

/** RFC 7009 §2.1 and RFC 9700 §4.14: revokes every access and refresh token of a grant. */
export async function revokeGrant(ctx: Context, grantId: string): Promise<void> {
  await revokeGrantRows(ctx.db, grantId, ctx.now);
}
