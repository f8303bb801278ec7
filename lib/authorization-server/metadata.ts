import type { Config } from "../config";
import { GRANT_TYPES } from "./grants";
import { SIGNING_ALG } from "./keys";
import { ALL_SCOPES } from "../oauth/vocabulary";
import { DPOP_ALGORITHMS } from "../oauth/access-token-jwt";

/**
 * RFC 8414 §2 and OpenID Connect Discovery §3: what this server supports, exactly. Both documents are
 * the same; `issuer` equals APP_URL so that clients' exact comparison (RFC 8414 §3.3) succeeds.
 */
export function serverMetadata(config: Config) {
  const at = (path: string) => `${config.issuer}${path}`;
  return {
    issuer: config.issuer,
    authorization_endpoint: at("/oauth/authorize"),
    token_endpoint: at("/oauth/token"),
    jwks_uri: at("/oauth/jwks"),
    userinfo_endpoint: at("/oauth/userinfo"),
    revocation_endpoint: at("/oauth/revoke"),
    introspection_endpoint: at("/oauth/introspect"),
    registration_endpoint: at("/oauth/register"),
    // RFC 9126 §5: pushed authorization requests, and whether every client must use them (REQUIRE_PAR).
    pushed_authorization_request_endpoint: at("/oauth/par"),
    require_pushed_authorization_requests: config.requirePar,
    scopes_supported: ALL_SCOPES,
    response_types_supported: ["code"],
    response_modes_supported: ["query"],
    grant_types_supported: GRANT_TYPES,
    token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "none"],
    revocation_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "none"],
    introspection_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
    code_challenge_methods_supported: ["S256"],
    authorization_response_iss_parameter_supported: true,
    subject_types_supported: ["public"],
    id_token_signing_alg_values_supported: [SIGNING_ALG],
    claims_supported: [
      "sub",
      "iss",
      "aud",
      "exp",
      "iat",
      "auth_time",
      "nonce",
      "at_hash",
      "azp",
      "name",
      "preferred_username",
      "email",
      "email_verified",
    ],
    prompt_values_supported: ["none", "login", "consent"],
    claims_parameter_supported: false,
    request_parameter_supported: false,
    // OpenID Connect Discovery §3: request objects by reference are not fetched; a request_uri is only ever
    // one this server issued at its pushed authorization request endpoint (RFC 9126 §4).
    request_uri_parameter_supported: false,
    // RFC 9449 §5.1: the algorithms a DPoP proof may use.
    dpop_signing_alg_values_supported: DPOP_ALGORITHMS,
  };
}
