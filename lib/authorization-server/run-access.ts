import { createHash } from "node:crypto";
import { correlationIdFor } from "../events";
import { bearerCredentials, mediaType } from "../http";
import { verifyOwnAccessToken } from "./access-token";
import { refuseBoundAsBearer } from "../oauth/dpop";
import { authenticateClient } from "./client-auth";
import type { Context } from "../oauth/context";
import { invalidClient, OAuthError } from "../oauth/errors";
import { paramsFrom, readFormBody, type Params } from "./params";

const CORRELATION_ID = /^[A-Za-z0-9_-]{16,24}$/;
/** RFC 7636 §4.1: 43 to 128 characters of the unreserved set. */
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
/** Credentials that never belong in a URL (RFC 6749 §2.3.1, RFC 6750 §2.3): a URL is logged, cached and shown. */
const NEVER_IN_A_URL = ["client_secret", "code_verifier", "access_token"];

/**
 * Who may read a run, and how much of it. `clientId`: only that client's part of the run (a reader that
 * proved to be a client sees no other client's events or records made with the same challenge);
 * undefined: the whole run. `identity`: whether the user's identity may be shown whatever the run's
 * state (only to the instructor; a client sees it once the run's code was redeemed, flow-events.ts).
 */
export type RunReader = { correlationId: string; clientId?: string; identity: boolean; params: Params };

/** How the app outside the authorization server vouches for a reader: the instructor's session (workshop mode). */
export type RunAccessOptions = { isInstructor?: (request: Request) => Promise<boolean> };

/**
 * Proof that the reader of GET or POST /api/flow-events and /api/flow-state belongs to the run. The
 * correlation id alone is not one: it is derived from the code_challenge, which the browser carries.
 * Accepted, in this order:
 * - one of the run's bearer access tokens (`Authorization: Bearer`, RFC 6750 §2.1; a DPoP-bound one is
 *   refused, RFC 9449 §7.1): its client's part of the run;
 * - the client's authentication, as at the token endpoint (client_secret_basic or client_secret_post,
 *   RFC 6749 §2.3.1), with `correlation`: that client's part of the run;
 * - the run's `code_verifier` (RFC 7636 §4.1; its S256 hash is the run's challenge), in a POST body:
 *   a public client's proof, and the walkthrough's and lab's, which hold it on their server;
 * - the instructor's session, in workshop mode, with `correlation`: the whole run.
 * Anything else is refused with 401 invalid_client (RFC 6749 §5.2) or invalid_token (RFC 6750 §3.1).
 */
export async function readerOfRun(request: Request, ctx: Context, options: RunAccessOptions = {}): Promise<RunReader> {
  const query = new URL(request.url).searchParams;
  for (const name of NEVER_IN_A_URL) {
    if (query.has(name)) throw new OAuthError("invalid_request", `Never put ${name} in a URL: send it in a POST body.`);
  }
  const params = await readParams(request, query);
  const asked = params.get("correlation");
  if (asked !== undefined && !CORRELATION_ID.test(asked)) throw new OAuthError("invalid_request", "correlation is not a run's id.");
  const required = () => {
    if (asked === undefined) throw new OAuthError("invalid_request", "Name the run: correlation=<id>.");
    return asked;
  };
  /** A proof that names its own run: the run asked for, if any, must be that one. */
  const matching = (correlationId: string, refusal: OAuthError) => {
    if (asked !== undefined && asked !== correlationId) throw refusal;
    return correlationId;
  };

  const authorization = request.headers.get("authorization");
  const token = bearerCredentials(authorization);
  if (token === null) throw new OAuthError("invalid_request", "The Authorization header must be: Bearer <token>.");
  if (token !== undefined) {
    const { claims, correlationId } = await verifyOwnAccessToken(ctx, token);
    // The run readers take bearer tokens only: a DPoP-bound one is refused, as at the API.
    refuseBoundAsBearer(claims.cnf?.jkt);
    const refusal = new OAuthError("invalid_token", "The access token belongs to another run.");
    return { correlationId: matching(correlationId, refusal), clientId: claims.client_id, identity: false, params };
  }
  if (authorization !== null || params.has("client_secret")) {
    const client = await authenticateClient(ctx, request, params);
    return { correlationId: required(), clientId: client.id, identity: false, params };
  }
  const verifier = params.get("code_verifier");
  if (verifier !== undefined) {
    if (!VERIFIER.test(verifier)) throw refused("code_verifier is malformed (RFC 7636 §4.1).");
    const correlationId = correlationIdFor(createHash("sha256").update(verifier, "ascii").digest("base64url"));
    return { correlationId: matching(correlationId, refused("code_verifier is not this run's.")), identity: false, params };
  }
  if (options.isInstructor && (await options.isInstructor(request))) {
    return { correlationId: required(), identity: true, params };
  }
  throw refused("Prove that you belong to the run: an access token of the run, the client's authentication, or the run's code_verifier.");
}

/** A refusal without client credentials: a 401 still names a way to authenticate (RFC 9110 §15.5.2), the client's Basic. */
const refused = (description: string) => invalidClient(description, true);

/** GET: the query; POST: an urlencoded form body, where secrets may go. */
async function readParams(request: Request, query: URLSearchParams): Promise<Params> {
  if (request.method === "GET" || request.method === "HEAD") return paramsFrom(query);
  if (request.method !== "POST")
    throw new OAuthError("invalid_request", "Use GET or POST.", { status: 405, headers: { Allow: "GET, POST" } });
  if (mediaType(request) !== "application/x-www-form-urlencoded")
    throw new OAuthError("invalid_request", "The body must be application/x-www-form-urlencoded.");
  return paramsFrom(new URLSearchParams(await readFormBody(request)));
}
