import { constantTimeEqual, DUMMY_PASSWORD_HASH, hashToken, randomToken, verifyPassword } from "../crypto";
import { countAttempt, limitKey, signInLimit, type LoginLimitKey } from "../rate-limit";
import { DEMO_USERS } from "../demo";
import { clientIp, errorPage, getCookie, isSameOriginPost, readHtmlForm, seeOther, serializeCookie } from "../http";
import { consumeInteraction as deleteLiveInteraction, interactionById, updateInteraction, type Interaction } from "../records/interaction";
import { deleteAttempts } from "../records/login-attempt";
import { userByUsername } from "../records/user";
import { findClient } from "./clients";
import { hasConsent, rememberConsent } from "./consent";
import type { Context } from "../oauth/context";
import { errorRedirect, issueCode } from "./authorize/issue-code";
import { SCOPES, type Scope } from "../oauth/vocabulary";
import { splitScope } from "./scope";
import { createSession, findSession, sessionCookieName } from "./session";
import { returnPath } from "./account";

/**
 * The user's part of the authorization code grant (RFC 6749 §4.1.1 step B): sign in, then consent.
 * An interaction is a validated authorization request waiting for the user; its id is 128 random bits.
 */

const INTERACTION_ID = /^[A-Za-z0-9_-]{22}$/;

export async function findInteraction(ctx: Context, id: string | undefined | null): Promise<Interaction | null> {
  if (!id || !INTERACTION_ID.test(id)) return null;
  const row = await interactionById(ctx.db, id);
  return row && row.expiresAt > ctx.now ? row : null;
}

const expiredPage = () =>
  errorPage(400, "invalid_request", "This sign-in request has expired or is unknown. Go back to the application and start again.");

const sameOrigin = (ctx: Context, request: Request) => isSameOriginPost(request, new URL(ctx.config.issuer).origin);

const readUserForm = (request: Request) => readHtmlForm(request, 8192);

/** What the login page shows. */
export async function loginView(ctx: Context, interactionId: string | undefined) {
  const interaction = await findInteraction(ctx, interactionId);
  const client = interaction ? await findClient(ctx.db, interaction.clientId) : null;
  return { interactionId: interaction?.id, clientName: client?.name };
}

/**
 * The cookie that once kept the username typed on a refused sign-in. What is typed there may be a
 * password, so it is no longer set; a browser that still holds one is told to drop it.
 */
const USERNAME_COOKIE = "authcode_login_username";
const dropUsernameCookie = (ctx: Context) =>
  serializeCookie(USERNAME_COOKIE, "", { maxAge: 0, secure: ctx.config.secureCookies, path: "/login" });

/** The cookie that names a browser for the sign-in limit on the shared demo accounts (workshop mode). */
export const BROWSER_COOKIE = "authcode_browser";
const BROWSER_ID = /^[A-Za-z0-9_-]{22}$/;

/**
 * The limit key of a name that is no account's: what was typed may be a password, so it is not stored,
 * not even hashed whole (an unsalted hash of a password is guessed offline). It is counted in one of
 * 4096 buckets of its SHA-256 instead: the same name always meets the same limit, so an unknown name
 * is refused after as many failures as an account (no hint which names exist), and 12 bits say nothing
 * useful about a password. The instructor's lockout list does not show these keys.
 */
const unknownNameKey = (typed: string) => `unknown-name:${hashToken(typed).slice(0, 2)}`;

/**
 * What a failed sign-in counts against. In workshop mode the demo accounts, whose passwords the README
 * prints and the whole room types, are limited per account and browser: one participant's typos no longer
 * lock the room out of alice, and guessing a published password protects nothing. Every other account
 * keeps its limit per account alone. A browser without the cookie gets a new one, so a client that drops
 * it gains a fresh count per attempt on the demo accounts only; the per-address limit still bounds it.
 */
