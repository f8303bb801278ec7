import { newAuthorizationRequestValues, randomValue, type AuthorizationRequestValues } from "../../client/core/authorization-request";
import { authorizationUrl, pushedAuthorizationUrl } from "../../client/core/authorization-url";
import { pushedAuthorizationRequest, readPushedResponse } from "../../client/core/pushed-request";
import {
  checkAuthorizationResponse,
  checkIssuer,
  checkState,
  readAuthorizationResponse,
  type CallbackVerdict,
  type Check,
} from "../../client/core/callback";
import { discover, type ServerMetadata } from "../../client/core/discovery";
import { newDpopKey, sendWithDpop, type DpopKey } from "../../client/core/dpop";
import { authorizationCodeRequest, refreshTokenRequest, readTokenResponse, type TokenSet } from "../../client/core/token-request";
import { hiddenInput, LabAgent, type Answer, type Fetch } from "./http";
import type { Weakness } from "./weakened";

/**
 * The lab's client: the client's protocol modules that the walkthrough runs too (lib/client/core/:
 * authorization request values, URL, callback checks, token requests), driven by the lab's user agent
 * against the real server. Nothing here is new protocol code; it only strings the steps together without a page.
 */

export type LabClient = { id: string; secret: string; redirectUri: string; auth: "client_secret_post" | "client_secret_basic" | "none" };

/** The credentials of a client's token requests: a public client (auth none) sends its client_id only (RFC 6749 §2.1, §3.2.1). */
const credentialsOf = (client: LabClient) => ({ clientId: client.id, ...(client.auth === "none" ? {} : { clientSecret: client.secret }) });

export type LabEnv = {
  /** The authorization server (config.client.issuer). */
  issuer: string;
  /** Base URL of the protected API. */
  resourceServerUrl: string;
  /** The confidential client the lab plays (the walkthrough's registration). */
  client: LabClient;
  /** A second registered client, for the "code redeemed by another client" attack. */
  otherClient: LabClient;
  /** The seeded public client (PKCE, no secret), for the stolen refresh token card. */
  publicClient: LabClient;
  /** A seeded demo user; the lab never sends a wrong password (the login rate limit stays untouched). */
  user: { username: string; password: string };
  /** Another seeded user: the attacker's own account (the CSRF card). */
  attacker?: { username: string; password: string };
  /**
   * LAB MODE only: the weaknesses in force for `client` (lib/workshop/lab/weakened.ts `weaknessesOf`); set only
   * when the lab plays the weakened lab client. The client-side ones are honoured in checkCallback.
   */
  weaknesses?: ReadonlySet<Weakness>;
  /** LAB MODE only: the weakened copy of the API (/lab/weakened/api). */
  weakenedApi?: string;
  fetch?: Fetch;
};

export const LAB_SCOPE = ["openid", "profile", "email", "offline_access", "notes:read"] as const;

export class LabStepError extends Error {
  override name = "LabStepError";
}

/** A new lab session: its own user agent (cookie jar) and the server's metadata. */
export async function openSession(env: LabEnv): Promise<{ agent: LabAgent; metadata: ServerMetadata }> {
  const agent = new LabAgent(new URL(env.issuer).origin, env.fetch);
  const metadata = await discover(env.issuer, env.fetch);
  return { agent, metadata };
}

export type Pending = AuthorizationRequestValues & { url: URL; client: LabClient };

/** Step 1: the authorization request (RFC 6749 §4.1.1 with PKCE S256, state and nonce). */
export async function newAuthorization(
  metadata: ServerMetadata,
  client: LabClient,
  overrides: Record<string, string | null> = {},
): Promise<Pending> {
  const values = await newAuthorizationRequestValues();
  const url = new URL(
    authorizationUrl(metadata.authorization_endpoint, {
      clientId: client.id,
      redirectUri: client.redirectUri,
      scopes: LAB_SCOPE,
      state: values.state,
      nonce: values.nonce,
      codeChallenge: values.codeChallenge,
    }),
  );
  for (const [name, value] of Object.entries(overrides)) {
    if (value === null) url.searchParams.delete(name);
    else url.searchParams.set(name, value);
  }
  return { ...values, url, client };
}

