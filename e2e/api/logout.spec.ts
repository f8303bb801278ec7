import { expect, test } from "../support/fixtures";
import { authorizationRequest, demoClient, discover, USERS } from "../support/oauth";
import { locationOf, runFrontChannel, UserAgent } from "../support/flow";

/**
 * Signing out of the authorization server ends its session: the next authorization request asks who
 * the user is again, even with the old cookie. Only our own form may do it.
 */
test("after /logout, the old session cookie signs no one in", async ({ issuer }) => {
  const as = await discover(issuer);
  const client = demoClient("walkthrough", issuer);
  const agent = new UserAgent(issuer);
  const first = await authorizationRequest(as, client);
  await runFrontChannel(agent, first.url, first.redirectUri, { user: USERS.bob });
  const oldCookie = agent.cookie("authcode_session");
  expect(oldCookie).toBeTruthy();

  const page = await agent.get("/logout");
  expect(await page.text()).toMatch(/You are signed in as (<!-- -->)?<strong>bob<\/strong>/);
  const crossSite = await agent.post("/logout/submit", {}, { "Sec-Fetch-Site": "cross-site" });
  expect(crossSite.status).toBe(400);
  expect(agent.cookie("authcode_session")).toBe(oldCookie);

  const out = await agent.post("/logout/submit", {});
  expect(out.status).toBe(303);
  expect(locationOf(out, issuer).pathname).toBe("/logout");
  expect(agent.cookie("authcode_session")).toBeUndefined();

  // Even a browser that kept the old cookie is asked to sign in again: the session row is gone.
  const replayed = await fetch(`${(await authorizationRequest(as, client)).url}`, {
    redirect: "manual",
    headers: { Cookie: `authcode_session=${oldCookie}` },
  });
  expect(locationOf(replayed, issuer).pathname).toBe("/login");
});
