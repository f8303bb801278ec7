import * as oauth from "oauth4webapi";
import { expect, obtainTokens, test } from "../support/fixtures";
import { demoClient, httpOptions, introspect } from "../support/oauth";

/**
 * RFC 7009 §2.1: the server "verifies whether the token was issued to the client making the revocation
 * request. If this validation fails, the request is refused": another client's token is refused with
 * an error (§2.2.1) and stays valid, whether it is an access token or a refresh token.
 */
test("revoking another client's token is refused with unauthorized_client, and the token stays valid", async ({ as }) => {
  const { tokens } = await obtainTokens(as, "nextauth-demo", { scope: "openid offline_access notes:read" });
  const other = demoClient("walkthrough", as.issuer);
  for (const [token, hint] of [
    [tokens.access_token, "access_token"],
    [tokens.refresh_token!, "refresh_token"],
    [tokens.access_token, undefined],
  ] as const) {
    const response = await oauth.revocationRequest(as, other.client, other.auth, token, {
      ...httpOptions(),
      ...(hint ? { additionalParameters: { token_type_hint: hint } } : {}),
    });
    expect(response.status).toBe(400);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toMatchObject({ error: "unauthorized_client" });
  }
  expect(await introspect(as, tokens.access_token)).toMatchObject({ active: true });
  expect(await introspect(as, tokens.refresh_token!)).toMatchObject({ active: true });

  // Its own client revokes it, and an unknown token is still answered 200 (§2.2).
  const own = demoClient("nextauth-demo", as.issuer);
  for (const token of [tokens.refresh_token!, "not-a-token"]) {
    await oauth.processRevocationResponse(await oauth.revocationRequest(as, own.client, own.auth, token, httpOptions()));
  }
  expect(await introspect(as, tokens.access_token)).toEqual({ active: false });
});
