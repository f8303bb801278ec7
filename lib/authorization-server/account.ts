import { createHmac } from "node:crypto";
import { constantTimeEqual, randomToken } from "../crypto";
import { errorPage, getCookie, isSameOriginPost, readHtmlForm, seeOther } from "../http";
import type { Context } from "../oauth/context";
import { OAuthError } from "../oauth/errors";
import { SCOPES } from "../oauth/vocabulary";
import { lastIssuedAccessTokens } from "../records/access-token";
import { consentsOfUser } from "../records/consent";
import { revokeUserClientRows } from "../records/grant";
import { userProfile } from "../records/user";
import { findClient } from "./clients";
import { withOwnAccessToken } from "./own-resource";
import { splitScope } from "./scope";
import { findSession, sessionCookieName } from "./session";

/**
 * The user's own grants at the authorization server: what each client was granted, and "Revoke access",
 * which forgets the consent and ends every grant of that client at once (RFC 7009 §2.1: a grant's tokens
 * end together). The page (/grants) is the user's, by the login session; the same list as JSON
 * (/account/grants) is a protected resource of the authorization server, as UserInfo is.
 */

export type GrantView = {
  clientId: string;
  clientName: string;
  /** RFC 9700 §4.11.2: a client that registered itself is named by nobody but itself. */
  selfRegistered: boolean;
  scopes: { scope: string; description: string }[];
  grantedAt: Date;
  /** When the grant last grew (the user consented to more scopes); null if never. */
  scopeUpdatedAt: Date | null;
  /** When the client last got an access token for this user; null if none is kept. */
  lastUsedAt: Date | null;
};

const describeScope = (scope: string) => ({ scope, description: (SCOPES as Record<string, string>)[scope] ?? scope });

/** Every client the user granted, newest grant first, with the scopes in plain words. */
export async function listGrants(ctx: Pick<Context, "db">, userId: string): Promise<GrantView[]> {
  const consents = await consentsOfUser(ctx.db, userId);
  const lastUsed = await lastIssuedAccessTokens(
    ctx.db,
    userId,
    consents.map((c) => c.clientId),
  );
  return consents.map((c) => ({
    clientId: c.clientId,
    clientName: c.client.name,
    selfRegistered: c.client.selfRegistered,
    scopes: splitScope(c.scope).map(describeScope),
    grantedAt: c.createdAt,
    // The row is written again only when the scopes grew (consent.ts rememberConsent).
    scopeUpdatedAt: c.updatedAt.getTime() > c.createdAt.getTime() ? c.updatedAt : null,
    lastUsedAt: lastUsed.get(c.clientId) ?? null,
  }));
}

/** The JSON form of a grant (snake_case, as the protocol's own documents are). */
export const grantJson = (g: GrantView) => ({
  client_id: g.clientId,
  client_name: g.clientName,
  self_registered: g.selfRegistered,
  scope: g.scopes.map((s) => s.scope).join(" "),
  scopes: g.scopes,
  granted_at: g.grantedAt.toISOString(),
  scope_updated_at: g.scopeUpdatedAt?.toISOString() ?? null,
  last_used_at: g.lastUsedAt?.toISOString() ?? null,
});

/**
 * The revoke form's CSRF token, bound to the login session: an HMAC of a fixed purpose under the session
 * cookie's value. Only a page rendered for that session can hold it (the cookie is httpOnly), and it
 * reveals nothing of the cookie; no row is needed, and signing out ends it with the session.
 */
export const grantsCsrfToken = (sessionToken: string) =>
  createHmac("sha256", sessionToken).update("authcode-lab /grants revoke").digest("base64url");

export type GrantsPageView =
  | { signedIn: false }
  | { signedIn: true; username: string; grants: GrantView[]; csrfToken: string; revoked?: { clientId: string; clientName: string } };

/**
 * What /grants shows: the signed-in user's grants and the revoke form's CSRF token (and the name of the
 * client whose access was just revoked, `?revoked=`); or that nobody is signed in.
 */
export async function grantsPageView(ctx: Context, sessionToken: string | undefined, revokedClientId?: string): Promise<GrantsPageView> {
  const session = await findSession(ctx, sessionToken);
  const user = session ? await userProfile(ctx.db, session.userId) : null;
  if (!session || !user || !sessionToken) return { signedIn: false };
  const grants = await listGrants(ctx, user.id);
  // The notice is a link's word only: it is shown only when that client indeed holds no grant of this user.
  const revoked =
    revokedClientId && revokedClientId.length <= 200 && !grants.some((g) => g.clientId === revokedClientId)
      ? await findClient(ctx.db, revokedClientId)
      : null;
  return {
    signedIn: true,
    username: user.username,
    grants,
    csrfToken: grantsCsrfToken(sessionToken),
    ...(revoked ? { revoked: { clientId: revoked.id, clientName: revoked.name } } : {}),
  };
}

