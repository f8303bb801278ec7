import { randomToken } from "../../crypto";
import { correlationIdFor } from "../../events";
import { errorPage, found, mediaType } from "../../http";
import { insertInteraction } from "../../records/interaction";
import { runOriginOf } from "../../run-origin";
import { addSeconds, type Context } from "../../oauth/context";
import { invalidRedirectTarget, OAuthError, toOAuthError } from "../../oauth/errors";
import { paramsFrom, readFormBody, type Params } from "../params";
import { formatScope } from "../scope";
import { findSession } from "../session";
import { checkClient } from "./check-client";
import { checkConsent } from "./check-consent";
import { runOfSentChallenge } from "./check-pkce";
import { checkPushRequired, takePushed } from "./check-pushed-request";
import { checkRedirectUri } from "./check-redirect-uri";
import { checkRequestParameters } from "./check-request";
import { checkSession } from "./check-session";
import { errorRedirect, issueCode, type ValidatedRequest } from "./issue-code";

/**
 * The authorization endpoint (RFC 6749 §4.1.1, RFC 7636 §4.3, OpenID Connect Core §3.1.2), written
 * as the spec's ordered checks. Until client_id and redirect_uri are verified every error is an error
 * page; after that, errors go back to the client with state and iss (RFC 6749 §4.1.2.1, RFC 9207).
 */
export async function handleAuthorize(request: Request, ctx: Context): Promise<Response> {
  let correlationId = randomToken(12);
  let redirectUri: string | undefined;
  let params: Params | undefined;
  let clientId: string | undefined;
  let selfRegistered = false;
  // Events are written in batches (lib/events.ts): this one is awaited with the response's, not before the work.
  let accepted: Promise<void> | undefined;
  // The lab's and the self-check's runs name themselves (lib/run-origin.ts): a label for the instructor's view.
  const origin = runOriginOf(request);
  const marked = origin ? { origin } : {};
  try {
    const parsed = await authorizationParams(request);
    params = parsed.params;
    // A request refused before its challenge is checked still belongs to the run whose challenge it
    // carries: its client (and the instructor) then see the refusal among the run's events.
    correlationId = runOfSentChallenge(params) ?? correlationId;
    // The checks, in order: until the client and its redirect URI pass, an error is shown here, not redirected.
    const client = await checkClient(ctx, params.get("client_id"));
    clientId = client.id;
    selfRegistered = client.selfRegistered;
    // RFC 9126 §4: a pushed request's parameters replace the link's, which may carry nothing else.
    const pushed = params.has("request_uri");
    if (pushed) {
      if (parsed.problem) throw parsed.problem;
      params = await takePushed(ctx, client, params);
      correlationId = runOfSentChallenge(params) ?? correlationId;
    }
    redirectUri = checkRedirectUri(ctx.config, client, params.get("redirect_uri"));
    if (parsed.problem) throw parsed.problem;
    checkPushRequired(ctx.config, client, pushed);
    const { scopes, codeChallenge, prompt, maxAge, dpopJkt } = checkRequestParameters(client, params);
    correlationId = correlationIdFor(codeChallenge);

    const validated: ValidatedRequest = {
      correlationId,
      clientId: client.id,
      redirectUri,
      scope: formatScope(scopes),
      state: params.get("state"),
      nonce: params.get("nonce"),
      codeChallenge,
      dpopJkt,
    };
    accepted = ctx.emit({
      type: "authorization.accepted",
      run: correlationId,
      clientId: client.id,
      http: { request: { method: request.method, url: request.url } },
      scope: validated.scope,
      prompt: [...prompt],
      pushed,
      marks: marked,
    });

    // The last two checks: must the user sign in, must they be asked for consent (prompt=none refuses either).
    const session = await checkSession(ctx, request, prompt, maxAge);
    const needsConsent = await checkConsent(ctx, session, client.id, scopes, prompt);
    if (session && !needsConsent) {
      const location = await issueCode(ctx, validated, { id: session.userId, authTime: session.authTime });
      await accepted;
      return found(location);
    }

    const interactionId = randomToken(16);
    await Promise.all([
      accepted,
      insertInteraction(ctx.db, {
        id: interactionId,
        ...validated,
        prompt: [...prompt].join(" ") || null,
        sessionId: session?.id ?? null,
        userId: session?.userId ?? null,
        authTime: session?.authTime ?? null,
        csrfHash: "",
        expiresAt: addSeconds(ctx.now, ctx.config.interactionTtl),
      }),
    ]);
    return found(`${ctx.config.issuer}/${session ? "consent" : "login"}?interaction=${interactionId}`);
  } catch (error) {
    const e = toOAuthError(error);
    if (e.code === "server_error") console.error("[authcode-lab] authorize:", error);
    const verified = redirectUri !== undefined && e.redirectable;
    const heldBack = verified && selfRegistered && !(await findSession(ctx, request).catch(() => null));
    await Promise.all([
      accepted,
      ctx.emit({
        type: "authorization.refused",
        run: correlationId,
        clientId,
        http: { request: { method: request.method, url: request.url } },
        error: e.code,
        description: e.description,
        redirected: verified && !heldBack,
        marks: marked,
      }),
    ]);
    if (!verified || heldBack) {
      return errorPage(
        e.status >= 500 || e.status === 413 ? e.status : 400,
        e.code,
        heldBack ? `${e.description} ${SELF_REGISTERED_NOT_REDIRECTED}` : e.description,
      );
    }
    return found(errorRedirect(ctx, redirectUri!, params?.get("state"), e.code, e.description));
  }
}

/**
 * RFC 9700 §4.11.2: anyone can register a client here, so its redirect URI may be a phishing page; an
 * error is sent to it only once the user has signed in, never straight from a link.
 */
const SELF_REGISTERED_NOT_REDIRECTED = "This application registered itself, so errors are sent back to it only after you sign in.";

/**
 * OpenID Connect Core §3.1.2.1: GET with a query, or POST with a form body. A repeated or oversized
 * parameter (RFC 6749 §3.1) is reported once client_id and redirect_uri are verified, so that it can go
 * back to the client; a repeated client_id or redirect_uri can never be trusted and is shown at once.
 */
async function authorizationParams(request: Request): Promise<{ params: Params; problem?: OAuthError }> {
  let search: URLSearchParams;
  if (request.method === "GET") {
    search = new URL(request.url).searchParams;
  } else {
    if (mediaType(request) !== "application/x-www-form-urlencoded") throw invalidRedirectTarget("The body must be a form.");
    search = new URLSearchParams(await readFormBody(request, false));
  }
  for (const name of ["client_id", "redirect_uri"]) {
    if (search.getAll(name).length > 1) throw invalidRedirectTarget(`The ${name} parameter is repeated.`);
  }
  try {
    return { params: paramsFrom(search) };
  } catch (problem) {
    // The first value of each parameter, only to find the client and its redirect URI.
    return { params: new Map([...search].filter(([, v]) => v !== "").reverse()), problem: problem as OAuthError };
  }
}