const isPage = (url: URL, issuer: string, path: string) => url.origin === new URL(issuer).origin && url.pathname === path;

/**
 * Steps 1-3 in the front channel: sends the browser to the authorization endpoint, signs in and
 * consents through the real forms when asked, and returns the authorization response (the redirect
 * to the client's redirect URI, not followed).
 */
export async function authorize(env: LabEnv, agent: LabAgent, pending: Pending): Promise<URL> {
  const first = await agent.send("Browser → authorization endpoint (step 1)", { url: pending.url, browser: true });
  const next = await completeAuthorization(env, agent, first);
  if (`${next.origin}${next.pathname}` !== pending.client.redirectUri)
    throw new LabStepError(`The browser was sent to ${next.origin}${next.pathname}, not to the redirect URI.`);
  return next;
}

/** After the authorization endpoint redirected: sign in and consent when asked; returns where the response goes. */
export async function completeAuthorization(env: LabEnv, agent: LabAgent, first: Answer): Promise<URL> {
  if (first.status !== 302 || !first.location)
    throw new LabStepError(`The authorization endpoint answered ${first.status}, not a redirect.`);
  let next = first.location;
  if (isPage(next, env.issuer, "/login")) next = await signIn(env, agent, next);
  if (isPage(next, env.issuer, "/consent")) next = await allow(env, agent, next);
  return next;
}

async function signIn(env: LabEnv, agent: LabAgent, loginUrl: URL): Promise<URL> {
  const page = await agent.send("Login page", { url: loginUrl, browser: true, quiet: true });
  const interaction = hiddenInput(page.text, "interaction");
  if (page.status !== 200 || !interaction) throw new LabStepError(`The login page answered ${page.status} without a form.`);
  const answer = await agent.send(`Browser signs in as ${env.user.username} (step 2)`, {
    url: new URL("/login/submit", env.issuer),
    form: { interaction, username: env.user.username, password: env.user.password },
    browser: true,
  });
  if (answer.status !== 303 || !answer.location) throw new LabStepError(`Signing in as ${env.user.username} failed (${answer.status}).`);
  return answer.location;
}

async function allow(env: LabEnv, agent: LabAgent, consentUrl: URL): Promise<URL> {
  const page = await agent.send("Consent page", { url: consentUrl, browser: true, quiet: true });
  const interaction = hiddenInput(page.text, "interaction");
  const csrf = hiddenInput(page.text, "csrf");
  if (page.status !== 200 || !interaction || !csrf) throw new LabStepError(`The consent page answered ${page.status} without a form.`);
  const answer = await agent.send("Browser allows access (step 2)", {
    url: new URL("/consent/submit", env.issuer),
    form: { interaction, csrf, decision: "allow" },
    browser: true,
  });
  if (answer.status !== 303 || !answer.location) throw new LabStepError(`Consent failed (${answer.status}).`);
  return answer.location;
}

/**
 * Step 3 at the client: the walkthrough's callback checks (iss, state, one of each, a code). Playing the
 * weakened lab client (LAB MODE), it leaves out the checks that client skips, and returns them as
 * `skipped` with what they would have said.
 */
export function checkCallback(
  env: LabEnv,
  callback: URL,
  state: string,
  issRequired = true,
): { verdict: CallbackVerdict; code: string | null; skipped: Check[] } {
  const expected = { state, issuer: env.issuer, issRequired };
  const skips = { iss: !!env.weaknesses?.has("iss-unchecked"), state: !!env.weaknesses?.has("state-unchecked") };
  if (!skips.iss && !skips.state) {
    const { response, verdict } = checkAuthorizationResponse(callback.searchParams, expected);
    return { verdict, code: response.code, skipped: [] };
  }
  const { response, repeated } = readAuthorizationResponse(callback.searchParams);
  const iss = checkIssuer(response.iss, expected);
  const stateCheck = checkState(response.state, expected);
  const checks = [...(skips.iss ? [] : [iss]), ...(skips.state ? [] : [stateCheck])];
  const skipped = [...(skips.iss ? [iss] : []), ...(skips.state ? [stateCheck] : [])];
  const failed = checks.find((c) => !c.pass) ?? (repeated.length ? { name: "each parameter once" } : undefined);
  if (failed) return { verdict: { outcome: "refused", checks, reason: `${failed.name}: failed` }, code: response.code, skipped };
  if (response.error !== null) return { verdict: { outcome: "error", checks }, code: null, skipped };
  if (response.code === null) return { verdict: { outcome: "refused", checks, reason: "no code" }, code: null, skipped };
  return { verdict: { outcome: "code", checks }, code: response.code, skipped };
}

