import { accessTokenCredentials, BodyTooLarge, mediaType, readBody, type PresentedToken } from "../http";
import { invalidRequest } from "./errors";

const MAX_FORM_BYTES = 64 * 1024;

/**
 * RFC 6750 §2.1: the access token comes only from the Authorization header. The other two methods of
 * RFC 6750 (the form body, §2.2, and the query string, §2.3, which leaks into logs and Referer headers)
 * are refused with invalid_request. Returns undefined when the request carries no bearer credentials at
 * all (another scheme counts as none, §3.1), so that the caller answers with a bare challenge. The
 * token comes as `Bearer` or, bound to a key, as `DPoP` (RFC 9449 §7.1).
 */
export async function readBearerToken(request: Request): Promise<PresentedToken | undefined> {
  if (request.url.includes("?") && new URL(request.url).searchParams.has("access_token")) {
    throw invalidRequest(
      "token-in-query",
      "The access token must be sent in the Authorization header, not in the query string (RFC 6750 §2.3 is not supported).",
    );
  }
  if (await formBodyHasToken(request)) {
    throw invalidRequest(
      "token-in-body",
      "The access token must be sent in the Authorization header, not in the request body (RFC 6750 §2.2 is not supported).",
    );
  }
  const token = accessTokenCredentials(request.headers.get("authorization"));
  if (token === null)
    throw invalidRequest(
      "authorization-header",
      "The Authorization header must be: Bearer <token> (RFC 6750 §2.1) or DPoP <token> (RFC 9449 §7.1).",
    );
  return token;
}

async function formBodyHasToken(request: Request): Promise<boolean> {
  if (mediaType(request) !== "application/x-www-form-urlencoded" || !request.body) return false;
  try {
    return new URLSearchParams(await readBody(request.clone(), MAX_FORM_BYTES)).has("access_token");
  } catch (error) {
    if (error instanceof BodyTooLarge) return false; // not a form this API reads
    throw error;
  }
}
