import { decodeProof, type DecodedProof } from "./dpop";
import { authorizationPreview, secretPreview, tokenPreview } from "./mask";

/**
 * The client's back channel, recorded: every request its server sends (to the authorization server or
 * the API) and the answer, as the learner sees them. Secrets are masked here, once, before a record is
 * stored or shown: the client secret, tokens and bearer credentials. Codes and the PKCE verifier stay
 * readable, since the walkthrough shows them in the browser anyway (they are spent after step 4).
 * @see RFC 6749 Appendix B (form bodies) and §5.2 (error bodies)
 */

export type Fetch = typeof fetch;

export type OutgoingRequest = {
  method: "GET" | "POST";
  url: string;
  headers?: Record<string, string>;
  /** application/x-www-form-urlencoded (RFC 6749 Appendix B). */
  form?: Record<string, string>;
  /** application/json (the API's POST /api/notes). */
  json?: Record<string, string>;
};

export type RecordedExchange = {
  /** When the request left, for ordering it before the server's own events. */
  startedAt: string;
  durationMs: number;
  request: { method: string; url: string; headers: Record<string, string>; body?: Record<string, string> };
  response?: { status: number; headers: Record<string, string>; body?: unknown };
  /** The request never got an answer (connection refused, timeout). */
  networkError?: string;
  /** The request's DPoP proof, decoded for the page (its header shows only masked). RFC 9449 §4.2. */
  dpop?: DecodedProof;
};

export type Received = {
  exchange: RecordedExchange;
  /** 0 on a network error. */
  status: number;
  /** The parsed JSON body, the text, or undefined. Not masked: only the server reads it. */
  body: unknown;
  headers: Headers;
};

const TIMEOUT_MS = 10_000;
const SECRET_FIELDS = new Set(["client_secret"]);
const TOKEN_FIELDS = new Set(["access_token", "refresh_token", "id_token", "token"]);
/** Transport headers that teach nothing here (and `vary`, the framework's caching hints). */
const HIDDEN_RESPONSE_HEADERS = new Set([
  "connection",
  "keep-alive",
  "transfer-encoding",
  "date",
  "content-length",
  "content-encoding",
  "vary",
]);

function maskFields(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(record).map(([name, value]) => {
      if (typeof value !== "string") return [name, value];
      if (SECRET_FIELDS.has(name)) return [name, secretPreview(value)];
      if (TOKEN_FIELDS.has(name)) return [name, tokenPreview(value)];
      return [name, value];
    }),
  );
}

function maskHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [
      name,
      /^(authorization|cookie|set-cookie|dpop)$/i.test(name) ? authorizationPreview(value) : value,
    ]),
  );
}

/** What is stored and shown of a request: its body and headers with secrets masked. */
export function displayedRequest(request: OutgoingRequest): RecordedExchange["request"] {
  const headers = { ...request.headers };
  if (request.form) headers["Content-Type"] = "application/x-www-form-urlencoded";
  if (request.json) headers["Content-Type"] = "application/json";
  const body = request.form ?? request.json;
  return {
    method: request.method,
    url: request.url,
    headers: maskHeaders(headers),
    ...(body ? { body: maskFields(body) as Record<string, string> } : {}),
  };
}

/** Sends one back-channel request (redirects are not followed) and records both sides. */
export async function send(fetchImpl: Fetch, request: OutgoingRequest, clock: () => Date): Promise<Received> {
  const started = clock();
  const headers: Record<string, string> = { Accept: "application/json", ...request.headers };
  let body: string | undefined;
  if (request.form) {
    headers["Content-Type"] = "application/x-www-form-urlencoded";
    body = new URLSearchParams(request.form).toString();
  } else if (request.json) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(request.json);
  }
  const shown = displayedRequest({ ...request, headers });
  const proof = headers.DPoP ? decodeProof(headers.DPoP) : undefined;
  const dpop = proof ? { dpop: proof } : {};
  try {
    const response = await fetchImpl(request.url, {
      method: request.method,
      headers,
      body,
      redirect: "manual",
      cache: "no-store",
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const text = await response.text();
    const type = response.headers.get("content-type") ?? "";
    let parsed: unknown = text === "" ? undefined : text.slice(0, 4000);
    if (text !== "" && /\bjson\b/i.test(type)) {
      try {
        parsed = JSON.parse(text);
      } catch {
        /* keep the text */
      }
    }
    const responseHeaders = Object.fromEntries([...response.headers].filter(([name]) => !HIDDEN_RESPONSE_HEADERS.has(name)));
    const shownBody =
      parsed && typeof parsed === "object" && !Array.isArray(parsed) ? maskFields(parsed as Record<string, unknown>) : parsed;
    return {
      status: response.status,
      body: parsed,
      headers: response.headers,
      exchange: {
        startedAt: started.toISOString(),
        durationMs: clock().getTime() - started.getTime(),
        request: shown,
        ...dpop,
        response: {
          status: response.status,
          headers: maskHeaders(responseHeaders),
          ...(shownBody === undefined ? {} : { body: shownBody }),
        },
      },
    };
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return {
      status: 0,
      body: undefined,
      headers: new Headers(),
      exchange: {
        startedAt: started.toISOString(),
        durationMs: clock().getTime() - started.getTime(),
        request: shown,
        ...dpop,
        networkError: message,
      },
    };
  }
}

/** The RFC 6749 §5.2 / RFC 6750 §3 error of a JSON error body, if it has one. */
export function oauthErrorOf(body: unknown): { error: string; description?: string } | undefined {
  if (!body || typeof body !== "object") return undefined;
  const { error, error_description } = body as Record<string, unknown>;
  if (typeof error !== "string") return undefined;
  return { error, ...(typeof error_description === "string" ? { description: error_description } : {}) };
}
