/** The refusal in a server's answer: RFC 6749 §5.2, RFC 6750 §3.1, RFC 7009 §2.2.1. */
import type { RecordedExchange } from "./recorded-fetch";
import { readBearerChallenge } from "./resource-request";

/** Why a server refused one of the client's requests, and the section that defines that answer. */
export type Refusal = { error: string; description?: string; reference: string };

/** RFC 7009 §2.2.1 and RFC 7662 §2.3 reuse RFC 6749 §5.2's codes, except this one. */
const REVOCATION_ONLY = new Set(["unsupported_token_type"]);

/**
 * The refusal in a recorded answer, if there is one: a Bearer challenge from the API (RFC 6750 §3.1,
 * where no error code at all means "no credentials were sent", §2.1) or an error body from the
 * authorization server's back channel (RFC 6749 §5.2). The description is the server's own: this app's
 * servers name the check that failed in it.
 */
export function refusalOf(exchange: RecordedExchange): Refusal | undefined {
  const response = exchange.response;
  if (!response || response.status < 400) return undefined;
  const body = response.body && typeof response.body === "object" ? (response.body as Record<string, unknown>) : {};
  const challenge = readBearerChallenge(response.headers["www-authenticate"]);
  const error = typeof body.error === "string" ? body.error : challenge?.error;
  const description = typeof body.error_description === "string" ? body.error_description : challenge?.error_description;
  if (challenge && !error) {
    return {
      error: "no access token",
      description:
        "No credentials were sent, so the challenge carries no error code: the first check, an access token in the Authorization header, failed.",
      reference: "RFC 6750 §3.1",
    };
  }
  if (!error) return undefined;
  const reference = challenge ? "RFC 6750 §3.1" : REVOCATION_ONLY.has(error) ? "RFC 7009 §2.2.1" : "RFC 6749 §5.2";
  return { error, ...(description ? { description } : {}), reference };
}