/** Steps 1-3: a fresh code, checked as the client checks it. */
export async function obtainCode(
  env: LabEnv,
  agent: LabAgent,
  metadata: ServerMetadata,
  client = env.client,
): Promise<{ pending: Pending; code: string; callback: URL }> {
  const pending = await newAuthorization(metadata, client);
  const callback = await authorize(env, agent, pending);
  const { verdict, code } = checkCallback(env, callback, pending.state, metadata.authorization_response_iss_parameter_supported === true);
  if (verdict.outcome !== "code" || !code) throw new LabStepError(`The authorization response was not a code (${verdict.outcome}).`);
  return { pending, code, callback };
}

/**
 * Step 1 with PAR (RFC 9126 §2): the request is pushed from the client's server, authenticated as at the
 * token endpoint, and the browser's link carries only client_id and the request_uri it got.
 */
export async function pushAuthorization(agent: LabAgent, metadata: ServerMetadata, client: LabClient, label: string): Promise<Pending> {
  const endpoint = metadata.pushed_authorization_request_endpoint;
  if (!endpoint) throw new LabStepError("The authorization server's metadata names no pushed_authorization_request_endpoint.");
  const values = await newAuthorizationRequestValues();
  const request = pushedAuthorizationRequest(
    endpoint,
    {
      clientId: client.id,
      redirectUri: client.redirectUri,
      scopes: LAB_SCOPE,
      state: values.state,
      nonce: values.nonce,
      codeChallenge: values.codeChallenge,
    },
    credentialsOf(client),
  );
  const { url, form, headers } = withClientAuth(request, client);
  const answer = await agent.send(label, { method: "POST", url, form: form ?? {}, headers });
  const pushed = readPushedResponse(answer.status, answer.body);
  if (!pushed.ok) throw new LabStepError(`The push was refused: ${pushed.error} ${pushed.description ?? ""}`);
  return { ...values, url: new URL(pushedAuthorizationUrl(metadata.authorization_endpoint, client.id, pushed.requestUri)), client };
}

/** The client's own authentication at the token endpoint (RFC 6749 §2.3.1). */
function withClientAuth(
  request: { url: string; form?: Record<string, string> },
  client: LabClient,
): { url: string; form?: Record<string, string>; headers: Record<string, string> } {
  if (client.auth !== "client_secret_basic") return { url: request.url, form: request.form, headers: {} };
  const form = Object.fromEntries(Object.entries(request.form ?? {}).filter(([name]) => name !== "client_id" && name !== "client_secret"));
  const basic = Buffer.from(`${encodeURIComponent(client.id)}:${encodeURIComponent(client.secret)}`).toString("base64");
  return { url: request.url, form, headers: { Authorization: `Basic ${basic}` } };
}

export type TokenAnswer = Answer & { tokens?: TokenSet; error?: string; description?: string };

/** Step 4: the code exchange (RFC 6749 §4.1.3), with whatever verifier the caller chooses to send. */
export async function redeem(
  agent: LabAgent,
  metadata: ServerMetadata,
  label: string,
  input: { code: string; codeVerifier?: string; client: LabClient; redirectUri?: string; dpop?: LabDpop },
): Promise<TokenAnswer> {
  const request = authorizationCodeRequest(
    metadata.token_endpoint,
    {
      code: input.code,
      redirectUri: input.redirectUri ?? input.client.redirectUri,
      codeVerifier: input.codeVerifier ?? "",
    },
    credentialsOf(input.client),
  );
  if (input.codeVerifier === undefined) delete request.form!.code_verifier;
  return tokenCall(agent, label, withClientAuth(request, input.client), input.dpop);
}

