import { hashToken, randomToken } from "../crypto";
import { DEMO_CLIENTS, labWeakenedClient } from "../demo";
import { BodyTooLarge, clientIp, readBody } from "../http";
import { epochSeconds, type Context } from "../oauth/context";
import { errorResponse, OAuthError } from "../oauth/errors";
import { ALL_SCOPES, type Scope, type TokenEndpointAuthMethod } from "../oauth/vocabulary";
import { countAttempt } from "../rate-limit";
import { insertClient } from "../records/client";

/**
 * RFC 7591: dynamic client registration, open (no initial access token, §3) since this is a workshop
 * server; rate-limited per IP address instead. The browser page `/clients/new` registers through the
 * same `registerClient`.
 */

const AUTH_METHODS: readonly TokenEndpointAuthMethod[] = ["client_secret_basic", "client_secret_post", "none"];
const GRANT_TYPES = ["authorization_code", "refresh_token"] as const;
type GrantType = (typeof GRANT_TYPES)[number];

/** A client that does not say which scopes it wants gets these: everything but writing notes (least privilege). */
export const DEFAULT_REGISTERED_SCOPES: readonly Scope[] = ["openid", "profile", "email", "offline_access", "notes:read"];

export const MAX_REDIRECT_URIS = 10;
const MAX_BODY_BYTES = 16 * 1024;
const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);
/** The parameters the authorization response appends to the redirect URI (RFC 6749 §4.1.2, §4.1.2.1, RFC 9207). */
const RESPONSE_PARAMETERS = ["code", "state", "iss", "error"] as const;

/** The metadata this server accepts and stores (RFC 7591 §2), after validation and defaults. */
export type ClientMetadata = {
  client_name: string;
  redirect_uris: string[];
  token_endpoint_auth_method: TokenEndpointAuthMethod;
  grant_types: GrantType[];
  response_types: ["code"];
  scope: string;
  /** RFC 9126 §6: its authorization requests must be pushed. */
  require_pushed_authorization_requests: boolean;
  /** RFC 9449 §5.2: every token request of this client must carry a DPoP proof, so its access tokens are always bound. */
  dpop_bound_access_tokens: boolean;
};

/** The registration response (RFC 7591 §3.2.1): the client's identifiers and what was registered. */
export type ClientInformation = ClientMetadata & {
  client_id: string;
  client_id_issued_at: number;
  /** Only for confidential clients; shown once, stored as SHA-256 only. */
  client_secret?: string;
  client_secret_expires_at?: 0;
};

const invalidMetadata = (description: string) => new OAuthError("invalid_client_metadata", description, { redirectable: false });
const invalidRedirectUri = (description: string) => new OAuthError("invalid_redirect_uri", description, { redirectable: false });

/**
 * RFC 7591 §2 with RFC 9700 §4.1 and RFC 8252 §7.3: a redirect URI is absolute, has no fragment
 * (RFC 6749 §3.1.2), no credentials in its authority, and is https, or plain http on a loopback host only.
 * `javascript:` and `data:` are neither. It is stored exactly as given and compared by exact string later.
 */
