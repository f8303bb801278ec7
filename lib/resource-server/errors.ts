import type { ValidationStep } from "../oauth/api-checks";
import { OAuthError, type OAuthErrorCode } from "../oauth/errors";

/**
 * RFC 6750 §3.1: why the protected API refused a request. The RFC error code and status come from
 * OAuthError; `check` names what refused it, for the flow event and the lab: one of the API's checks
 * (validation-checks.ts), a finer name that check lists for its refusals, or none of them (the
 * resource's own refusals of a bad request or an unknown user, and a server error).
 */
export type Check =
  | ValidationStep
  | "token-present"
  | "authorization-header"
  | "token-in-query"
  | "token-in-body"
  | "jwt"
  | "alg"
  | "nbf"
  | "user"
  | "request"
  | "authorization-server"
  | "server";

export class ApiRefusal extends OAuthError {
  /** The flow the refused token belongs to, when the refusal found out (a revoked token's row says it). */
  readonly correlationId?: string;
  constructor(
    readonly check: Check,
    code: OAuthErrorCode,
    description: string,
    options: { status?: number; correlationId?: string; headers?: Record<string, string> } = {},
  ) {
    super(code, description, { status: options.status, headers: options.headers });
    this.correlationId = options.correlationId;
  }
}

export const invalidToken = (check: Check, description: string, correlationId?: string) =>
  new ApiRefusal(check, "invalid_token", description, { correlationId });
export const invalidRequest = (check: Check, description: string, status?: number) =>
  new ApiRefusal(check, "invalid_request", description, { status });

/** The authorization server (its metadata, JWKS or introspection endpoint) could not be reached: 503, not the token's fault. */
export class AuthorizationServerUnavailable extends ApiRefusal {
  constructor(what: string, options: { cause?: unknown } = {}) {
    super("authorization-server", "temporarily_unavailable", `The authorization server's ${what} could not be fetched; try again shortly.`);
    if (options.cause) this.cause = options.cause;
  }
}

/** RFC 6750 §3.1: no authentication information at all, answered with a bare challenge and no error code. */
export class NoAccessToken extends ApiRefusal {
  constructor() {
    super("token-present", "invalid_request", "No access token was sent.", { status: 401 });
  }
}
