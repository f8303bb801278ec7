import { authorize, expect, test } from "../support/fixtures";
import { answerConsent, hiddenInput, interactionOf, locationOf, openConsent, signIn, UserAgent } from "../support/flow";
import { authorizationError, authorizationRequest, demoClient, USERS } from "../support/oauth";

/**
 * The user's pages (RFC 6749 §4.1.1 step B): sign-in and consent. Deny goes back as access_denied;
 * the consent form is protected against CSRF, the login form against cross-site posts; neither page
 * can be framed or leak its URL in a Referer (RFC 9700 §4.16, §4.2.4).
 */

/** An authorization request for `clientId` that stops at the login page. */
async function atLogin(
  issuer: string,
  as: Parameters<typeof authorizationRequest>[0],
  clientId: Parameters<typeof demoClient>[0] = "walkthrough",
  extra: Record<string, string> = {},
) {
  const client = demoClient(clientId, issuer);
  const agent = new UserAgent(issuer);
  const pending = await authorizationRequest(as, client, { extra });
  const response = await agent.get(pending.url);
  expect(response.status).toBe(302);
  const login = locationOf(response, issuer);
  expect(login.pathname).toBe("/login");
  return { client, agent, pending, login, interaction: interactionOf(login) };
}

/** An authorization request signed in as alice, stopped at the consent page (prompt=consent). */
async function atConsent(issuer: string, as: Parameters<typeof authorizationRequest>[0]) {
  const at = await atLogin(issuer, as, "walkthrough", { prompt: "consent" });
  const consent = await signIn(at.agent, at.login, USERS.alice);
  expect(consent.pathname).toBe("/consent");
  return at;
}

test("Deny on the consent page -> access_denied with state and iss, and no code", async ({ as, issuer }) => {
  const flow = await authorize(as, "walkthrough", { decision: "deny", extra: { prompt: "consent" } });
  expect(flow.steps).toEqual(["login", "consent"]);
  expect(flow.callback.searchParams.get("state")).toBe(flow.pending.state);
  expect(flow.callback.searchParams.get("iss")).toBe(issuer);
  expect(flow.callback.searchParams.has("code")).toBe(false);
  expect(authorizationError(as, flow.client, flow.callback, flow.pending.state).error).toBe("access_denied");
});

test("a consent POST with a wrong csrf token -> 403 and no code", async ({ as, issuer }) => {
  const { agent, interaction, pending } = await atConsent(issuer, as);
  const { csrf } = await openConsent(agent, interaction);
  const forged = await agent.post("/consent/submit", { interaction, csrf: `${csrf.slice(0, -2)}xx`, decision: "allow" });
  expect(forged.status).toBe(403);
  expect(forged.headers.get("location")).toBeNull();
  expect(await forged.text()).not.toMatch(/[?&]code=/);

  const missing = await agent.post("/consent/submit", { interaction, decision: "allow" });
  expect(missing.status).toBe(403);
  expect(missing.headers.get("location")).toBeNull();

  // Nothing was granted by the forged posts: the real form still completes the request, once.
  const callback = await answerConsent(agent, interaction, "allow");
  expect(callback.searchParams.get("state")).toBe(pending.state);
  expect(callback.searchParams.get("code")).toBeTruthy();
});

test("a consent POST from another user agent (no session) -> 403 and no code", async ({ as, issuer }) => {
  const { agent, interaction } = await atConsent(issuer, as);
  const { csrf } = await openConsent(agent, interaction);
  const attacker = new UserAgent(issuer);
  const response = await attacker.post("/consent/submit", { interaction, csrf, decision: "allow" });
  expect(response.status).toBe(403);
  expect(response.headers.get("location")).toBeNull();
});

test("the consent page is only for the session that signed in", async ({ as, issuer }) => {
  const { interaction } = await atConsent(issuer, as);
  const other = await new UserAgent(issuer).get(`/consent?interaction=${interaction}`);
  const html = await other.text();
  expect(hiddenInput(html, "csrf"), "no csrf token for a stranger").toBeUndefined();
  expect(hiddenInput(html, "interaction")).toBeUndefined();
});

test("a consent POST from a foreign Origin -> refused, no code", async ({ as, issuer }) => {
  const { agent, interaction } = await atConsent(issuer, as);
  const { csrf } = await openConsent(agent, interaction);
  const response = await agent.post("/consent/submit", { interaction, csrf, decision: "allow" }, { Origin: "https://attacker.example" });
  expect(response.status).toBe(400);
  expect(response.headers.get("location")).toBeNull();
});

