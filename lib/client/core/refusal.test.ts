import { describe, expect, it } from "vitest";
import type { RecordedExchange } from "./recorded-fetch";
import { refusalOf } from "./refusal";

const answer = (status: number, headers: Record<string, string> = {}, body?: unknown): RecordedExchange => ({
  startedAt: "2026-01-01T00:00:00.000Z",
  durationMs: 1,
  request: { method: "GET", url: "http://x/api/me", headers: {} },
  response: { status, headers, ...(body === undefined ? {} : { body }) },
});

describe("refusalOf: every refusal the walkthrough shows names its check and its RFC section", () => {
  it("the API's invalid_token, with the description that names the failed check", () => {
    expect(
      refusalOf(
        answer(
          401,
          { "www-authenticate": 'Bearer realm="api", error="invalid_token", error_description="The token has been revoked."' },
          { error: "invalid_token", error_description: "The token has been revoked." },
        ),
      ),
    ).toEqual({ error: "invalid_token", description: "The token has been revoked.", reference: "RFC 6750 §3.1" });
  });

  it("the API's bare challenge: no token was sent", () => {
    expect(refusalOf(answer(401, { "www-authenticate": 'Bearer realm="api"' }))).toMatchObject({
      error: "no access token",
      reference: "RFC 6750 §3.1",
    });
  });

  it("the token endpoint's invalid_grant (RFC 6749 §5.2) and the revocation endpoint's own code (RFC 7009 §2.2.1)", () => {
    expect(
      refusalOf(answer(400, {}, { error: "invalid_grant", error_description: "The authorization code has already been used." })),
    ).toEqual({ error: "invalid_grant", description: "The authorization code has already been used.", reference: "RFC 6749 §5.2" });
    expect(refusalOf(answer(400, {}, { error: "unsupported_token_type" }))).toEqual({
      error: "unsupported_token_type",
      reference: "RFC 7009 §2.2.1",
    });
  });

  it("no refusal in a success or a network error", () => {
    expect(refusalOf(answer(200, {}, { sub: "x" }))).toBeUndefined();
    expect(refusalOf({ ...answer(200), response: undefined, networkError: "ECONNREFUSED" })).toBeUndefined();
  });
});
