import { randomBytes } from "node:crypto";
import { authorize, expect, obtainTokens, test } from "../support/fixtures";
import { hiddenInput, locationOf, UserAgent } from "../support/flow";
import { oauthError, USERS, type DemoUser } from "../support/oauth";

/**
 * The user's own grants (issue 14): GET /account/grants, the JSON list for a first-party client's
 * access token (as UserInfo), and /grants' Revoke access, after which the client's refresh token and
 * access token are refused. Each test signs in as a user of its own (test mode's /api/test/users), so
 * revoking never touches another test's grants.
 */

async function newUser(issuer: string): Promise<DemoUser> {
  const user = { username: `grants-${randomBytes(5).toString("hex")}`, password: randomBytes(18).toString("base64url") };
  const created = await fetch(`${issuer}/api/test/users`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(user),
  });
  expect(created.status, await created.clone().text()).toBe(201);
  return { ...USERS.alice, ...user } as unknown as DemoUser;
}

const accountGrants = (issuer: string, token?: string) =>
  fetch(`${issuer}/account/grants`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });

const api = (issuer: string, token: string) => fetch(`${issuer}/api/notes`, { headers: { Authorization: `Bearer ${token}` } });

test("GET /account/grants: the user's grants for a first-party client's token with openid; no token, or no openid, refused", async ({
  as,
  issuer,
}) => {
  const user = await newUser(issuer);
  const { tokens, agent } = await obtainTokens(as, "walkthrough", { user, scope: "openid profile offline_access notes:read" });
  await obtainTokens(as, "nextauth-demo", { user, agent, scope: "openid notes:read" });

  const listed = await accountGrants(issuer, tokens.access_token);
  expect(listed.status).toBe(200);
  expect(listed.headers.get("cache-control")).toBe("no-store");
  const body = (await listed.json()) as { sub: string; grants: Record<string, unknown>[] };
  expect(body.grants.map((g) => g.client_id).sort()).toEqual(["nextauth-demo", "walkthrough"]);
  const walkthrough = body.grants.find((g) => g.client_id === "walkthrough")!;
  expect(walkthrough).toMatchObject({
    client_name: expect.any(String),
    self_registered: false,
    scope: "openid profile offline_access notes:read",
    scope_updated_at: null,
  });
  expect(Date.parse(walkthrough.granted_at as string)).toBeLessThanOrEqual(Date.parse(walkthrough.last_used_at as string));

  const none = await accountGrants(issuer);
  expect(none.status).toBe(401);
  expect(none.headers.get("www-authenticate")).toMatch(/^Bearer realm="/);
  const forged = await accountGrants(issuer, `${tokens.access_token.slice(0, -4)}AAAA`);
  expect(forged.status).toBe(401);
  expect(forged.headers.get("www-authenticate")).toContain('error="invalid_token"');

  // A token without openid (an OAuth grant, no ID token: read as plain JSON, since oauth4webapi's OpenID exchange wants one).
  const plain = await authorize(as, "walkthrough", { user, agent, scope: "notes:read" });
  const exchanged = await plain.backchannel.exchangeRaw(
    plain.backchannel.callback(plain.callback, plain.pending.state),
    plain.pending.redirectUri,
    plain.pending.codeVerifier,
  );
  const withoutOpenid = (await exchanged.json()) as { access_token: string; scope: string };
  expect(withoutOpenid.scope).toBe("notes:read");
  const narrow = await accountGrants(issuer, withoutOpenid.access_token);
  expect(narrow.status).toBe(403);
  expect(narrow.headers.get("www-authenticate")).toContain('error="insufficient_scope"');
  expect(narrow.headers.get("cache-control")).toBe("no-store");
});

test("Revoke access needs our form, the session and its CSRF token; then the client's refresh and API call are refused", async ({
  as,
  issuer,
}) => {
  const user = await newUser(issuer);
  const first = await obtainTokens(as, "walkthrough", { user, scope: "openid profile offline_access notes:read" });
  const { agent } = first;
  const second = await obtainTokens(as, "walkthrough", { user, agent, scope: "openid profile offline_access notes:read" });
  const other = await obtainTokens(as, "nextauth-demo", { user, agent, scope: "openid offline_access notes:read" });

  // The page: the user's, never framed, never cached; its form carries the session's CSRF token.
  const page = await agent.get("/grants");
  expect(page.status).toBe(200);
  expect(page.headers.get("x-frame-options")).toBe("DENY");
  expect(page.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
  expect(page.headers.get("cache-control")).toContain("no-store");
  const html = await page.text();
  expect(html).toContain("Revoke access");
  const csrf = hiddenInput(html, "csrf")!;
  expect(csrf).toMatch(/^[\w-]{43}$/);

  // Refused: another site's form, no session, a wrong token, no token. Nothing is revoked.
  const cross = await agent.post("/grants/revoke", { client_id: "walkthrough", csrf }, { Origin: "https://evil.example" });
  expect(cross.status).toBe(400);
  const stranger = await new UserAgent(issuer).post("/grants/revoke", { client_id: "walkthrough", csrf });
  expect(stranger.status).toBe(403);
  expect((await agent.post("/grants/revoke", { client_id: "walkthrough", csrf: "A".repeat(43) })).status).toBe(403);
  expect((await agent.post("/grants/revoke", { client_id: "walkthrough" })).status).toBe(403);
  expect((await api(issuer, first.tokens.access_token)).status).toBe(200);

  const revoked = await agent.post("/grants/revoke", { client_id: "walkthrough", csrf });
  expect(revoked.status).toBe(303);
  expect(locationOf(revoked, issuer).href).toBe(`${issuer}/grants?revoked=walkthrough`);

  // Both grants of that client: the refresh token is invalid_grant, the access token refused by the API (its jti row).
  for (const grant of [first, second]) {
    const refused = await oauthError(grant.backchannel.refresh(grant.tokens.refresh_token!));
    expect(refused).toMatchObject({ error: "invalid_grant", status: 400 });
    const call = await api(issuer, grant.tokens.access_token);
    expect(call.status).toBe(401);
    expect(call.headers.get("www-authenticate")).toContain('error="invalid_token"');
  }
  // The other client keeps its access; the list no longer names the revoked one.
  expect((await api(issuer, other.tokens.access_token)).status).toBe(200);
  const refreshed = await other.backchannel.refresh(other.tokens.refresh_token!);
  const list = (await (await accountGrants(issuer, refreshed.access_token)).json()) as { grants: { client_id: string }[] };
  expect(list.grants.map((g) => g.client_id)).toEqual(["nextauth-demo"]);
  expect(await (await agent.get("/grants?revoked=walkthrough")).text()).toContain("Access revoked for");
});

test("signed out, /grants offers a sign-in that comes back to it; a foreign return path goes home instead", async ({ issuer }) => {
  const user = await newUser(issuer);
  const agent = new UserAgent(issuer);
  const page = await agent.get("/grants");
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain("You are not signed in");
  expect(html).toContain(`href="/login?return_to=%2Fgrants"`);
  expect(hiddenInput(await (await agent.get("/login?return_to=%2Fgrants")).text(), "return_to")).toBe("/grants");

  const back = await agent.post("/login/submit", { username: user.username, password: user.password, return_to: "/grants" });
  expect(back.status).toBe(303);
  expect(locationOf(back, issuer).href).toBe(`${issuer}/grants`);
  expect(await (await agent.get("/grants")).text()).toContain("You have not allowed any application");

  for (const foreign of ["https://evil.example/", "//evil.example/grants", "/\\evil.example"]) {
    const home = await new UserAgent(issuer).post("/login/submit", {
      username: user.username,
      password: user.password,
      return_to: foreign,
    });
    expect(locationOf(home, issuer).href).toBe(`${issuer}/`);
  }
});