test("the consent form completes once: a second submission gives no second code", async ({ as, issuer }) => {
  const { agent, interaction } = await atConsent(issuer, as);
  const { csrf } = await openConsent(agent, interaction);
  const first = await agent.post("/consent/submit", { interaction, csrf, decision: "allow" });
  expect(first.status).toBe(303);
  expect(locationOf(first, issuer).searchParams.get("code")).toBeTruthy();
  const second = await agent.post("/consent/submit", { interaction, csrf, decision: "allow" });
  expect(second.status).toBe(400);
  expect(second.headers.get("location")).toBeNull();
});

test("the consent page names the client and every requested scope", async ({ as, issuer }) => {
  const { agent, interaction, pending } = await atConsent(issuer, as);
  const { html } = await openConsent(agent, interaction);
  expect(html).toContain("Walkthrough client");
  for (const scope of pending.url.searchParams.get("scope")!.split(" ")) expect(html).toContain(`>${scope}</code>`);
  expect(html).toContain(pending.redirectUri);
});

test("a wrong password -> back to the login page with invalid_credentials and no session", async ({ as, issuer }) => {
  // The only failed sign-in of the whole run: failures are rate-limited per account (5 per 15 minutes).
  const { agent, interaction, pending } = await atLogin(issuer, as, "nextauth-demo");
  const response = await agent.post("/login/submit", { interaction, username: USERS.bob.username, password: "not-bobs-password" });
  expect(response.status).toBe(303);
  expect(response.headers.getSetCookie().filter((c) => c.startsWith("authcode_session="))).toEqual([]);
  expect(agent.cookie("authcode_session")).toBeUndefined();
  const back = locationOf(response, issuer);
  expect(back.pathname).toBe("/login");
  expect(back.searchParams.get("interaction")).toBe(interaction);
  expect(back.searchParams.get("error")).toBe("invalid_credentials");
  expect(back.href).not.toContain("not-bobs-password");

  // The same interaction then signs in with the right password.
  const next = await signIn(agent, back, USERS.bob);
  expect(agent.cookie("authcode_session")).toBeTruthy();
  expect([`${issuer}/consent`, pending.redirectUri]).toContain(`${next.origin}${next.pathname}`);
});

test("a login POST from a foreign Origin -> refused, no session (login CSRF)", async ({ as, issuer }) => {
  const { agent, interaction } = await atLogin(issuer, as);
  const response = await agent.post("/login/submit", { interaction, ...USERS.alice }, { Origin: "https://attacker.example" });
  expect(response.status).toBe(400);
  expect(response.headers.get("location")).toBeNull();
  expect(response.headers.getSetCookie()).toEqual([]);
});

test("a login POST marked cross-site by the browser (Sec-Fetch-Site) -> refused, no session", async ({ as, issuer }) => {
  const { agent, interaction } = await atLogin(issuer, as);
  const response = await agent.post("/login/submit", { interaction, ...USERS.alice }, { "Sec-Fetch-Site": "cross-site" });
  expect(response.status).toBe(400);
  expect(response.headers.get("location")).toBeNull();
  expect(response.headers.getSetCookie()).toEqual([]);
});

test("the session cookie is HttpOnly and SameSite", async ({ as, issuer }) => {
  const { agent, interaction } = await atLogin(issuer, as);
  const response = await agent.post("/login/submit", { interaction, username: USERS.alice.username, password: USERS.alice.password });
  expect(response.status).toBe(303);
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith("authcode_session="));
  expect(cookie).toBeTruthy();
  expect(cookie).toMatch(/;\s*HttpOnly/i);
  expect(cookie).toMatch(/;\s*SameSite=(Lax|Strict)/i);
  expect(cookie).toMatch(/;\s*Path=\//i);
});

test("login and consent pages cannot be framed and send no Referer to other sites", async ({ as, issuer }) => {
  const { agent, login, interaction } = await atLogin(issuer, as, "walkthrough", { prompt: "consent" });
  const loginPage = await agent.get(login);
  expect(loginPage.status).toBe(200);
  const consentUrl = await signIn(agent, login, USERS.alice);
  expect(consentUrl.pathname).toBe("/consent");
  const { response: consentPage } = await openConsent(agent, interaction);

  for (const [name, page] of [
    ["login", loginPage],
    ["consent", consentPage],
  ] as const) {
    expect(page.headers.get("content-security-policy"), `${name}: CSP`).toMatch(/frame-ancestors 'none'/);
    expect(page.headers.get("referrer-policy"), `${name}: Referrer-Policy`).toBe("same-origin");
    expect(page.headers.get("x-frame-options"), `${name}: X-Frame-Options`).toBe("DENY");
    expect(page.headers.get("cache-control"), `${name}: Cache-Control`).toMatch(/no-store/);
  }
});