function accountLimit(ctx: Context, request: Request, username: string): { key: LoginLimitKey; cookie?: string } {
  if (!ctx.config.workshop.enabled || !DEMO_USERS.some((u) => u.username === username)) return { key: { kind: "account", username } };
  const sent = getCookie(request, BROWSER_COOKIE);
  const id = sent && BROWSER_ID.test(sent) ? sent : randomToken(16);
  const cookie =
    id === sent
      ? undefined
      : serializeCookie(BROWSER_COOKIE, id, { maxAge: 7 * 24 * 3600, secure: ctx.config.secureCookies, path: "/login" });
  return { key: { kind: "account-browser", username, browser: hashToken(id).slice(0, 16) }, ...(cookie ? { cookie } : {}) };
}

/**
 * POST /login/submit. One generic message for a wrong username or password; failures are limited per
 * account and per IP address (RFC 9700 §4.13 leaves this to the AS; OWASP ASVS 2.2.1).
 */
export async function handleLogin(request: Request, ctx: Context): Promise<Response> {
  const form = await readUserForm(request);
  if (!form || !sameOrigin(ctx, request)) return errorPage(400, "invalid_request", "The sign-in form was not sent from this site.");
  const interactionId = form.get("interaction") || undefined;
  const interaction = interactionId ? await findInteraction(ctx, interactionId) : null;
  if (interactionId && !interaction) return expiredPage();
  const username = (form.get("username") ?? "").trim().toLowerCase();
  const password = form.get("password") ?? "";
  const typed = username && username.length <= 64 ? username : undefined;
  const user = typed ? await userByUsername(ctx.db, typed) : null;
  const account = user ? accountLimit(ctx, request, user.username) : undefined;
  const cookies = [
    ...(account?.cookie ? [account.cookie] : []),
    ...(getCookie(request, USERNAME_COOKIE) !== undefined ? [dropUsernameCookie(ctx)] : []),
  ];
  const wanted = returnPath(ctx.config.issuer, form.get("return_to"));
  const returnTo: Record<string, string> = !interactionId && wanted !== "/" ? { return_to: wanted } : {};
  const back = (error: string) =>
    seeOther(
      `${ctx.config.issuer}/login?${new URLSearchParams({ ...(interactionId ? { interaction: interactionId } : {}), ...returnTo, error })}`,
      cookies,
    );
  if (!typed || !password || password.length > 1024) return back("missing");

  // The attempt is counted as a failure before the password is checked, so parallel guesses cannot all
  // pass the limit before any of them is recorded. A success clears the account's failures and takes
  // back its reservation at the IP address.
  const userKey = account ? limitKey(account.key) : unknownNameKey(typed);
  const address: LoginLimitKey = { kind: "address", ip: clientIp(request.headers, ctx.config.trustProxyHops) };
  const attempt = await countAttempt(
    ctx,
    [
      { key: userKey, max: ctx.config.loginMaxFailures },
      { key: limitKey(address), max: signInLimit(ctx.config, address) },
    ],
    ctx.config.loginWindow,
  );
  const correlationId = interaction?.correlationId ?? randomToken(12);
  if (attempt.reached) {
    // A refused attempt is not a failure: it was taken back, and does not extend the lock.
    await ctx.emit({ type: "sign-in.limited", run: correlationId, clientId: interaction?.clientId });
    return back("rate_limited");
  }

  // Verify against a dummy hash when the user does not exist, so both failures take the same time.
  const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_PASSWORD_HASH);
  if (!user || !ok) {
    // Nothing typed in the username field leaves here (it may hold a password typed one field too
    // early); the recorder also writes its placeholder over any username a sign-in.failed carries.
    await ctx.emit({
      type: "sign-in.failed",
      run: correlationId,
      clientId: interaction?.clientId,
      http: { request: { method: "POST", url: request.url, body: { password } } },
    });
    return back("invalid_credentials");
  }

  await deleteAttempts(ctx.db, { keys: [userKey], ids: [attempt.ids[1]] });
  const { session, cookie: sessionCookie } = await createSession(ctx, user.id);
  const setCookies = [sessionCookie, ...cookies];
  await ctx.emit({
    type: "sign-in.succeeded",
    run: correlationId,
    clientId: interaction?.clientId,
    userId: user.id,
    http: {
      request: { method: "POST", url: request.url, body: { username: user.username, password } },
      response: { status: 303, headers: { "set-cookie": sessionCookie } },
    },
  });
  if (!interaction) return seeOther(`${ctx.config.issuer}${wanted}`, setCookies);

  const scopes = splitScope(interaction.scope);
  const askConsent = interaction.prompt?.split(" ").includes("consent") || !(await hasConsent(ctx, user.id, interaction.clientId, scopes));
  if (!askConsent) {
    if (!(await consumeInteraction(ctx, interaction.id))) return expiredPage();
    return seeOther(await issueCode(ctx, interaction, { id: user.id, authTime: session.authTime }), setCookies);
  }
  await updateInteraction(ctx.db, interaction.id, { sessionId: session.id, userId: user.id, authTime: session.authTime });
  return seeOther(`${ctx.config.issuer}/consent?interaction=${interaction.id}`, setCookies);
}

