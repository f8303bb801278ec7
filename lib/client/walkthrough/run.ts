import type { AuthorizationResponse, CallbackVerdict, Check } from "../core/callback";
import type { RecordedExchange } from "../core/recorded-fetch";
import type { DpopKey } from "../core/dpop";
import type { TokenSet } from "../core/token-request";

/**
 * One run of the walkthrough: everything the client keeps between the steps, on its server. The
 * PKCE verifier, the code and the tokens are the client's own credentials; they are never sent to the
 * browser except as the masked previews the page shows (the verifier and the code are shown in full,
 * since the learner is meant to see them and they are spent after step 4).
 */

export type ReceivedCallback = { receivedAt: string; response: AuthorizationResponse; verdict: CallbackVerdict };

export type AttemptKind = "api" | "note" | "refresh" | "revoke" | "replay" | "no-token" | "expired-token";

/** One action of steps 6–7 or a teaching-by-failing button, with every HTTP exchange it made. */
export type Attempt = {
  id: string;
  kind: AttemptKind;
  at: string;
  title: string;
  /** One sentence: what happened and why. */
  summary: string;
  outcome: "ok" | "refused" | "info";
  exchanges: { label: string; exchange: RecordedExchange }[];
  /** Values to compare side by side (old and new refresh token, say), already masked. */
  facts?: { name: string; value: string }[];
};

export type RunData = {
  /**
   * The client this run acts as, when it is not the configured demo client: a participant's own
   * registration. The secret stays here, on the client's server, and is never rendered.
   */
  client?: { clientId: string; clientSecret?: string };
  /** The start form's options: push the authorization request first (RFC 9126). */
  options?: RunOptions;
  scopes: string[];
  prompt: string[];
  state: string;
  nonce: string;
  codeVerifier: string;
  codeChallenge: string;
  /**
   * With DPoP (RFC 9449): the client's key pair, made for this run and kept on its server (the private
   * half is never rendered), and the nonce each server last asked for, by origin.
   */
  dpop?: { key: DpopKey; nonces: Record<string, string> };
  /** Step 1 with PAR: the push as sent and answered, and the request_uri it gave (RFC 9126 §2). */
  pushed?: {
    exchange: RecordedExchange;
    ok: boolean;
    requestUri?: string;
    expiresIn?: number;
    error?: { error: string; description?: string };
  };
  /** When the browser was sent to the authorization server (step 1). */
  sentAt?: string;
  /** The accepted authorization response: a code, or an error the checks allowed to be believed. */
  callback?: ReceivedCallback;
  /** Responses that failed a check (forged state, wrong issuer): shown, never used. */
  refusedCallbacks: ReceivedCallback[];
  /** Step 4 as sent and answered. */
  exchange?: { exchange: RecordedExchange; ok: boolean; error?: { error: string; description?: string } };
  /** The current tokens (replaced by a refresh). */
  tokens?: TokenSet;
  /** The ID token of the code exchange and its validation (step 5). */
  idToken?: string;
  idTokenChecks?: { valid: boolean; checks: Check[] };
  /** The first access token, kept for "Call the API with an expired token". */
  firstAccessToken?: { token: string; expiresAt?: string };
  revokedAt?: string;
  log: Attempt[];
  /** A message for the next page view (a refused action, say). */
  notice?: { kind: "info" | "error"; text: string };
};

/** The scopes ticked for a new run: everything the walkthrough shows (ID token, API, refresh). */
export const DEFAULT_SCOPES = ["openid", "profile", "offline_access", "notes:read"];

/** The most recent attempts a run keeps. */
export const MAX_ATTEMPTS = 40;

/** What a run does beyond the seven steps, chosen on the start form: push the request (RFC 9126), bind the tokens (RFC 9449). */
export type RunOptions = { par: boolean; dpop: boolean };
export const DEFAULT_OPTIONS: RunOptions = { par: false, dpop: false };

export function newRunData(
  values: Pick<RunData, "state" | "nonce" | "codeVerifier" | "codeChallenge">,
  scopes: string[],
  client?: RunData["client"],
  options: RunOptions = DEFAULT_OPTIONS,
  dpopKey?: DpopKey,
): RunData {
  return {
    ...values,
    ...(client ? { client } : {}),
    options,
    ...(dpopKey ? { dpop: { key: dpopKey, nonces: {} } } : {}),
    scopes,
    prompt: [],
    refusedCallbacks: [],
    log: [],
  };
}

export const optionsOf = (data: RunData): RunOptions => ({ ...DEFAULT_OPTIONS, ...data.options });

/**
 * The one step the page marks "You are here" among the current ones: where the newest exchange is shown
 * (the code exchange of step 4, beside the tokens of step 5; the API's answers of step 7, below the call of 6).
 */
export const hereStep = (current: number[]): number => (current.includes(4) ? 4 : current[current.length - 1]);

/** The anchor of an attempt's result on the page, where the page lands after its button. */
export const attemptAnchor = (id: string) => `attempt-${id}`;

/**
 * The next thing to do in a run, for the page's "next" bar: an action of the page (its intent, and words
 * of the bar's own, so that its button is never taken for the step's button of the same action), or,
 * while the browser is at the authorization server, nothing to press.
 */
export type NextStep = { step: number; label: string; intent: string; form?: "authorize" } | { step: number; waiting: string };

export function nextStep(data: RunData): NextStep {
  const done = (kind: AttemptKind) => data.log.some((a) => a.kind === kind);
  const again = { label: "begin a new run", intent: "start" };
  if (!data.callback) {
    return data.sentAt
      ? { step: 2, waiting: "sign in and consent at the authorization server; the browser then comes back here with a code." }
      : { step: 1, label: "send the browser to sign in", intent: "authorize", form: "authorize" };
  }
  if (data.callback.verdict.outcome !== "code") return { step: 3, ...again };
  if (!data.exchange) return { step: 4, label: "exchange the code", intent: "exchange" };
  if (!data.tokens) return { step: 4, ...again };
  if (!done("api") && !done("note")) return { step: 6, label: "call the protected API", intent: "call-api" };
  if (data.revokedAt) return { step: 1, ...again };
  if (data.tokens.refreshToken && !done("refresh")) return { step: 7, label: "refresh the token", intent: "refresh" };
  return { step: 7, label: "revoke the grant", intent: "revoke" };
}

/** The scopes the run's current tokens were granted: the token response's `scope`, or the request's when it says none (RFC 6749 §5.1). */
export const grantedScopes = (data: RunData): string[] => (data.tokens ? (data.tokens.scope?.split(" ") ?? data.scopes) : []);

/** The latest attempt of a kind. */
export const latestAttempt = (data: RunData, kind: AttemptKind): Attempt | undefined => data.log.findLast((a) => a.kind === kind);

/**
 * The steps the run is at, for highlighting: what just happened and where its results are shown.
 * Steps 4 and 5 happen in one round trip, and so do 6 and 7.
 */
export function currentSteps(data: RunData): number[] {
  if (!data.sentAt && !data.callback) return [1];
  if (!data.callback) return [2];
  if (data.callback.verdict.outcome !== "code") return [3];
  if (!data.exchange) return [3];
  if (!data.tokens) return [4];
  if (!data.log.some((a) => ["api", "note", "refresh", "revoke"].includes(a.kind))) return [4, 5];
  return [6, 7];
}
