/**
 * An annotated example: the whole authorization code grant, driven by Playwright the way a workshop
 * reads it, one step per block. The browser does the front channel (steps 1 to 3), Playwright's
 * request context plays the client's server for the back channel (steps 4 to 7). The numbers are the
 * seven steps of the overview (/).
 *
 * Run it alone:  npx playwright test e2e/kit/example.spec.ts --project=kit
 * Step through:  npx playwright test e2e/kit/example.spec.ts --project=kit --debug
 */
import { createHash, randomBytes } from "node:crypto";
import { claimsOf, KIT_CLIENT } from "./auth";
import { expect, test } from "./fixtures";

test("the authorization code grant, step by step", async ({ page, request, issuer, account }) => {
  // The client prepares what only it knows: a PKCE verifier (RFC 7636 §4.1), sent only as its SHA-256
  // challenge, and a state value that ties the answer to this browser (RFC 6749 §10.12).
  const verifier = randomBytes(32).toString("base64url");
  const challenge = createHash("sha256").update(verifier).digest("base64url");
  const state = randomBytes(16).toString("base64url");

  // Step 1: the client sends the browser to the authorization endpoint with its request (RFC 6749 §4.1.1).
  const authorize = new URL("/oauth/authorize", issuer);
  authorize.search = new URLSearchParams({
    response_type: "code",
    client_id: KIT_CLIENT.id,
    redirect_uri: KIT_CLIENT.redirectUri, // must be registered, compared exactly
    scope: "openid profile notes:read offline_access",
    state,
    code_challenge: challenge,
    code_challenge_method: "S256",
  }).toString();
  // The browser will be sent to the redirect URI; nothing listens there, so we catch the request itself.
  const redirected = page.waitForRequest((r) => r.url().startsWith(`${KIT_CLIENT.redirectUri}?`));
  await page.goto(authorize.href);

  // Step 2: the authorization server authenticates the user on its own page (the client never sees
  // the password) ...
  await expect(page.getByRole("heading", { name: "Sign in", level: 1 })).toBeVisible();
  await page.getByLabel("Username").fill(account.username);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Sign in" }).click();

  // ... and asks for consent, naming the client and each scope it asked for.
  await expect(page.getByRole("heading", { name: /^Allow Public client/ })).toBeVisible();
  const asked = page.getByRole("list", { name: "What the application asks for" });
  for (const scope of ["openid", "profile", "notes:read", "offline_access"]) await expect(asked).toContainText(scope);
  await page.getByRole("button", { name: "Allow", exact: true }).click();

  // Step 3: the browser comes back to the redirect URI with a one-time code, our state unchanged, and
  // the issuer that answered (RFC 9207: a client talking to several servers checks it).
  const callback = new URL((await redirected).url());
  expect(callback.searchParams.get("state")).toBe(state);
  expect(callback.searchParams.get("iss")).toBe(issuer);
  const code = callback.searchParams.get("code")!;
  expect(code).toBeTruthy();

  // Step 4: the client's server exchanges the code on the back channel, proving with the verifier
  // that it is the one that started the flow (a public client has no secret; PKCE is its proof).
  const tokenResponse = await request.post("/oauth/token", {
    form: {
      grant_type: "authorization_code",
      code,
      redirect_uri: KIT_CLIENT.redirectUri,
      client_id: KIT_CLIENT.id,
      code_verifier: verifier,
    },
  });
  expect(tokenResponse.status()).toBe(200);
  expect(tokenResponse.headers()["cache-control"]).toContain("no-store"); // tokens are never cached (RFC 6749 §5.1)

  // Step 5: the tokens. The access token is a JWT for the API (RFC 9068): who (sub), for which API
  // (aud), from whom (iss), what it may do (scope), until when (exp).
  const tokens = await tokenResponse.json();
  expect(tokens.token_type).toBe("Bearer");
  expect(tokens.refresh_token).toBeTruthy(); // offline_access asked for one
  const claims = claimsOf(tokens.access_token);
  expect(claims).toMatchObject({ iss: issuer, aud: `${issuer}/api`, client_id: KIT_CLIENT.id });
  expect(String(claims.scope).split(" ")).toContain("notes:read");

  // Step 6: the client calls the protected API with the access token in the Authorization header.
  const notes = await request.get("/api/notes", { headers: { Authorization: `Bearer ${tokens.access_token}` } });

  // Step 7: the resource server validated the token (signature, iss, aud, exp, scope) and answers.
  expect(notes.status()).toBe(200);
  expect(await notes.json()).toHaveProperty("notes");
  // Without a token it refuses, and says how to authenticate (RFC 6750 §3).
  const anonymous = await request.get("/api/notes");
  expect(anonymous.status()).toBe(401);
  expect(anonymous.headers()["www-authenticate"]).toMatch(/^Bearer /);

  // When the access token expires, the refresh token gets a new one (RFC 6749 §6), and rotates:
  const refreshed = await request.post("/oauth/token", {
    form: { grant_type: "refresh_token", refresh_token: tokens.refresh_token, client_id: KIT_CLIENT.id },
  });
  expect(refreshed.status()).toBe(200);
  const next = await refreshed.json();
  expect(next.refresh_token).not.toBe(tokens.refresh_token);
  // ... and the old refresh token, used again, is refused (RFC 9700 §4.14: reuse revokes the family).
  const reused = await request.post("/oauth/token", {
    form: { grant_type: "refresh_token", refresh_token: tokens.refresh_token, client_id: KIT_CLIENT.id },
  });
  expect(reused.status()).toBe(400);
  expect((await reused.json()).error).toBe("invalid_grant");
});

// The same grant in three lines, with the kit's fixtures: `api` carries a token from the real grant.
test("the kit's api fixture: a token from the real grant, on every request", async ({ api, account }) => {
  const me = await api.get("/api/me");
  expect(me.status()).toBe(200);
  expect(await me.json()).toMatchObject({ preferred_username: account.username });
});
