import { expect, test, type Locator, type Page } from "@playwright/test";
import { expectAccessible } from "../support/a11y";
import { useServer } from "../support/server";

/**
 * LAB MODE: on a server of its own started with LAB_MODE=on, every lab card runs twice, with and
 * without its defense: against the walkthrough client every attempt is refused; against the weakened
 * lab client the attack succeeds, with what the attacker got shown. On the suite's main server (lab
 * mode off) there is no weakened option, no banner, and the weakened client does not exist.
 */

const WEAK_BUTTON = "Run against the weakened client";
const BANNER = "Lab mode: a deliberately weakened client is registered on this server";

const attempt = (scope: Locator, name: string | RegExp) =>
  scope.getByRole("list", { name: "Attempts" }).getByRole("listitem").filter({ hasText: name });

test.describe("LAB_MODE=on", () => {
  test.describe.configure({ mode: "serial" });
  const server = useServer({ LAB_MODE: "on" });

  /** Runs the card both ways; returns the two results, checked for their verdicts. */
  async function withAndWithout(page: Page, title: string, succeeded: number, of: number) {
    test.setTimeout(120_000);
    await page.goto(`${server().baseURL}/lab`);
    const card = page.getByRole("region", { name: title });
    await card.getByRole("button", { name: "Run the attack" }).click();
    const defended = card.getByRole("region", { name: "With the defenses: the walkthrough client" });
    await expect(defended.getByRole("status")).toContainText(/^(All \d+ attempts were|Its one attempt was) refused\./, { timeout: 45_000 });
    await card.getByRole("button", { name: WEAK_BUTTON }).click();
    const weakened = card.getByRole("region", { name: "Without the defense: the weakened lab client (LAB MODE)" });
    await expect(weakened.getByRole("status")).toHaveText(
      `The attack succeeded: ${succeeded} of ${of} ${of === 1 ? "attempt" : "attempts"} got through the weakened client.`,
      { timeout: 45_000 },
    );
    return { card, defended, weakened };
  }

  test("the banner is on every page, and the lab explains the weakened client", async ({ page }) => {
    // The authorization server's own error page (an unknown client) is served without the layout.
    await page.goto(`${server().baseURL}/oauth/authorize?client_id=no-such-client`);
    await expect(page.getByRole("region", { name: "Lab mode", exact: true })).toContainText(BANNER);
    await expectAccessible(page, "the authorization server's error page in lab mode (banner)");
    for (const path of ["/", "/walkthrough", "/app", "/self-check", "/clients/new", "/lab"]) {
      await page.goto(`${server().baseURL}${path}`);
      await expect(page.getByRole("region", { name: "Lab mode", exact: true })).toContainText(BANNER);
    }
    const card = page.getByRole("region", { name: "1. Code replay" });
    await expect(card).toContainText("The weakened lab client (LAB MODE): one-time codes: a used code can be redeemed again");
  });

  test("1. code replay: refused with the defense; the replayed code returns new tokens without it", async ({ page }) => {
    const { defended, weakened } = await withAndWithout(page, "1. Code replay", 3, 3);
    await expect(attempt(defended, "Second redemption of the code")).toContainText(
      "400 invalid_grant — The authorization code has already been used.",
    );
    await expect(attempt(weakened, "Second redemption of the code")).toContainText("Second redemption of the code: succeeded");
    await expect(attempt(weakened, "Second redemption of the code")).toContainText(
      "What the attacker got: new tokens (access, refresh, ID) for the attacker",
    );
    await expect(attempt(weakened, "The access token of the first redemption")).toContainText(
      /200.*What the attacker got: the API served the request for sub/,
    );
    await expect(attempt(weakened, "The refresh token of the first redemption")).toContainText("succeeded");
    await expectAccessible(page, "the lab in lab mode (banner, both results of a card)");
  });

  test("2. a stolen code: PKCE refuses it; without the verifier check it is redeemed three ways", async ({ page }) => {
    const { defended, weakened } = await withAndWithout(page, "2. A stolen code without its PKCE verifier", 3, 4);
    await expect(attempt(defended, "Without a code_verifier")).toContainText("code_verifier is required (PKCE).");
    for (const name of ["Without a code_verifier", "With a wrong code_verifier", "With the challenge as verifier (plain)"]) {
      await expect(attempt(weakened, name)).toContainText(`${name}: succeeded`);
      await expect(attempt(weakened, name)).toContainText("new tokens (access, refresh, ID) for the attacker");
    }
    // The authorization endpoint's S256-only check is not this weakness: still refused.
    await expect(attempt(weakened, "An authorization request with method plain")).toContainText("refused");
    await expect(attempt(weakened, "An authorization request with method plain")).toContainText("invalid_request");
  });

  test("3. a swapped redirect URI: exact matching refuses all; prefix matching sends the code to two near misses", async ({ page }) => {
    const { defended, weakened } = await withAndWithout(page, "3. A swapped redirect URI", 2, 5);
    await expect(attempt(defended, "Trailing slash")).toContainText(
      "400 invalid_request — The redirect_uri is not registered for this client.",
    );
    const registered = `${server().baseURL}/lab/weakened/callback`;
    await expect(attempt(weakened, "Trailing slash")).toContainText(`succeeded`);
    await expect(attempt(weakened, "Trailing slash")).toContainText(`What the attacker got: the code was sent to ${registered}/?code=`);
    await expect(attempt(weakened, "Extra query parameter")).toContainText(
      `the code was sent to ${registered}?next=https%3A%2F%2Fattacker.example&code=`,
    );
    for (const name of ["The attacker's redirect URI", "Other port", "@ in the authority"]) {
      await expect(attempt(weakened, name)).toContainText("400 invalid_request — The redirect_uri is not registered for this client.");
      await expect(attempt(weakened, name)).toContainText("Stopped by: LAB MODE: even the weakened prefix match refuses it");
    }
  });

  test("4. a forged or missing state: the walkthrough refuses it; the weakened client signs the victim in as the attacker", async ({
    page,
  }) => {
    const { defended, weakened } = await withAndWithout(page, "4. A forged or missing state (CSRF)", 2, 2);
    for (const name of ["A forged state", "No state"]) {
      await expect(attempt(defended, name)).toContainText("refused by the client");
      await expect(attempt(weakened, name)).toContainText(`${name}: succeeded`);
      await expect(attempt(weakened, name)).toContainText(`The client skipped "state matches", which would have failed`);
      await expect(attempt(weakened, name)).toContainText(
        "the victim's session is now signed in as bob, the attacker's account (the victim is alice)",
      );
    }
  });

  test("5. mix-up: the walkthrough refuses another issuer's response; the weakened client accepts it", async ({ page }) => {
    const { defended, weakened } = await withAndWithout(page, "5. Authorization server mix-up", 2, 2);
    await expect(attempt(defended, "iss of another authorization server")).toContainText("refused by the client");
    await expect(attempt(weakened, "iss of another authorization server")).toContainText(
      `The client skipped "iss matches the issuer", which would have failed`,
    );
    await expect(attempt(weakened, "iss of another authorization server")).toContainText(
      "It accepted a response naming https://attacker-as.example",
    );
    await expect(attempt(weakened, "No iss at all")).toContainText("It accepted a response naming no issuer");
  });

  test("6. refresh token reuse: refused and the family revoked; without detection the rotated token works", async ({ page }) => {
    const { defended, weakened } = await withAndWithout(page, "6. Refresh token reuse after rotation", 3, 3);
    await expect(attempt(defended, "The rotated refresh token")).toContainText("400 invalid_grant");
    await expect(attempt(weakened, "The rotated refresh token")).toContainText("The rotated refresh token: succeeded");
    await expect(attempt(weakened, "The rotated refresh token")).toContainText("new tokens (access, refresh, ID) for the attacker");
  });

  test("7. forged and misused tokens: the API refuses each; the weakened API accepts each", async ({ page }) => {
    const { defended, weakened } = await withAndWithout(page, "7. Forged and misused tokens at the API", 5, 5);
    await expect(attempt(defended, "an alg: none token")).toContainText("The token is not signed (alg none)");
    for (const [name, detail] of [
      ["a token for another audience", `aud "https://other-api.example"`],
      ["an alg: none token", "alg none"],
      ["an HS256 token keyed with the public key", "alg HS256"],
      ["the ID token", "typ JWT"],
      ["an expired token", "alg ES256, typ at+jwt"],
    ]) {
      await expect(attempt(weakened, name)).toContainText(`${name}: succeeded`);
      await expect(attempt(weakened, name)).toContainText("What the attacker got: the API served the request for sub");
      await expect(attempt(weakened, name)).toContainText(detail);
    }
    await weakened.getByText(/The \d+ requests sent/).click();
    await expect(weakened.getByRole("list", { name: "Requests sent" })).toContainText("/lab/weakened/api");
  });

  test("8. a code redeemed by another client: refused; unbound, nextauth-demo gets tokens with it", async ({ page }) => {
    const { defended, weakened } = await withAndWithout(page, "8. A code redeemed by a different client", 1, 1);
    await expect(attempt(defended, "The code redeemed by nextauth-demo")).toContainText(
      "400 invalid_grant — The authorization code was not issued to this client.",
    );
    await expect(attempt(weakened, "The code redeemed by nextauth-demo")).toContainText("succeeded");
    await expect(attempt(weakened, "The code redeemed by nextauth-demo")).toContainText(
      "new tokens (access, refresh, ID) for the attacker",
    );
  });
});