/** The only place /login may send a user back to when no authorization request is waiting. */
export const GRANTS_PATH = "/grants";

/**
 * Where to go after a sign-in with no authorization request: a same-origin path the form named, or the
 * home page. Only a path of this site: one leading "/", no "//" or "/\" (a browser reads both as another
 * host), no scheme, no control characters; and once resolved against the issuer, still its origin.
 */
export function returnPath(issuer: string, wanted: string | null | undefined): string {
  if (!wanted || wanted.length > 200 || !wanted.startsWith("/") || /^\/[/\\]/.test(wanted) || /[\u0000-\u001f\\]/.test(wanted)) {
    return "/";
  }
  const base = new URL(issuer);
  const resolved = new URL(wanted, base);
  return resolved.origin === base.origin ? `${resolved.pathname}${resolved.search}` : "/";
}

/**
 * POST /grants/revoke: the signed-in user revokes everything they granted one client. Our own form only
 * (Sec-Fetch-Site or Origin), with the session's CSRF token; then the consent is gone, and every code,
 * access token (its jti row, which the API checks) and refresh token (the whole family) of that user and
 * client is revoked in one transaction.
 */
export async function handleRevokeAccess(request: Request, ctx: Context): Promise<Response> {
  const form = await readHtmlForm(request, 4096);
  if (!form || !isSameOriginPost(request, new URL(ctx.config.issuer).origin)) {
    return errorPage(400, "invalid_request", "The revoke form was not sent from this site.");
  }
  const sessionToken = getCookie(request, sessionCookieName(ctx));
  const session = await findSession(ctx, sessionToken);
  const csrf = form.get("csrf") ?? "";
  if (!session || !sessionToken || !constantTimeEqual(csrf, grantsCsrfToken(sessionToken))) {
    return errorPage(
      403,
      "access_denied",
      "The revoke form could not be verified (CSRF check failed). Open your grants page and try again.",
    );
  }
  const clientId = form.get("client_id") ?? "";
  const client = clientId.length <= 200 ? await findClient(ctx.db, clientId) : null;
  if (!client) return errorPage(400, "invalid_request", "No such application.");
  const revoked = await revokeUserClientRows(ctx.db, session.userId, client.id, ctx.now);
  const detail = { grants: revoked.grants.length, accessTokens: revoked.accessTokens, refreshTokens: revoked.refreshTokens };
  // One event in each run whose grant ended here, so each run's story says why; a fresh run when none did.
  const runs = [...new Set(revoked.grants.map((g) => g.correlationId))];
  for (const run of runs.length ? runs : [randomToken(12)]) {
    await ctx.emit({ type: "access.revoked-by-user", run, clientId: client.id, userId: session.userId, ...detail });
  }
  return seeOther(`${ctx.config.issuer}${GRANTS_PATH}?${new URLSearchParams({ revoked: client.id })}`);
}

/**
 * GET /account/grants: the same list as JSON, for a client acting for the signed-in user. A protected
 * resource of the authorization server, as UserInfo (OpenID Connect Core §5.3): the access token in the
 * Authorization header (RFC 6750 §2.1; DPoP-bound, with a proof of its key, RFC 9449 §7.1), the `openid` scope; and only for a client the server registered
 * itself: a client that registered itself learns nothing of the user's other applications.
 */
export function handleAccountGrants(request: Request, ctx: Context): Promise<Response> {
  return withOwnAccessToken(request, ctx, "/account/grants", async ({ claims }) => {
    if (!splitScope(claims.scope ?? "").includes("openid")) throw new OAuthError("insufficient_scope", "The openid scope is required.");
    const client = await findClient(ctx.db, claims.client_id);
    if (!client || client.selfRegistered) {
      throw new OAuthError("insufficient_scope", "Only this server's own clients may read the user's list of applications.");
    }
    const grants = await listGrants(ctx, claims.sub);
    return Response.json({ sub: claims.sub, grants: grants.map(grantJson) }, { headers: { "Cache-Control": "no-store" } });
  });
}