export function checkRegisteredRedirectUri(value: unknown): string {
  if (typeof value !== "string" || value.length === 0) throw invalidRedirectUri("Each redirect URI must be a non-empty string.");
  if (value.length > 2000) throw invalidRedirectUri("A redirect URI may have at most 2000 characters.");
  // Spaces and control characters would be silently dropped or escaped by URL parsers: refuse them.
  if (/[\s\x00-\x1f\x7f]/.test(value))
    throw invalidRedirectUri(`The redirect URI ${JSON.stringify(value)} contains whitespace or control characters.`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidRedirectUri(`The redirect URI ${JSON.stringify(value)} is not an absolute URL (RFC 6749 §3.1.2).`);
  }
  if (value.includes("#")) throw invalidRedirectUri(`The redirect URI ${value} has a fragment; it must not (RFC 6749 §3.1.2).`);
  // What the user reads is where the browser goes: `https://evil.example\@127.0.0.1/cb` shows a local
  // host but parses as evil.example; the parser's own serialization is the only honest form.
  if (url.href !== value)
    throw invalidRedirectUri(
      `The redirect URI ${value.slice(0, 100)} is not in its normal form (${url.href.slice(0, 100)}); register exactly that.`,
    );
  // RFC 6749 §4.1.2 and RFC 9207 §2: the response adds code, state, iss or error; each must appear once.
  const taken = RESPONSE_PARAMETERS.filter((name) => url.searchParams.has(name));
  if (taken.length > 0)
    throw invalidRedirectUri(
      `The redirect URI ${value.slice(0, 100)} already carries ${taken.join(", ")} in its query; the authorization response adds those.`,
    );
  if (url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname))) {
    if (url.username || url.password)
      throw invalidRedirectUri(`The redirect URI ${value} has credentials in its authority ('@'); it must not.`);
    return value;
  }
  if (url.protocol === "http:") {
    throw invalidRedirectUri(
      `The redirect URI ${value} uses plain http on a host other than localhost, 127.0.0.1 or [::1]; use https (RFC 9700 §2.6).`,
    );
  }
  throw invalidRedirectUri(
    `The redirect URI ${value.slice(0, 100)} uses the scheme ${url.protocol}; only https (or http on a loopback host) is allowed.`,
  );
}

/** A name as a reader compares it: compatibility forms folded, spaces collapsed, case ignored. */
const comparableName = (name: string) => name.normalize("NFKC").replace(/\s+/g, " ").trim().toLowerCase();
/** The seeded clients' names: a self-registered client cannot pass for one of them on the consent page. */
const SEEDED_NAMES = new Set([...DEMO_CLIENTS(""), labWeakenedClient("")].map((c) => comparableName(c.name)));

/** An optional array of strings in the body; undefined when absent. */
function stringArray(body: Record<string, unknown>, name: string): string[] | undefined {
  const value = body[name];
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) throw invalidMetadata(`${name} must be an array of strings.`);
  return value as string[];
}

/**
 * Validates a registration request's metadata (RFC 7591 §2) and fills in defaults. Metadata this server
 * does not know is ignored, as §2 requires; known metadata with a value it cannot honour is refused.
 */
