import type { JWTVerifyGetKey } from "jose";
import type { AccessTokenRecords } from "../oauth/access-token-record";
import type { AccessTokenClaims } from "../oauth/access-token-jwt";
import type { Context } from "../oauth/context";
import type { DpopServices } from "../oauth/dpop";

/** RFC 7662 §2.2: the part of an introspection response the API relies on. */
export type IntrospectionResponse = { active: boolean; jti?: string; sub?: string; client_id?: string; scope?: string };

/**
 * What every resource-server operation works with. The key source and the introspection call are
 * arguments, so unit tests verify against a local key set and need no HTTP; `now` is the clock.
 */
export type ResourceServerContext = Context & {
  /** The authorization server's public keys as a jose key resolver (the remote JWKS in the app). */
  keys: JWTVerifyGetKey;
  /** A token's record by jti, through the port of lib/oauth/ (the shared database); used when RS_REVOCATION_CHECK=jti. */
  tokenRecords: AccessTokenRecords;
  /** Asks the authorization server whether a token is active (RFC 7662); used when RS_REVOCATION_CHECK=introspection. */
  introspect: (token: string) => Promise<IntrospectionResponse>;
  /** RFC 9449: the proofs seen and the nonce key, on the shared database (lib/dpop-services.ts). */
  dpop: DpopServices;
};

export type { AccessTokenClaims };

/** Who is calling, once the token has passed every check. */
export type Principal = {
  claims: AccessTokenClaims;
  scopes: string[];
  /** The flow's correlation id (from the token's AccessToken row), or "resource-server" when unknown. */
  correlationId: string;
};

/** What a resource answers, as plain values: the pipeline turns it into a Response and a flow event. */
export type ApiResult = { status: number; body?: unknown; headers?: Record<string, string> };

/** One protected operation: the scope it needs (RFC 6750 §3.1) and what it does for a verified caller. */
export type Resource = {
  name: string;
  scope: string;
  serve(principal: Principal, request: Request, ctx: ResourceServerContext): Promise<ApiResult>;
};
