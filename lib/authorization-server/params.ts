import { BodyTooLarge, mediaType, readBody } from "../http";
import { OAuthError } from "../oauth/errors";

/** Request parameters, one value each. */
export type Params = ReadonlyMap<string, string>;

const MAX_VALUE_LENGTH = 4096;
const MAX_FORM_BYTES = 64 * 1024;

/**
 * RFC 6749 §3.1 and §3.2: parameters sent without a value are treated as omitted, and a parameter
 * must not be included more than once. Oversized values are refused before any work is done.
 */
export function paramsFrom(search: URLSearchParams, redirectable = true): Params {
  const params = new Map<string, string>();
  for (const [name, value] of search) {
    if (value === "") continue;
    if (params.has(name)) throw new OAuthError("invalid_request", `The ${name} parameter is repeated.`, { redirectable });
    if (value.length > MAX_VALUE_LENGTH) throw new OAuthError("invalid_request", `The ${name} parameter is too long.`, { redirectable });
    params.set(name, value);
  }
  return params;
}

/** RFC 6749 §4.1.3: the token, revocation and introspection endpoints take an urlencoded form body. */
export async function readForm(request: Request): Promise<Params> {
  if (request.method !== "POST") throw new OAuthError("invalid_request", "Use POST.", { status: 405, headers: { Allow: "POST" } });
  if (mediaType(request) !== "application/x-www-form-urlencoded") {
    throw new OAuthError("invalid_request", "The body must be application/x-www-form-urlencoded.");
  }
  return paramsFrom(new URLSearchParams(await readFormBody(request)));
}

/** The body of a form post, at most 64 KiB (413 beyond, before more is read). */
export async function readFormBody(request: Request, redirectable = true): Promise<string> {
  try {
    return await readBody(request, MAX_FORM_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLarge)
      throw new OAuthError("invalid_request", "The request body is too large.", { status: 413, redirectable });
    throw error;
  }
}

/** A required parameter, or invalid_request naming it. */
export function required(params: Params, name: string): string {
  const value = params.get(name);
  if (value === undefined) throw new OAuthError("invalid_request", `The ${name} parameter is required.`);
  return value;
}
