import type { PrismaClient } from "./generated/prisma/client";
import { bodyShape, recordEvent, type FlowEventInput, type HttpExchange, type Role } from "./events";
import type { DomainEvent, DomainEventType, EmitEvent, EventOf } from "./oauth/events";

/**
 * The one recorder of the servers' domain events (lib/oauth/events.ts): each type's step of the seven
 * (the seed), its role, its name as the views show it, its outcome, what of it is kept as detail, and
 * its redaction beyond the general one every event gets (lib/events.ts masks secrets and caps fields).
 */

type Entry<T extends DomainEventType> = {
  /** The authorization server unless said. */
  role?: Role;
  step: number | ((e: EventOf<T>) => number);
  name: string | ((e: EventOf<T>) => string);
  outcome: "ok" | "error" | ((e: EventOf<T>) => "ok" | "error");
  detail?: (e: EventOf<T>) => Record<string, unknown>;
  /** What of the HTTP exchange is kept, when more than the general redaction must go. */
  http?: (http: HttpExchange) => HttpExchange;
};

/** The username typed at a failed sign-in is never stored: the field may hold a password typed one field too early. */
const NOT_STORED = "(not stored: it may be a password)";

/** A response's body as its shape only: the user's data is not kept (an error body stays whole). */
const responseShape = (http: HttpExchange): HttpExchange =>
  http.response ? { ...http, response: { ...http.response, body: bodyShape(http.response.body) } } : http;

const refusal = (e: { error: string; description: string }) => ({ error: e.error, description: e.description });

/** RFC 9449: the token's type and, when DPoP-bound, its key's thumbprint (a hash of a public key; no proof is kept). */
const binding = (e: { tokenType?: string; jkt?: string | null }) =>
  e.tokenType ? { tokenType: e.tokenType, ...(e.jkt ? { jkt: e.jkt } : {}) } : {};

