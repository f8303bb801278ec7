import { authorize, expect, obtainTokens, test } from "../support/fixtures";
import { introspect, oauthError } from "../support/oauth";

/**
 * One-time use (RFC 6749 §4.1.2, §10.5; RFC 9700 §4.5.3, §4.14.2): a code is redeemed once, and a
 * second redemption revokes what the first produced; a rotated refresh token presented again revokes
 * its whole family. Both hold under concurrency.
 */

test("code replay: the second redemption fails and revokes the tokens of the first", async ({ as }) => {
  const { backchannel, params, pending, tokens } = await obtainTokens(as, "walkthrough");
  expect(await introspect(as, tokens.access_token)).toMatchObject({ active: true });

  const replay = await oauthError(backchannel.exchange(params, pending));
  expect(replay).toMatchObject({ error: "invalid_grant", status: 400 });

  expect(await introspect(as, tokens.access_token)).toEqual({ active: false });
  expect(await introspect(as, tokens.refresh_token!)).toEqual({ active: false });
  const userinfo = await backchannel.userinfoRaw(tokens.access_token);
  expect(userinfo.status).toBe(401);
  expect(userinfo.headers.get("www-authenticate")).toMatch(/^Bearer .*error="invalid_token"/);
  expect(await oauthError(backchannel.refresh(tokens.refresh_token!))).toMatchObject({ error: "invalid_grant", status: 400 });
});

test("a replay without the code's proof (wrong code_verifier, redirect_uri) is refused and revokes nothing", async ({ as }) => {
  const { backchannel, params, pending, tokens } = await obtainTokens(as, "public-demo");
  const wrongVerifier = await backchannel.exchangeRaw(params, pending.redirectUri, "x".repeat(43));
  const wrongRedirect = await backchannel.exchangeRaw(params, "http://127.0.0.1:8976/callback", pending.codeVerifier);
  for (const response of [wrongVerifier, wrongRedirect]) {
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: "invalid_grant" });
  }
  expect(await introspect(as, tokens.access_token)).toMatchObject({ active: true });
  const rotated = await backchannel.refresh(tokens.refresh_token!);
  expect(rotated.access_token).toBeTruthy();
});

test("code replay by a public client revokes its tokens too", async ({ as }) => {
  const { backchannel, params, pending, tokens } = await obtainTokens(as, "public-demo");
  expect(await oauthError(backchannel.exchange(params, pending))).toMatchObject({ error: "invalid_grant" });
  expect(await introspect(as, tokens.access_token)).toEqual({ active: false });
  expect(await oauthError(backchannel.refresh(tokens.refresh_token!))).toMatchObject({ error: "invalid_grant" });
});

test("refresh-token reuse after rotation revokes the whole family", async ({ as }) => {
  const { backchannel, tokens } = await obtainTokens(as, "nextauth-demo");
  const rotated = await backchannel.refresh(tokens.refresh_token!);
  expect(rotated.refresh_token).not.toBe(tokens.refresh_token);
  expect(await introspect(as, rotated.access_token)).toMatchObject({ active: true });

  // The old refresh token comes back: one of its two holders is an attacker.
  expect(await oauthError(backchannel.refresh(tokens.refresh_token!))).toMatchObject({ error: "invalid_grant", status: 400 });

  // The legitimate holder's new refresh token and access token are revoked as well.
  expect(await oauthError(backchannel.refresh(rotated.refresh_token!))).toMatchObject({ error: "invalid_grant", status: 400 });
  expect(await introspect(as, rotated.access_token)).toEqual({ active: false });
  expect(await introspect(as, tokens.access_token)).toEqual({ active: false });
  expect((await backchannel.userinfoRaw(rotated.access_token)).status).toBe(401);
});

test("a refresh token used by another client -> invalid_grant, and it stays usable by its own client", async ({ as }) => {
  const mine = await obtainTokens(as, "walkthrough");
  const other = await authorize(as, "public-demo");
  expect(await oauthError(other.backchannel.refresh(mine.tokens.refresh_token!))).toMatchObject({ error: "invalid_grant", status: 400 });
  const rotated = await mine.backchannel.refresh(mine.tokens.refresh_token!);
  expect(rotated.access_token).toBeTruthy();
});

test("20 parallel redemptions of one code: exactly one succeeds", async ({ as }) => {
  const { backchannel, params, pending } = await authorize(as, "walkthrough").then((flow) => ({
    ...flow,
    params: flow.backchannel.callback(flow.callback, flow.pending.state),
  }));
  const responses = await Promise.all(
    Array.from({ length: 20 }, () => backchannel.exchangeRaw(params, pending.redirectUri, pending.codeVerifier)),
  );
  const statuses = responses.map((r) => r.status);
  expect(statuses.filter((s) => s === 200)).toHaveLength(1);
  expect(statuses.filter((s) => s === 400)).toHaveLength(19);
  const errors = await Promise.all(
    responses.filter((r) => r.status !== 200).map(async (r) => ((await r.json()) as { error: string }).error),
  );
  expect(new Set(errors)).toEqual(new Set(["invalid_grant"]));

  // The 19 failures were replays: what the one success produced is revoked.
  const winner = (await responses.find((r) => r.status === 200)!.json()) as { access_token: string; refresh_token: string };
  expect(await introspect(as, winner.access_token)).toEqual({ active: false });
  expect(await oauthError(backchannel.refresh(winner.refresh_token))).toMatchObject({ error: "invalid_grant" });
});

test("20 parallel refreshes with one refresh token: at most one succeeds, and the family ends revoked", async ({ as }) => {
  const { backchannel, tokens } = await obtainTokens(as, "nextauth-demo");
  const responses = await Promise.all(Array.from({ length: 20 }, () => backchannel.refreshRaw(tokens.refresh_token!)));
  const successes = responses.filter((r) => r.status === 200);
  // Reuse is detected whichever request wins the rotation; the server may refuse the winner too.
  expect(successes.length).toBeLessThanOrEqual(1);
  const errors = await Promise.all(
    responses.filter((r) => r.status !== 200).map(async (r) => [r.status, ((await r.json()) as { error: string }).error]),
  );
  expect(errors).toEqual(Array(20 - successes.length).fill([400, "invalid_grant"]));

  expect(await introspect(as, tokens.access_token)).toEqual({ active: false });
  if (successes.length === 1) {
    const winner = (await successes[0].json()) as { access_token: string; refresh_token: string };
    expect(await introspect(as, winner.access_token)).toEqual({ active: false });
    expect(await oauthError(backchannel.refresh(winner.refresh_token))).toMatchObject({ error: "invalid_grant" });
  }
});