/** RFC 6749 §6: the refresh token grant. */
export async function refresh(
  agent: LabAgent,
  metadata: ServerMetadata,
  label: string,
  refreshToken: string,
  client: LabClient,
  dpop?: LabDpop,
): Promise<TokenAnswer> {
  return tokenCall(
    agent,
    label,
    withClientAuth(refreshTokenRequest(metadata.token_endpoint, refreshToken, credentialsOf(client)), client),
    dpop,
  );
}

async function tokenCall(
  agent: LabAgent,
  label: string,
  request: { url: string; form?: Record<string, string>; headers: Record<string, string> },
  dpop?: LabDpop,
): Promise<TokenAnswer> {
  const send = { method: "POST" as const, url: request.url, form: request.form ?? {}, headers: request.headers };
  const answer = dpop ? await sendWithProof(agent, label, send, dpop) : await agent.send(label, send);
  const result = readTokenResponse(answer.status, answer.body, new Date(), dpop ? "DPoP" : "Bearer");
  return result.ok
    ? { ...answer, tokens: result.tokens }
    : { ...answer, error: result.error, ...(result.description ? { description: result.description } : {}) };
}

/** Step 6: a call to the protected API with a bearer token (RFC 6750 §2.1), or a DPoP-bound one with its proof (RFC 9449 §7.1). */
export function callApi(
  env: LabEnv,
  agent: LabAgent,
  label: string,
  token: string,
  url = `${env.resourceServerUrl}/api/me`,
  dpop?: LabDpop,
): Promise<Answer & { proof?: string }> {
  if (dpop) return sendWithProof(agent, label, { url, headers: { Authorization: `DPoP ${token}` } }, dpop, token);
  return agent.send(label, { url, headers: { Authorization: `Bearer ${token}` } });
}

/** RFC 9449: a DPoP key the lab's client (or its attacker) holds, and the nonce each server last asked for, by origin. */
export type LabDpop = { key: DpopKey; nonces: Record<string, string> };

export const newLabDpop = async (): Promise<LabDpop> => ({ key: await newDpopKey(), nonces: {} });

/**
 * Sends a request with a fresh proof of `dpop`'s key (RFC 9449 §4.2), carrying the server's nonce when it
 * has asked for one; asked for a nonce (§8, §9), once more with it. Returns the last answer and its proof.
 */
export async function sendWithProof(
  agent: LabAgent,
  label: string,
  request: { method?: "GET" | "POST"; url: string; form?: Record<string, string>; headers?: Record<string, string> },
  dpop: LabDpop,
  accessToken?: string,
): Promise<Answer & { proof: string }> {
  const method = request.method ?? (request.form ? "POST" : "GET");
  return sendWithDpop(
    dpop.key,
    dpop.nonces,
    { method, url: request.url, accessToken },
    () => new Date(),
    async (proof, retry) => ({
      ...(await agent.send(`${label}${retry ? " (again, with the server's nonce)" : ""}`, {
        ...request,
        method,
        headers: { ...request.headers, DPoP: proof },
      })),
      proof,
    }),
  );
}

/** A code_verifier that is well formed but not this code's (RFC 7636 §4.1). */
export const otherVerifier = () => randomValue();

/** Steps 1-5: a signed-in session with a fresh set of tokens. */
export async function obtainTokens(
  env: LabEnv,
  agent: LabAgent,
  metadata: ServerMetadata,
  options: { client?: LabClient; dpop?: LabDpop } = {},
): Promise<{ tokens: TokenSet; pending: Pending; code: string }> {
  const client = options.client ?? env.client;
  const { pending, code } = await obtainCode(env, agent, metadata, client);
  const answer = await redeem(agent, metadata, `Client exchanges the code (step 4)${options.dpop ? " with a DPoP proof" : ""}`, {
    code,
    codeVerifier: pending.codeVerifier,
    client,
    ...(options.dpop ? { dpop: options.dpop } : {}),
  });
  if (!answer.tokens) throw new LabStepError(`The code exchange failed: ${answer.error ?? answer.status} ${answer.description ?? ""}`);
  return { tokens: answer.tokens, pending, code };
}