test.describe("LAB_MODE=on, the cards of issue 14", () => {
  const server = useServer({ LAB_MODE: "on" });

  test("9. a tampered link: refused beside a pushed request; the weakened client's link is changed and the wider scope granted", async ({
    page,
  }) => {
    test.setTimeout(120_000);
    await page.goto(`${server().baseURL}/lab`);
    const card = page.getByRole("region", { name: "9. A tampered authorization link" });
    await card.getByRole("button", { name: "Run the attack" }).click();
    const defended = card.getByRole("region", { name: "With the defenses: the walkthrough client" });
    await expect(defended.getByRole("status")).toHaveText(/^All 4 attempts were refused\./, { timeout: 45_000 });
    await expect(attempt(defended, "The attacker's redirect_uri beside the request_uri")).toContainText("400 invalid_request");
    await card.getByRole("button", { name: WEAK_BUTTON }).click();
    const weakened = card.getByRole("region", { name: "Without the defense: the weakened lab client (LAB MODE)" });
    await expect(weakened.getByRole("status")).toHaveText("The attack succeeded: 1 of 1 attempt got through the weakened client.", {
      timeout: 45_000,
    });
    await expect(attempt(weakened, "A scope widened in the link")).toContainText("notes:write");
    await expectAccessible(page, "card 9 with and without its defense");
  });

  for (const [title, defended, weakenedAttempt] of [
    ["10. A stolen access token replayed from another machine", 3, "The DPoP-bound token as a bearer token"],
    ["11. A DPoP proof replayed", 3, "The captured request, sent again"],
    ["12. A refresh token stolen from a public client", 2, "The stolen refresh token, from the attacker's machine"],
  ] as const) {
    test(`${title.split(".")[0]}. with DPoP every attempt is refused; without it the attack gets through`, async ({ page }) => {
      test.setTimeout(120_000);
      await page.goto(`${server().baseURL}/lab`);
      const card = page.getByRole("region", { name: title });
      await card.getByRole("button", { name: "Run the attack" }).click();
      const withDefense = card.getByRole("region", { name: "With the defenses: the walkthrough client" });
      await expect(withDefense.getByRole("status")).toHaveText(new RegExp(`^All ${defended} attempts were refused\\.`), {
        timeout: 45_000,
      });
      await card.getByRole("button", { name: WEAK_BUTTON }).click();
      const weakened = card.getByRole("region", { name: "Without the defense: the weakened lab client (LAB MODE)" });
      await expect(weakened.getByRole("status")).toHaveText("The attack succeeded: 1 of 1 attempt got through the weakened client.", {
        timeout: 45_000,
      });
      await expect(attempt(weakened, weakenedAttempt)).toContainText("succeeded");
      await expectAccessible(page, `${title} with and without its defense`);
    });
  }
});

