import { hashToken } from "../../crypto";
import { policyOf, STRICT_POLICY } from "../client-policy";
import { findClient, type Client } from "../clients";
import type { Context } from "../../oauth/context";
import { OAuthError } from "../../oauth/errors";
import { required, type Params } from "../params";
import { verifyCodeVerifier } from "../pkce";
import { codeByHash, consumeAuthorizationCode, markCodeConsumed, type ConsumedCode } from "../../records/authorization-code";
import { issueTokens, revokeGrant, type TokenResponse } from "../tokens";
import type { DpopProof } from "../../oauth/dpop";

/**
 * RFC 6749 §4.1.3: the authorization code grant, with PKCE (RFC 7636 §4.5).
 *
 * The code is consumed by one conditional update (unconsumed, unexpired, this client's) whose result
 * must be one row, so of N parallel redemptions exactly one succeeds. A second redemption of a consumed
 * code revokes every token the first produced (RFC 6749 §4.1.2, RFC 9700 §4.5.3), but only one that
 * could have redeemed it (its client, redirect_uri and code_verifier): anyone else who saw a spent code
 * in a log is refused and ends nobody's grant.
 */

export const authorizationCodeGrant = {
  grantType: "authorization_code",
  async handle(ctx: Context, client: Client, params: Params, dpop?: DpopProof): Promise<TokenResponse> {
    const code = required(params, "code");
    const redirectUri = required(params, "redirect_uri");
    const codeVerifier = params.get("code_verifier");
    const codeHash = hashToken(code);

    /** The checks only the code's rightful redeemer passes; undefined when they pass. */
    const proofFailure = (code: ConsumedCode): OAuthError | undefined => {
      // RFC 6749 §4.1.3: the redirect_uri must be identical to the one authorized.
      if (redirectUri !== code.redirectUri)
        return new OAuthError("invalid_grant", "redirect_uri does not match the authorization request.");
      // RFC 9449 §10: a code bound with dpop_jkt is redeemed only with a proof of that key.
      if (code.dpopJkt && code.dpopJkt !== dpop?.jkt)
        return new OAuthError("invalid_grant", "The authorization code is bound to another DPoP key (dpop_jkt).");
      // RFC 7636 §4.6, unless the client's policy says otherwise (the lab's weakened client, in LAB_MODE only).
      if (!policyOf(ctx.config, client).pkceVerified) return undefined;
      try {
        verifyCodeVerifier(codeVerifier, code.codeChallenge);
      } catch (error) {
        return error as OAuthError;
      }
    };

    let row = await consumeAuthorizationCode(ctx.db, codeHash, client.id, ctx.now);
    if (!row) {
      const refusal = await whyNotRedeemable(ctx, client, codeHash, proofFailure);
      if (refusal instanceof OAuthError) throw refusal;
      row = refusal;
    }

    const failure = proofFailure(row);
    if (failure) {
      await ctx.emit({
        type: "code.refused",
        run: row.correlationId,
        clientId: client.id,
        userId: row.userId,
        error: failure.code,
        description: failure.description,
      });
      throw failure;
    }

    // Never more than the redeeming client may ask for: the code's scope was checked against its own
    // client's at the authorization endpoint; this also bounds LAB MODE's code redeemed by another client.
    const scope = row.scope
      .split(" ")
      .filter((s) => client.allowedScopes.includes(s))
      .join(" ");
    const tokens = await issueTokens(
      ctx,
      client,
      {
        grantId: row.id,
        correlationId: row.correlationId,
        userId: row.userId,
        scope,
        authTime: row.authTime,
        nonce: row.nonce,
        jkt: dpop?.jkt,
        // RFC 9449 §5: a public client's refresh token is bound to its key; a confidential client's is
        // bound to its authentication already, and may be used with another key.
        refreshJkt: client.isPublic ? dpop?.jkt : null,
      },
      { idToken: true },
    );
    await ctx.emit({
      type: "tokens.issued",
      run: row.correlationId,
      clientId: client.id,
      userId: row.userId,
      http: { response: { status: 200, headers: { "cache-control": "no-store" }, body: tokens } },
      scope,
      accessTokenLifetimeSeconds: ctx.config.accessTokenTtl,
      refreshToken: !!tokens.refresh_token,
      idToken: !!tokens.id_token,
      tokenType: tokens.token_type,
      jkt: dpop?.jkt ?? null,
    });
    return tokens;
  },
};

/**
 * Explains a failed redemption; on replay, revokes what the code produced. Only the policy of the
 * code's own client (client-policy.ts: the lab's weakened client, in LAB_MODE) can turn the answer into
 * the code's row instead.
 */
async function whyNotRedeemable(
  ctx: Context,
  client: Client,
  codeHash: string,
  proofFailure: (code: ConsumedCode) => OAuthError | undefined,
): Promise<OAuthError | ConsumedCode> {
  const row = await codeByHash(ctx.db, codeHash);
  if (!row) return new OAuthError("invalid_grant", "The authorization code is invalid.");
  const subject = { run: row.correlationId, clientId: client.id, userId: row.userId };
  const otherClient = row.clientId !== client.id;
  const owner = otherClient ? await findClient(ctx.db, row.clientId) : client;
  const policy = owner ? policyOf(ctx.config, owner) : STRICT_POLICY;
  if (otherClient && policy.codeBoundToClient) {
    await ctx.emit({ type: "code.foreign", ...subject });
    return new OAuthError("invalid_grant", "The authorization code was not issued to this client.");
  }
  if (row.consumedAt && policy.singleUseCode) {
    const failure = proofFailure(row);
    if (failure) {
      await ctx.emit({ type: "code.spent-without-proof", ...subject, error: failure.code, description: failure.description });
      return new OAuthError("invalid_grant", "The authorization code has already been used.");
    }
    await revokeGrant(ctx, row.id);
    await ctx.emit({ type: "code.replayed", ...subject });
    return new OAuthError("invalid_grant", "The authorization code has already been used.");
  }
  // With the code's client held to every check above, a code that got here is one that expired.
  if (row.expiresAt <= ctx.now || !(otherClient || row.consumedAt)) {
    await ctx.emit({ type: "code.expired", ...subject });
    return new OAuthError("invalid_grant", "The authorization code has expired.");
  }
  if (!row.consumedAt) await markCodeConsumed(ctx.db, row.id, ctx.now);
  await ctx.emit({ type: "code.accepted-despite-check", ...subject });
  return row;
}
