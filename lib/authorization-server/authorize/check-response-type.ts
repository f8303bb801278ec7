import { OAuthError } from "../../oauth/errors";

/** RFC 6749 §4.1.1 and §3.1.1: this server supports only `response_type=code` (RFC 9700 §2.1.2: no implicit grant). */
export function checkResponseType(responseType: string | undefined): "code" {
  if (responseType === undefined) throw new OAuthError("invalid_request", "The response_type parameter is required.");
  if (responseType !== "code") throw new OAuthError("unsupported_response_type", "Only response_type=code is supported.");
  return "code";
}

/** RFC 6749 §4.1.2 (OAuth 2.0 Multiple Response Types §2.1): responses go in the query; no other mode is offered. */
export function checkResponseMode(responseMode: string | undefined): void {
  if (responseMode !== undefined && responseMode !== "query") {
    throw new OAuthError("invalid_request", "Only response_mode=query is supported.");
  }
}