test.describe("the default server (LAB_MODE off)", () => {
  test("no banner, no weakened option on the lab", async ({ page }) => {
    for (const path of ["/oauth/authorize?client_id=no-such-client", "/", "/lab"]) {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      await expect(page.getByRole("region", { name: "Lab mode", exact: true })).toHaveCount(0);
      await expect(page.getByText(BANNER)).toHaveCount(0);
    }
    await expect(page.getByRole("button", { name: "Run the attack" })).toHaveCount(12);
    await expect(page.getByRole("button", { name: WEAK_BUTTON })).toHaveCount(0);
    await expect(page.getByText("weakened", { exact: false })).toHaveCount(0);
  });

  test("the weakened client is unknown to the token endpoint, and the weakened API does not exist", async ({ request }) => {
    const token = await request.post("/oauth/token", {
      form: {
        grant_type: "authorization_code",
        code: "x",
        redirect_uri: "http://localhost/lab/weakened/callback",
        code_verifier: "v".repeat(43),
        client_id: "lab-weakened",
        client_secret: "lab-weakened-demo-secret",
      },
    });
    expect(token.status()).toBe(401);
    expect(await token.json()).toMatchObject({ error: "invalid_client" });
    expect((await request.get("/lab/weakened/api", { headers: { Authorization: "Bearer x.y.z" } })).status()).toBe(404);
    for (const method of ["HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]) {
      expect((await request.fetch("/lab/weakened/api", { method })).status(), method).toBe(404);
    }
  });
});
