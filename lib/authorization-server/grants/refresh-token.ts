import { hashToken } from "../../crypto";
import { policyOf } from "../client-policy";
import type { Client } from "../clients";
import type { Context } from "../../oauth/context";
import { OAuthError } from "../../oauth/errors";
import { required, type Params } from "../params";
import { formatScope, parseScope, splitScope } from "../scope";
import { revokeAccessTokensOfGrant } from "../../records/access-token";
import { refreshTokenByHash, revokeUnusedSuccessor, rotateRefreshToken, type RotatedRefreshToken } from "../../records/refresh-token";
import { issueTokens, revokeGrant, type TokenResponse } from "../tokens";
import type { DpopProof } from "../../oauth/dpop";

/**
 * RFC 6749 §6: refreshing an access token, with rotation (RFC 9700 §4.14.2). The presented token is
 * marked rotated by one conditional update; presenting a rotated or revoked token again revokes the
 * whole family, because one of its two holders is an attacker. Except, with REFRESH_REUSE_INTERVAL_SECONDS,
 * a retry by the same client soon after the rotation whose successor was never used: its answer was
 * probably lost, so the successor is revoked and a fresh pair issued (the trade-off: a thief holding the
 * just-rotated token wins within that window, until the client's next refresh reveals the reuse).
 */
export const refreshTokenGrant = {
  grantType: "refresh_token",
  async handle(ctx: Context, client: Client, params: Params, dpop?: DpopProof): Promise<TokenResponse> {
    const tokenHash = hashToken(required(params, "refresh_token"));
    // RFC 6749 §6: a narrower scope may be asked for, never a wider one. Checked before the token is
    // rotated, so that a bad scope does not burn a usable refresh token (and then look like reuse).
    if (params.has("scope")) {
      const current = await refreshTokenByHash(ctx.db, tokenHash);
      if (current && current.clientId === client.id && !current.rotatedAt && !current.revokedAt && current.expiresAt > ctx.now) {
        parseScope(params.get("scope"), splitScope(current.scope));
      }
    }
    // RFC 9449 §5: a bound refresh token rotates only with a proof of its key.
    let row = await rotateRefreshToken(ctx.db, tokenHash, client.id, ctx.now, dpop?.jkt ?? null);
    if (!row) {
      const refusal = await whyNotUsable(ctx, client, tokenHash, dpop);
      if (refusal instanceof OAuthError) throw refusal;
      row = refusal;
    }

    // RFC 6749 §6: a narrower scope may be asked for, never a wider one.
    const scope = params.has("scope") ? formatScope(parseScope(params.get("scope"), splitScope(row.scope))) : row.scope;
    const tokens = await issueTokens(
      ctx,
      client,
      {
        grantId: row.grantId,
        correlationId: row.correlationId,
        userId: row.userId,
        scope,
        authTime: row.authTime,
        refreshExpiresAt: row.expiresAt,
        refreshScope: row.scope,
        jkt: dpop?.jkt,
        // The family keeps the binding it was issued with.
        refreshJkt: row.jkt,
      },
      { idToken: true },
    );
    await ctx.emit({
      type: "refresh.rotated",
      run: row.correlationId,
      clientId: client.id,
      userId: row.userId,
      http: { response: { status: 200, headers: { "cache-control": "no-store" }, body: tokens } },
      scope,
      tokenType: tokens.token_type,
      jkt: dpop?.jkt ?? null,
    });
    return tokens;
  },
};

/** Explains an unusable refresh token; only a client policy without rotation (the lab's weakened client, LAB_MODE) lets a rotated one through. */
async function whyNotUsable(
  ctx: Context,
  client: Client,
  tokenHash: string,
  dpop: DpopProof | undefined,
): Promise<OAuthError | RotatedRefreshToken> {
  const row = await refreshTokenByHash(ctx.db, tokenHash);
  if (!row || row.clientId !== client.id) return new OAuthError("invalid_grant", "The refresh token is invalid.");
  const subject = { run: row.correlationId, clientId: client.id, userId: row.userId };
  // RFC 9449 §5: a token bound to a key is useless without it; whoever lacks the key burns nothing.
  if (row.jkt && row.jkt !== dpop?.jkt) {
    const failure = new OAuthError(
      "invalid_grant",
      dpop ? "The refresh token is bound to another DPoP key." : "The refresh token is DPoP-bound: send a proof of its key.",
    );
    await ctx.emit({ type: "refresh.refused", ...subject, error: failure.code, description: failure.description });
    return failure;
  }
  // Unless the client's policy says otherwise (the lab's weakened client, in LAB_MODE only), a rotated
  // refresh token is refused and its reuse revokes the family.
  const reuseIgnored = !!row.rotatedAt && !row.revokedAt && !policyOf(ctx.config, client).rotateRefreshToken;
  if (
    row.rotatedAt &&
    !row.revokedAt &&
    !reuseIgnored &&
    row.expiresAt > ctx.now &&
    (await retiredUnreceivedSuccessor(ctx, row.grantId, row.rotatedAt))
  ) {
    await ctx.emit({ type: "refresh.retried", ...subject, reuseIntervalSeconds: ctx.config.refreshReuseInterval });
    return row;
  }
  if ((row.rotatedAt || row.revokedAt) && !reuseIgnored) {
    await revokeGrant(ctx, row.grantId);
    await ctx.emit({ type: "refresh.reused", ...subject });
    return new OAuthError("invalid_grant", "The refresh token has already been used or revoked.");
  }
  if (!reuseIgnored || row.expiresAt <= ctx.now) {
    await ctx.emit({ type: "refresh.expired", ...subject });
    return new OAuthError("invalid_grant", "The refresh token has expired.");
  }
  await ctx.emit({ type: "refresh.accepted-despite-rotation", ...subject });
  return row;
}

/**
 * Within REFRESH_REUSE_INTERVAL_SECONDS of a rotation, revokes the successor it produced if that was
 * never used (one conditional update, so of two retries one wins), with the access token issued beside
 * it; true when it did. The successor is the family's refresh token created at the rotation's instant
 * (the rotation and the new rows share one `now`).
 */
async function retiredUnreceivedSuccessor(ctx: Context, grantId: string, rotatedAt: Date): Promise<boolean> {
  const interval = ctx.config.refreshReuseInterval;
  if (interval === 0 || ctx.now.getTime() - rotatedAt.getTime() > interval * 1000) return false;
  if (!(await revokeUnusedSuccessor(ctx.db, grantId, rotatedAt, ctx.now))) return false;
  await revokeAccessTokensOfGrant(ctx.db, grantId, ctx.now, rotatedAt);
  return true;
}
