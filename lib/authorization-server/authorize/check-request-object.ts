import { OAuthError } from "../../oauth/errors";
import type { Params } from "../params";

/** OpenID Connect Core §6: request objects (`request`, `request_uri`) are not supported, so a request carrying one is refused. */
export function checkRequestObject(params: Params): void {
  if (params.has("request") || params.has("request_uri")) {
    throw new OAuthError("invalid_request", "Request objects are not supported.");
  }
}