/** One interaction completes once (no double submit). */
const consumeInteraction = (ctx: Context, id: string) => deleteLiveInteraction(ctx.db, id, ctx.now);

export type ConsentView =
  | { ok: false }
  | {
      ok: true;
      interactionId: string;
      clientName: string;
      clientId: string;
      redirectUri: string;
      /** RFC 9700 §4.11.2: a client that registered itself is named by nobody but itself; the page says so. */
      selfRegistered: boolean;
      /** The origin the user will be sent to, which a name cannot disguise. */
      destination: string;
      scopes: { scope: Scope; description: string }[];
      csrfToken: string;
    };

/**
 * What the consent page shows: the client's name and each scope in plain words. Only the session that
 * signed in may see it; a fresh CSRF token is issued (its hash stored on the interaction).
 */
export async function consentView(ctx: Context, interactionId: string | undefined, sessionToken: string | undefined): Promise<ConsentView> {
  const interaction = await findInteraction(ctx, interactionId);
  if (!interaction?.sessionId) return { ok: false };
  const session = await findSession(ctx, sessionToken);
  if (!session || session.id !== interaction.sessionId) return { ok: false };
  const client = await findClient(ctx.db, interaction.clientId);
  if (!client) return { ok: false };
  const csrfToken = randomToken();
  await updateInteraction(ctx.db, interaction.id, { csrfHash: hashToken(csrfToken) });
  return {
    ok: true,
    interactionId: interaction.id,
    clientName: client.name,
    clientId: client.id,
    redirectUri: interaction.redirectUri,
    selfRegistered: client.selfRegistered,
    destination: new URL(interaction.redirectUri).origin,
    scopes: splitScope(interaction.scope).map((s) => ({ scope: s as Scope, description: SCOPES[s as Scope] })),
    csrfToken,
  };
}

/** POST /consent/submit: Allow issues the code; Deny sends access_denied (RFC 6749 §4.1.2.1). */
export async function handleConsent(request: Request, ctx: Context): Promise<Response> {
  const form = await readUserForm(request);
  if (!form || !sameOrigin(ctx, request)) return errorPage(400, "invalid_request", "The consent form was not sent from this site.");
  const interaction = await findInteraction(ctx, form.get("interaction"));
  if (!interaction?.sessionId || !interaction.userId || !interaction.authTime) return expiredPage();
  const session = await findSession(ctx, getCookie(request, sessionCookieName(ctx)));
  const csrf = form.get("csrf") ?? "";
  if (
    !session ||
    session.id !== interaction.sessionId ||
    !interaction.csrfHash ||
    !constantTimeEqual(hashToken(csrf), interaction.csrfHash)
  ) {
    return errorPage(
      403,
      "access_denied",
      "The consent form could not be verified (CSRF check failed). Go back to the application and start again.",
    );
  }
  if (!(await consumeInteraction(ctx, interaction.id))) return expiredPage();

  const decision = form.get("decision");
  const subject = { run: interaction.correlationId, clientId: interaction.clientId, userId: interaction.userId };
  if (decision !== "allow") {
    await ctx.emit({ type: "consent.denied", ...subject });
    return seeOther(errorRedirect(ctx, interaction.redirectUri, interaction.state, "access_denied", "The user denied the request."));
  }
  await rememberConsent(ctx, interaction.userId, interaction.clientId, splitScope(interaction.scope));
  await ctx.emit({ type: "consent.granted", ...subject, scope: interaction.scope });
  return seeOther(await issueCode(ctx, interaction, { id: interaction.userId, authTime: interaction.authTime }));
}
