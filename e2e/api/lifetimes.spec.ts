import * as oauth from "oauth4webapi";
import { authorize, expect, obtainTokens, test } from "../support/fixtures";
import { discover, introspect, oauthError } from "../support/oauth";
import { useServer } from "../support/server";

/**
 * Lifetimes, on servers of their own started with one-second lifetimes: an expired code is refused
 * (RFC 6749 §4.1.2: codes are short-lived), an expired access token is refused at UserInfo
 * (RFC 6750 §3.1) while the refresh token still works (RFC 6749 §6).
 */

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test.describe("CODE_TTL_SECONDS=1", () => {
  test.describe.configure({ mode: "serial" });
  const server = useServer({ CODE_TTL_SECONDS: "1" });

  test("a code redeemed after it expired -> invalid_grant", async () => {
    const as = await discover(server().baseURL);

    // Control: on this server a code redeemed at once still works.
    const fresh = await obtainTokens(as, "walkthrough");
    expect(fresh.tokens.access_token).toBeTruthy();

    const late = await authorize(as, "walkthrough");
    const params = late.backchannel.callback(late.callback, late.pending.state);
    await sleep(2_000);
    const error = await oauthError(late.backchannel.exchange(params, late.pending));
    expect(error).toMatchObject({ error: "invalid_grant", status: 400 });
    expect(error.response.headers.get("cache-control")).toContain("no-store");
  });
});

test.describe("ACCESS_TOKEN_TTL_SECONDS=1", () => {
  test.describe.configure({ mode: "serial" });
  const server = useServer({ ACCESS_TOKEN_TTL_SECONDS: "1" });

  test("an expired access token -> 401 invalid_token at UserInfo; the refresh token still works", async () => {
    const as = await discover(server().baseURL);
    const { backchannel, tokens } = await obtainTokens(as, "public-demo");
    expect(tokens.expires_in).toBe(1);
    const sub = oauth.getValidatedIdTokenClaims(tokens)!.sub;

    await sleep(2_000);
    const response = await backchannel.userinfoRaw(tokens.access_token);
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toMatch(/^Bearer .*error="invalid_token"/);
    const error = await oauthError(oauth.processUserInfoResponse(as, backchannel.client.client, sub, response));
    expect(error).toMatchObject({ error: "invalid_token", status: 401 });
    expect(await introspect(as, tokens.access_token)).toEqual({ active: false });

    const refreshed = await backchannel.refresh(tokens.refresh_token!);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    expect(refreshed.expires_in).toBe(1);
    expect(oauth.getValidatedIdTokenClaims(refreshed)?.sub ?? sub).toBe(sub);
  });
});