const CATALOG: { [T in DomainEventType]: Entry<T> } = {
  "authorization.pushed": {
    step: 1,
    name: "Authorization request pushed",
    outcome: "ok",
    // The answer to the client's back-channel push (RFC 9126 §2.2), not a message through the browser.
    detail: (e) => ({ from: "authorization-server", to: "client", scope: e.scope, expiresInSeconds: e.expiresInSeconds, ...e.marks }),
  },
  "authorization.push-refused": {
    step: 1,
    name: "Pushed authorization request refused",
    outcome: "error",
    detail: (e) => ({ from: "authorization-server", to: "client", ...refusal(e), ...e.marks }),
  },
  "authorization.accepted": {
    step: 1,
    name: "Authorization request accepted",
    outcome: "ok",
    detail: (e) => ({ scope: e.scope, prompt: e.prompt, codeChallengeMethod: "S256", ...(e.pushed ? { pushed: true } : {}), ...e.marks }),
  },
  "authorization.refused": {
    step: 1,
    name: "Authorization request refused",
    outcome: "error",
    detail: (e) => ({ ...refusal(e), redirected: e.redirected, ...e.marks }),
  },
  "sign-in.limited": { step: 2, name: "Sign-in refused: too many attempts", outcome: "error" },
  "sign-in.failed": {
    step: 2,
    name: "Sign-in failed",
    outcome: "error",
    http: (http) =>
      http.request?.body ? { ...http, request: { ...http.request, body: { ...http.request.body, username: NOT_STORED } } } : http,
  },
  "sign-in.succeeded": { step: 2, name: "User signed in", outcome: "ok" },
  "consent.denied": { step: 2, name: "User denied consent", outcome: "error" },
  "consent.granted": { step: 2, name: "User granted consent", outcome: "ok", detail: (e) => ({ scope: e.scope }) },
  "code.issued": {
    step: 3,
    name: "Authorization response: redirect with a one-time code",
    outcome: "ok",
    // The Location carries the code itself: the general redaction masks it, as every URL's secrets.
    detail: (e) => ({ codeLifetimeSeconds: e.lifetimeSeconds, scope: e.scope }),
  },
  "client.authentication-failed": { step: 4, name: "Client authentication failed", outcome: "error" },
  "code.refused": { step: 4, name: "Code exchange refused", outcome: "error", detail: refusal },
  "code.foreign": { step: 4, name: "Code exchange refused: the code belongs to another client", outcome: "error" },
  "code.expired": { step: 4, name: "Code exchange refused: the code has expired", outcome: "error" },
  "code.spent-without-proof": {
    step: 4,
    name: "Spent code presented without its proof: refused, its tokens stay valid",
    outcome: "error",
    detail: refusal,
  },
  "code.replayed": { step: 4, name: "Code replay detected: the tokens it produced are revoked", outcome: "error" },
  "code.accepted-despite-check": {
    step: 4,
    name: "LAB MODE: the weakened lab client's code accepted despite a failed check",
    outcome: "ok",
  },
  "dpop.refused": {
    step: 4,
    // use_dpop_nonce is the first answer to a proof without the server's nonce: the client retries with it.
    name: (e) =>
      e.error === "use_dpop_nonce"
        ? "Token request answered with the server's DPoP nonce: retry with it"
        : "Token request refused: its DPoP proof",
    outcome: "error",
    detail: refusal,
  },
  "tokens.issued": {
    step: 5,
    name: "Tokens issued for the code",
    outcome: "ok",
    detail: (e) => ({
      scope: e.scope,
      accessTokenLifetimeSeconds: e.accessTokenLifetimeSeconds,
      refreshToken: e.refreshToken,
      idToken: e.idToken,
      ...binding(e),
    }),
  },
  "refresh.rotated": {
    step: 7,
    name: "Refresh token rotated, new access token issued",
    outcome: "ok",
    detail: (e) => ({ scope: e.scope, ...binding(e) }),
  },
  "refresh.refused": {
    step: 7,
    name: "Refresh refused: the refresh token is bound to another DPoP key",
    outcome: "error",
    detail: refusal,
  },
  "refresh.retried": {
    step: 7,
    name: "Refresh retried within the reuse interval: its unreceived successor is revoked, a fresh pair issued",
    outcome: "ok",
    detail: (e) => ({ reuseIntervalSeconds: e.reuseIntervalSeconds }),
  },
  "refresh.reused": { step: 7, name: "Refresh token reuse detected: the whole family is revoked", outcome: "error" },
  "refresh.expired": { step: 7, name: "Refresh refused: the refresh token has expired", outcome: "error" },
  "refresh.accepted-despite-rotation": {
    step: 7,
    name: "LAB MODE: the weakened lab client's rotated refresh token accepted again",
    outcome: "ok",
  },
  "grant.revoked": { step: 7, name: "Refresh token revoked with its grant", outcome: "ok" },
  "token.revoked": { step: 7, name: "Access token revoked", outcome: "ok", detail: (e) => ({ jti: e.jti }) },
  "userinfo.served": { step: 7, name: "UserInfo served", outcome: "ok", http: responseShape },
  "access.revoked-by-user": {
    step: 7,
    name: "The user revoked this application's access on their grants page: consent forgotten, every grant revoked",
    outcome: "ok",
    // Counts only, across every grant of the user and client: no token, no hash.
    detail: (e) => ({ grantsRevoked: e.grants, accessTokensRevoked: e.accessTokens, refreshTokensRevoked: e.refreshTokens }),
  },
  "run.expired": {
    step: (e) => (e.accessTokens ? 5 : 3),
    name: (e) =>
      `The instructor expired this run's ${[e.codes ? "authorization code" : "", e.accessTokens ? "access token" : ""].filter(Boolean).join(" and ")} now`,
    outcome: "ok",
    // Drawn as the authorization server acting on its own (no message goes anywhere).
    detail: (e) => ({
      from: "authorization-server",
      to: "authorization-server",
      codesExpired: e.codes,
      accessTokensExpired: e.accessTokens,
    }),
  },
  // The resource server's (lib/resource-server/protected-resource.ts); the Authorization header is masked by the general redaction.
  "api.called": {
    role: "resource-server",
    step: 6,
    name: (e) => (e.withToken ? "Client called the API with an access token" : "Client called the API without an access token"),
    outcome: "ok",
    detail: (e) => ({ resource: e.resource, scopeRequired: e.scopeRequired }),
  },
  "api.served": {
    role: "resource-server",
    step: 7,
    name: (e) => `Resource server validated the token and served: ${e.resource}`,
    outcome: (e) => (e.status < 400 ? "ok" : "error"),
    detail: (e) => ({ check: "passed", revocationCheck: e.revocationCheck, checks: e.checks, ...binding(e) }),
    http: responseShape,
  },
  "api.refused": {
    role: "resource-server",
    step: 7,
    name: (e) => `Resource server refused the request (${e.check})`,
    outcome: "error",
    detail: (e) => ({ check: e.check, description: e.description, revocationCheck: e.revocationCheck, checks: e.checks, ...binding(e) }),
    http: responseShape,
  },
};

function entryOf<T extends DomainEventType>(type: T): Entry<T> {
  return CATALOG[type] as Entry<T>;
}

/** The stored name of an event type, for the queries that look events up by name (flow-state's causes, a redeemed run). */
export function eventName(type: DomainEventType): string {
  const name = entryOf(type).name;
  if (typeof name !== "string") throw new Error(`the name of ${type} depends on the event`);
  return name;
}

/** The flow event a domain event is stored as. */
export function flowEventOf<T extends DomainEventType>(event: EventOf<T>): FlowEventInput {
  const entry = entryOf<T>(event.type as T);
  return {
    correlationId: event.run,
    role: entry.role ?? "authorization-server",
    step: typeof entry.step === "number" ? entry.step : entry.step(event),
    name: typeof entry.name === "string" ? entry.name : entry.name(event),
    outcome: typeof entry.outcome === "string" ? entry.outcome : entry.outcome(event),
    clientId: event.clientId,
    userId: event.userId,
    ...(event.http ? { http: entry.http ? entry.http(event.http) : event.http } : {}),
    ...(entry.detail ? { detail: entry.detail(event) } : {}),
  };
}

/** The context's `emit` on a database. */
export const eventRecorder =
  (db: PrismaClient): EmitEvent =>
  (event: DomainEvent) =>
    recordEvent(db, flowEventOf(event));
