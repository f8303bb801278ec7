import { expect, obtainTokens, test } from "../support/fixtures";
import { postOversized } from "../support/oversized";

/**
 * Bodies are read only up to their limit, everywhere (issue 12 item 5): a POST that announces 50 MB
 * (or sends chunks without a length) and never finishes is answered at once with 413, by every kind of
 * endpoint that reads a body: the OAuth endpoints (a JSON error), the protected API, the HTML forms,
 * Auth.js's routes, test mode's JSON routes and the server actions.
 */

const FORM = { "Content-Type": "application/x-www-form-urlencoded" };
const JSON_BODY = { "Content-Type": "application/json" };

const oauthEndpoints: [string, Record<string, string>, string][] = [
  ["/oauth/token", FORM, "invalid_request"],
  ["/oauth/revoke", FORM, "invalid_request"],
  ["/oauth/introspect", FORM, "invalid_request"],
  ["/oauth/register", JSON_BODY, "invalid_client_metadata"],
  // With a valid token, so that the body is what is refused (an invalid one is refused before any of it is read).
  ["/api/notes", JSON_BODY, "invalid_request"],
  ["/api/auth/signin/authcode-lab", FORM, "invalid_request"],
  ["/api/test/clock", JSON_BODY, "invalid_request"],
];

for (const chunked of [false, true]) {
  const how = chunked ? "chunked, with no length" : "a 50 MB Content-Length";
  for (const [path, headers, error] of oauthEndpoints) {
    test(`${path}: ${how} -> 413 at once, with a JSON error`, async ({ as, issuer }) => {
      const bearer: Record<string, string> =
        path === "/api/notes"
          ? { Authorization: `Bearer ${(await obtainTokens(as, "walkthrough", { scope: "openid notes:write" })).tokens.access_token}` }
          : {};
      const answer = await postOversized(`${issuer}${path}`, { ...headers, ...bearer, Origin: issuer }, { chunked });
      expect(answer.status).toBe(413);
      expect(answer.contentType).toContain("application/json");
      expect(JSON.parse(answer.body)).toMatchObject({ error });
      expect(answer.ms).toBeLessThan(5_000);
    });
  }

  for (const path of ["/oauth/authorize", "/login/submit", "/consent/submit", "/walkthrough/action"]) {
    test(`the form ${path}: ${how} -> 413 at once`, async ({ issuer }) => {
      const answer = await postOversized(`${issuer}${path}`, { ...FORM, Origin: issuer, "Sec-Fetch-Site": "same-origin" }, { chunked });
      expect(answer.status).toBe(413);
      expect(answer.body).not.toMatch(/at .*\.js:\d+/); // no stack trace
      expect(answer.ms).toBeLessThan(5_000);
    });
  }

  test(`endpoints that never read a body answer at once: ${how}`, async ({ as, issuer }) => {
    const { access_token } = (await obtainTokens(as, "walkthrough")).tokens;
    for (const [path, headers] of [
      ["/oauth/userinfo", { ...FORM, Authorization: `Bearer ${access_token}` }],
      ["/logout/submit", FORM],
      ["/app/sign-in", FORM],
    ] as [string, Record<string, string>][]) {
      const answer = await postOversized(`${issuer}${path}`, { ...headers, Origin: issuer, "Sec-Fetch-Site": "same-origin" }, { chunked });
      expect(answer.status, path).toBeLessThan(500);
      expect(answer.ms, path).toBeLessThan(5_000);
    }
  });

  for (const headers of [{}, { "Next-Action": "0".repeat(42) }] as Record<string, string>[]) {
    test(`a server action (/clients/new${"Next-Action" in headers ? ", Next-Action" : ""}): ${how} -> ${chunked ? 411 : 413} at once, not a 500`, async ({
      issuer,
    }) => {
      const answer = await postOversized(
        `${issuer}/clients/new`,
        { "Content-Type": "multipart/form-data; boundary=x", Origin: issuer, ...headers },
        { chunked },
      );
      // Browsers always declare a form's length; without one the proxy does not wait to count it.
      expect(answer.status).toBe(chunked ? 411 : 413);
      expect(answer.ms).toBeLessThan(5_000);
    });
  }
}