export function validateClientMetadata(body: unknown): ClientMetadata {
  if (!body || typeof body !== "object" || Array.isArray(body)) throw invalidMetadata("The request body must be a JSON object.");
  const b = body as Record<string, unknown>;

  const name = b.client_name;
  if (typeof name !== "string" || name.trim().length === 0)
    throw invalidMetadata("client_name is required: a name the user will see on the consent page.");
  const clientName = name.trim();
  if (clientName.length > 100) throw invalidMetadata("client_name may have at most 100 characters.");
  if (/[\x00-\x1f\x7f]/.test(clientName)) throw invalidMetadata("client_name must not contain control characters.");
  // Bidirectional overrides (U+202E) and other invisible format characters make a name read as another.
  if (/\p{Cf}/u.test(clientName)) throw invalidMetadata("client_name must not contain invisible formatting characters (such as U+202E).");
  if (SEEDED_NAMES.has(comparableName(clientName)))
    throw invalidMetadata("client_name is the name of one of this server's own clients; choose another.");

  const uris = b.redirect_uris;
  if (!Array.isArray(uris) || uris.length === 0)
    throw invalidRedirectUri("redirect_uris is required: an array of one or more redirect URIs.");
  if (uris.length > MAX_REDIRECT_URIS) throw invalidMetadata(`At most ${MAX_REDIRECT_URIS} redirect URIs may be registered.`);
  const redirectUris = [...new Set(uris.map(checkRegisteredRedirectUri))];

  const method = b.token_endpoint_auth_method ?? "client_secret_basic";
  if (typeof method !== "string" || !AUTH_METHODS.includes(method as TokenEndpointAuthMethod)) {
    throw invalidMetadata(`token_endpoint_auth_method must be one of ${AUTH_METHODS.join(", ")}.`);
  }

  const grants = stringArray(b, "grant_types") ?? [...GRANT_TYPES];
  for (const g of grants)
    if (!(GRANT_TYPES as readonly string[]).includes(g))
      throw invalidMetadata(`The grant type ${g} is not supported; use authorization_code and refresh_token.`);
  if (!grants.includes("authorization_code"))
    throw invalidMetadata("grant_types must include authorization_code: it is the only grant that starts a flow here.");
  const grantTypes = GRANT_TYPES.filter((g) => grants.includes(g));

  const responses = stringArray(b, "response_types") ?? ["code"];
  if (responses.length !== 1 || responses[0] !== "code")
    throw invalidMetadata('response_types must be ["code"]: the authorization code grant is the only one this server supports.');

  const refreshAllowed = grantTypes.includes("refresh_token");
  let scopes: Scope[];
  if (b.scope === undefined) {
    scopes = DEFAULT_REGISTERED_SCOPES.filter((s) => refreshAllowed || s !== "offline_access");
  } else {
    if (typeof b.scope !== "string") throw invalidMetadata("scope must be a space-separated string.");
    const wanted = new Set(b.scope.split(" ").filter(Boolean));
    if (wanted.size === 0) throw invalidMetadata("scope must name at least one scope.");
    for (const s of wanted)
      if (!(ALL_SCOPES as string[]).includes(s))
        throw invalidMetadata(`The scope ${s.slice(0, 64)} is unknown; known scopes: ${ALL_SCOPES.join(" ")}.`);
    // Refresh tokens are issued only for offline_access, so the scope needs the refresh_token grant.
    if (wanted.has("offline_access") && !refreshAllowed)
      throw invalidMetadata("The scope offline_access needs the refresh_token grant type.");
    scopes = ALL_SCOPES.filter((s) => wanted.has(s));
  }

  const requirePar = b.require_pushed_authorization_requests ?? false;
  if (typeof requirePar !== "boolean") throw invalidMetadata("require_pushed_authorization_requests must be true or false.");
  const dpopBound = b.dpop_bound_access_tokens ?? false;
  if (typeof dpopBound !== "boolean") throw invalidMetadata("dpop_bound_access_tokens must be true or false (RFC 9449 §5.2).");

  return {
    client_name: clientName,
    redirect_uris: redirectUris,
    token_endpoint_auth_method: method as TokenEndpointAuthMethod,
    grant_types: grantTypes,
    response_types: ["code"],
    scope: scopes.join(" "),
    require_pushed_authorization_requests: requirePar,
    dpop_bound_access_tokens: dpopBound,
  };
}

const registrationKey = (ip: string) => `register:ip:${ip}`;
/** Every registration also counts here: a room (or an attacker) with many addresses still has a ceiling. */
const ALL_REGISTRATIONS_KEY = "register:all";

/**
 * Registers a client: validates its metadata, checks the per-IP and overall limits, stores it (the
 * secret only as its SHA-256) and returns the client information, with the secret, this once.
 * @see RFC 7591 §3.2.1
 */
export async function registerClient(ctx: Context, body: unknown, ip: string): Promise<ClientInformation> {
  const metadata = validateClientMetadata(body);
  await countRegistration(ctx, ip);

  const clientId = randomToken(18);
  const secret = metadata.token_endpoint_auth_method === "none" ? undefined : randomToken(32);
  await insertClient(ctx.db, {
    id: clientId,
    name: metadata.client_name,
    secretHash: secret === undefined ? null : hashToken(secret),
    tokenEndpointAuthMethod: metadata.token_endpoint_auth_method,
    redirectUris: JSON.stringify(metadata.redirect_uris),
    allowedScopes: metadata.scope,
    selfRegistered: true,
    requirePar: metadata.require_pushed_authorization_requests,
    dpopBound: metadata.dpop_bound_access_tokens,
    createdAt: ctx.now,
  });
  return {
    client_id: clientId,
    client_id_issued_at: epochSeconds(ctx.now),
    ...(secret === undefined ? {} : { client_secret: secret, client_secret_expires_at: 0 as const }),
    ...metadata,
  };
}

/**
 * The attempt is recorded before it is counted (lib/rate-limit.ts, as sign-in does): of parallel
 * requests, each sees at least the ones recorded before it, so no more than the limit can pass.
 */
