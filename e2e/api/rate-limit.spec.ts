import { expect, test } from "@playwright/test";
import { authorizationRequest, demoClient, discover, USERS } from "../support/oauth";
import { locationOf, signIn, UserAgent } from "../support/flow";
import { useServer } from "../support/server";

/**
 * Failed sign-ins are limited per account and per IP address (RFC 9700 §4.13 leaves password
 * guessing to the AS; OWASP ASVS 2.2.1), on a server of its own with LOGIN_MAX_FAILURES=2
 * (so 2 failures per account and 8 per IP within the window).
 */

test.describe.configure({ mode: "serial" });

async function loginPage(baseURL: string) {
  const as = await discover(baseURL);
  const pending = await authorizationRequest(as, demoClient("walkthrough", baseURL));
  const agent = new UserAgent(baseURL);
  const login = locationOf(await agent.get(pending.url), baseURL);
  expect(login.pathname).toBe("/login");
  return { agent, login };
}

test.describe("one account, then one address", () => {
  const server = useServer({ LOGIN_MAX_FAILURES: "2" });

  test("after the account's failures, even the right password is refused, with no session; other accounts still sign in", async () => {
    const { baseURL } = server();
    for (let i = 0; i < 2; i++) {
      const { agent, login } = await loginPage(baseURL);
      const back = await signIn(agent, login, { username: "alice", password: "wrong" });
      expect(back.searchParams.get("error")).toBe("invalid_credentials");
    }
    const { agent, login } = await loginPage(baseURL);
    const limited = await signIn(agent, login, USERS.alice);
    expect(limited.pathname).toBe("/login");
    expect(limited.searchParams.get("error")).toBe("rate_limited");
    expect(agent.cookie("authcode_session")).toBeUndefined();

    const other = await loginPage(baseURL);
    const ok = await signIn(other.agent, other.login, USERS.bob);
    expect(ok.searchParams.get("error")).toBeNull();
    expect(other.agent.cookie("authcode_session")).toBeTruthy();
  });

  test("after the IP address's failures, every account is refused from that address", async () => {
    const { baseURL } = server();
    // 2 failures already came from this address in the test above; 6 more reach the per-IP limit of 8.
    for (let i = 0; i < 6; i++) {
      const { agent, login } = await loginPage(baseURL);
      const back = await signIn(agent, login, { username: `nobody-${i}`, password: "wrong" });
      expect(back.searchParams.get("error")).toBe("invalid_credentials");
    }
    const { agent, login } = await loginPage(baseURL);
    const limited = await signIn(agent, login, USERS.bob);
    expect(limited.searchParams.get("error")).toBe("rate_limited");
    expect(agent.cookie("authcode_session")).toBeUndefined();
  });
});

test.describe("parallel guesses", () => {
  const server = useServer({ LOGIN_MAX_FAILURES: "3" });

  test("guesses sent at once are counted before any password is checked: no more than the limit get through", async () => {
    const { baseURL } = server();
    const pages = await Promise.all(Array.from({ length: 10 }, () => loginPage(baseURL)));
    const results = await Promise.all(pages.map(({ agent, login }) => signIn(agent, login, { username: "alice", password: "guess" })));
    const errors = results.map((url) => url.searchParams.get("error"));
    expect(errors.filter((e) => e === "invalid_credentials").length).toBeLessThanOrEqual(3);
    expect(errors.filter((e) => e === "rate_limited").length).toBeGreaterThanOrEqual(7);
    expect(errors.every((e) => e === "invalid_credentials" || e === "rate_limited")).toBe(true);
  });
});

test.describe("an invented X-Forwarded-For (TRUST_PROXY_HOPS unset)", () => {
  const server = useServer({ LOGIN_MAX_FAILURES: "1" });

  test("does not give each guess a fresh address: the socket's address reaches its limit", async () => {
    const { baseURL } = server();
    // LOGIN_MAX_FAILURES=1: one failure per account, 4 per address; each guess claims another address.
    for (let i = 0; i < 4; i++) {
      const { agent, login } = await loginPage(baseURL);
      const back = await signIn(agent, login, { username: `nobody-${i}`, password: "wrong" }, { "X-Forwarded-For": `198.51.100.${i + 1}` });
      expect(back.searchParams.get("error")).toBe("invalid_credentials");
    }
    const { agent, login } = await loginPage(baseURL);
    const limited = await signIn(agent, login, USERS.bob, { "X-Forwarded-For": "198.51.100.99" });
    expect(limited.searchParams.get("error")).toBe("rate_limited");
  });
});
