import { hashToken, randomToken } from "../../crypto";
import { addSeconds, type Context } from "../../oauth/context";
import { redirectWith } from "./check-redirect-uri";
import { insertAuthorizationCode } from "../../records/authorization-code";

/** An authorization request that passed every check, kept until the code is issued. */
export type ValidatedRequest = {
  correlationId: string;
  clientId: string;
  redirectUri: string;
  scope: string;
  state?: string | null;
  nonce?: string | null;
  codeChallenge: string;
  /** RFC 9449 §10: the DPoP key the code is bound to. */
  dpopJkt?: string | null;
};

/**
 * RFC 6749 §4.1.2: the authorization response. The code has 256 random bits, is stored only as a
 * hash, is bound to the client, redirect URI, PKCE challenge, scope, nonce, user and auth time, and
 * lives `CODE_TTL_SECONDS` (60 s by default). RFC 9207 §2: the response also names the issuer.
 */
export async function issueCode(ctx: Context, request: ValidatedRequest, user: { id: string; authTime: Date }): Promise<string> {
  const code = randomToken();
  await insertAuthorizationCode(ctx.db, {
    codeHash: hashToken(code),
    correlationId: request.correlationId,
    clientId: request.clientId,
    userId: user.id,
    redirectUri: request.redirectUri,
    scope: request.scope,
    codeChallenge: request.codeChallenge,
    nonce: request.nonce ?? null,
    dpopJkt: request.dpopJkt ?? null,
    authTime: user.authTime,
    expiresAt: addSeconds(ctx.now, ctx.config.codeTtl),
    createdAt: ctx.now,
  });
  const location = redirectWith(request.redirectUri, { code, state: request.state ?? undefined, iss: ctx.config.issuer });
  await ctx.emit({
    type: "code.issued",
    run: request.correlationId,
    clientId: request.clientId,
    userId: user.id,
    http: { response: { status: 302, headers: { location } } },
    lifetimeSeconds: ctx.config.codeTtl,
    scope: request.scope,
  });
  return location;
}

/** RFC 6749 §4.1.2.1: an error sent back to the (verified) redirect URI, with state and iss. */
export function errorRedirect(
  ctx: Context,
  redirectUri: string,
  state: string | null | undefined,
  error: string,
  description: string,
): string {
  return redirectWith(redirectUri, { error, error_description: description, state: state ?? undefined, iss: ctx.config.issuer });
}