async function countRegistration(ctx: Context, ip: string): Promise<void> {
  const perIp = { key: registrationKey(ip), max: ctx.config.registrationMaxPerWindow };
  const { reached } = await countAttempt(
    ctx,
    [perIp, { key: ALL_REGISTRATIONS_KEY, max: ctx.config.registrationMaxTotalPerWindow }],
    ctx.config.registrationWindow,
  );
  if (reached) {
    const whose = reached === perIp ? "from this address" : "on this server";
    throw new OAuthError("temporarily_unavailable", `Too many client registrations ${whose}; wait a few minutes and try again.`, {
      status: 429,
      redirectable: false,
      headers: { "Retry-After": String(ctx.config.registrationWindow) },
    });
  }
}

async function readJson(request: Request): Promise<unknown> {
  const type = request.headers.get("content-type")?.split(";")[0].trim().toLowerCase();
  if (type !== "application/json")
    throw invalidMetadata("The registration request must be JSON (Content-Type: application/json), RFC 7591 §3.1.");
  let text: string;
  try {
    text = await readBody(request, MAX_BODY_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLarge)
      throw new OAuthError("invalid_client_metadata", `The registration request is larger than ${MAX_BODY_BYTES} bytes.`, {
        status: 413,
        redirectable: false,
      });
    throw error;
  }
  try {
    return JSON.parse(text);
  } catch {
    throw invalidMetadata("The registration request is not valid JSON.");
  }
}

/** POST /oauth/register: 201 with the client information, or a JSON error (RFC 7591 §3.2). Never cached. */
export async function handleRegistration(request: Request, ctx: Context): Promise<Response> {
  try {
    const information = await registerClient(ctx, await readJson(request), clientIp(request.headers, ctx.config.trustProxyHops));
    return Response.json(information, { status: 201, headers: { "Cache-Control": "no-store", Pragma: "no-cache" } });
  } catch (error) {
    return errorResponse(error);
  }
}

/** What the browser page /clients/new sends: a name, redirect URIs one per line, confidential or public. */
export type RegistrationFormFields = { name: string; redirectUris: string; kind: "confidential" | "public" };

export type RegistrationFormResult =
  | { ok: true; client: ClientInformation }
  | { ok: false; error: string; description: string; fields: RegistrationFormFields };

/**
 * A form post must come from this server's own page: Sec-Fetch-Site where the browser sends it, Origin
 * otherwise (as the login form checks). Next.js checks the Origin of server actions too.
 */
export function fromSameOrigin(headers: Headers, issuer: string): boolean {
  const site = headers.get("sec-fetch-site");
  if (site !== null) return site === "same-origin";
  const origin = headers.get("origin");
  return origin === null || origin === new URL(issuer).origin;
}

/**
 * The page's registration: the same `registerClient` as `/oauth/register`. A confidential client gets
 * `client_secret_post`, the method the walkthrough uses; a public client `none`.
 */
export async function registerFromForm(
  ctx: Context,
  headers: Headers,
  form: { get(name: string): unknown },
): Promise<RegistrationFormResult> {
  const text = (name: string) => {
    const v = form.get(name);
    return typeof v === "string" ? v : "";
  };
  const fields: RegistrationFormFields = {
    name: text("client_name").slice(0, 200),
    redirectUris: text("redirect_uris").slice(0, 25_000),
    kind: text("kind") === "public" ? "public" : "confidential",
  };
  if (!fromSameOrigin(headers, ctx.config.issuer)) {
    return { ok: false, error: "invalid_request", description: "The registration form was not sent from this site.", fields };
  }
  const body = {
    client_name: fields.name,
    redirect_uris: fields.redirectUris
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter(Boolean),
    token_endpoint_auth_method: fields.kind === "public" ? "none" : "client_secret_post",
  };
  try {
    return { ok: true, client: await registerClient(ctx, body, clientIp(headers, ctx.config.trustProxyHops)) };
  } catch (error) {
    if (!(error instanceof OAuthError)) throw error;
    return { ok: false, error: error.code, description: error.description, fields };
  }
}
