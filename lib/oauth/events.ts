import type { HttpExchange } from "../events";

/**
 * What happens in a run, in the protocol's words. The servers emit these through their context
 * (`ctx.emit`); one recorder (lib/event-recorder.ts) maps each to its step of the seven, its role, its
 * name and its redaction, and stores it as a flow event. The grants and checks say what happened, not
 * how it is logged.
 */

/** Who and what an event concerns: the run (its correlation id), the client and user when known, and the HTTP exchange shown. */
type Subject = {
  run: string;
  clientId?: string | null;
  userId?: string | null;
  http?: HttpExchange;
};

/** An OAuth error, as events carry it (RFC 6749 §5.2). */
type Refusal = { error: string; description: string };

/**
 * How an access token was issued or presented (RFC 9449): `DPoP` with the thumbprint of the key it is
 * bound to (public: a hash of a public key), or `Bearer`. Never the proof itself nor its signature.
 */
type Binding = { tokenType: "Bearer" | "DPoP"; jkt: string | null };

/** Marks of the lab's or the self-check's run, recorded on its first event (lib/run-origin.ts). */
type Marks = Record<string, unknown>;

type Events = {
  // Step 1: the authorization request (RFC 6749 §4.1.1), pushed first if the client uses PAR (RFC 9126).
  "authorization.pushed": { scope: string; expiresInSeconds: number; marks: Marks };
  "authorization.push-refused": Refusal & { marks: Marks };
  "authorization.accepted": { scope: string; prompt: string[]; pushed: boolean; marks: Marks };
  "authorization.refused": Refusal & { redirected: boolean; marks: Marks };
  // Step 2: the user signs in and consents.
  "sign-in.limited": object;
  "sign-in.failed": object;
  "sign-in.succeeded": object;
  "consent.denied": object;
  "consent.granted": { scope: string };
  // Step 3: the authorization response (RFC 6749 §4.1.2).
  "code.issued": { scope: string; lifetimeSeconds: number };
  // Step 4: the token request (RFC 6749 §4.1.3).
  "client.authentication-failed": object;
  "code.refused": Refusal;
  "code.foreign": object;
  "code.expired": object;
  "code.spent-without-proof": Refusal;
  "code.replayed": object;
  "code.accepted-despite-check": object;
  // RFC 9449 §5: the token request's DPoP proof refused (invalid_dpop_proof, or use_dpop_nonce: send the server's nonce).
  "dpop.refused": Refusal;
  // Step 5: the token response (RFC 6749 §5.1).
  "tokens.issued": { scope: string; accessTokenLifetimeSeconds: number; refreshToken: boolean; idToken: boolean } & Binding;
  // Step 7: refresh (RFC 6749 §6), revocation (RFC 7009), UserInfo.
  "refresh.rotated": { scope: string } & Binding;
  // RFC 9449 §5: a DPoP-bound refresh token presented without a proof of its key.
  "refresh.refused": Refusal;
  "refresh.retried": { reuseIntervalSeconds: number };
  "refresh.reused": object;
  "refresh.expired": object;
  "refresh.accepted-despite-rotation": object;
  "grant.revoked": object;
  "token.revoked": { jti: string };
  "userinfo.served": object;
  // The user revokes a client's access on their grants page: the consent and every grant of that client.
  "access.revoked-by-user": { grants: number; accessTokens: number; refreshTokens: number };
  // The instructor ends a run's code or access token now (the authorization server acting on its own).
  "run.expired": { codes: number; accessTokens: number };
  // Steps 6 and 7 at the resource server (RFC 6750): the call, then the validation's outcome.
  "api.called": { resource: string; scopeRequired: string; withToken: boolean };
  "api.served": { resource: string; status: number; checks: unknown; revocationCheck: string } & Partial<Binding>;
  "api.refused": { check: string; description: string; checks: unknown; revocationCheck: string } & Partial<Binding>;
};

export type DomainEventType = keyof Events;
export type DomainEvent = { [T in DomainEventType]: { type: T } & Subject & Events[T] }[DomainEventType];
export type EventOf<T extends DomainEventType> = Extract<DomainEvent, { type: T }>;

/** Records an event; resolves once it is stored (recording never fails the flow itself). */
export type EmitEvent = (event: DomainEvent) => Promise<void>;
