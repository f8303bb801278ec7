import { expect, test, type Page } from "@playwright/test";

/**
 * /lab: each card runs its attack for real against the running server; every attempt is refused, and
 * the card names the check that stopped it and the RFC section.
 */

async function runCard(page: Page, title: string) {
  await page.goto("/lab");
  const card = page.getByRole("region", { name: title });
  await card.getByRole("button", { name: "Run the attack" }).click();
  await expect(card.getByRole("status")).toContainText(/^(All \d+ attempts were|Its one attempt was) refused\./, { timeout: 30_000 });
  return card;
}

const attempt = (card: ReturnType<Page["getByRole"]>, name: string | RegExp) =>
  card.getByRole("list", { name: "Attempts" }).getByRole("listitem").filter({ hasText: name });

test("1. code replay: the second redemption is refused and the first tokens die", async ({ page }) => {
  const card = await runCard(page, "1. Code replay");
  await expect(attempt(card, "Second redemption of the code")).toContainText("refused");
  await expect(attempt(card, "Second redemption of the code")).toContainText(
    "400 invalid_grant — The authorization code has already been used.",
  );
  await expect(attempt(card, "Second redemption of the code")).toContainText("Stopped by: the code's consumed-at is set");
  await expect(attempt(card, "The access token of the first redemption")).toContainText("401 invalid_token");
  await expect(attempt(card, "The access token of the first redemption")).toContainText("RFC 9700 §4.5.3");
  await card.getByText(/The \d+ requests sent/).click();
  await expect(card.getByRole("list", { name: "Requests sent" })).toContainText("Attacker redeems the same code again");
  await expect(card).not.toContainText("walkthrough-demo-secret");
});

test("2. a stolen code without its verifier, with a wrong one and with plain", async ({ page }) => {
  const card = await runCard(page, "2. A stolen code without its PKCE verifier");
  await expect(attempt(card, "Without a code_verifier")).toContainText("code_verifier is required (PKCE).");
  await expect(attempt(card, "With a wrong code_verifier")).toContainText("code_verifier does not match the code_challenge.");
  await expect(attempt(card, "With the challenge as verifier (plain)")).toContainText("Stopped by: PKCE: S256 only");
  await expect(attempt(card, "An authorization request with method plain")).toContainText("invalid_request");
  await expect(attempt(card, "Without a code_verifier")).toContainText("RFC 7636 §4.5, §4.6");
});

test("3. a swapped redirect URI and its near misses: error page, no redirect", async ({ page }) => {
  const card = await runCard(page, "3. A swapped redirect URI");
  for (const name of ["The attacker's redirect URI", "Trailing slash", "Extra query parameter", "Other port", "@ in the authority"]) {
    await expect(attempt(card, name)).toContainText("400 invalid_request — The redirect_uri is not registered for this client.");
    await expect(attempt(card, name)).toContainText("Stopped by: redirect_uri is exactly a registered one: error page, no redirect");
  }
});

test("4. a forged or missing state: the client refuses the response", async ({ page }) => {
  const card = await runCard(page, "4. A forged or missing state (CSRF)");
  for (const name of ["A forged state", "No state"]) {
    await expect(attempt(card, name)).toContainText("refused by the client");
    await expect(attempt(card, name)).toContainText("Stopped by: state matches (RFC 6749 §10.12)");
  }
});

test("5. authorization server mix-up: the client refuses another issuer's response", async ({ page }) => {
  const card = await runCard(page, "5. Authorization server mix-up");
  for (const name of ["iss of another authorization server", "No iss at all"]) {
    await expect(attempt(card, name)).toContainText("refused by the client");
    await expect(attempt(card, name)).toContainText("Stopped by: iss matches the issuer (RFC 9207 §2.4)");
  }
});

test("6. refresh token reuse after rotation revokes the whole family", async ({ page }) => {
  const card = await runCard(page, "6. Refresh token reuse after rotation");
  await expect(attempt(card, "The rotated refresh token")).toContainText("400 invalid_grant");
  await expect(attempt(card, "The newest refresh token of the family")).toContainText(
    "Stopped by: reuse detection: the whole family is revoked (RFC 9700 §4.14.2)",
  );
  await expect(attempt(card, "The access token of the newest refresh")).toContainText("401 invalid_token");
});

test("7. forged and misused tokens at the API are refused, each by its check", async ({ page }) => {
  const card = await runCard(page, "7. Forged and misused tokens at the API");
  await expect(attempt(card, "a token for another audience")).toContainText("The token's audience is not this API (aud).");
  await expect(attempt(card, "an alg: none token")).toContainText("The token is not signed (alg none)");
  await expect(attempt(card, "an HS256 token keyed with the public key")).toContainText("algorithm HS256 is not allowed");
  await expect(attempt(card, "the ID token")).toContainText("Stopped by: typ is at+jwt");
  await expect(attempt(card, "an expired token")).toContainText("The token has expired");
});

test("8. a code redeemed by a different client is refused", async ({ page }) => {
  const card = await runCard(page, "8. A code redeemed by a different client");
  await expect(attempt(card, "The code redeemed by nextauth-demo")).toContainText(
    "400 invalid_grant — The authorization code was not issued to this client.",
  );
  await expect(attempt(card, "The code redeemed by nextauth-demo")).toContainText(
    "Stopped by: the code is bound to its client_id (RFC 6749 §4.1.3)",
  );
});

test("9. a tampered link beside a pushed request is refused, and so is another client's request_uri", async ({ page }) => {
  const card = await runCard(page, "9. A tampered authorization link");
  for (const name of [
    "A wider scope beside the request_uri",
    "A state of the attacker's beside the request_uri",
    "The attacker's redirect_uri beside the request_uri",
  ]) {
    await expect(attempt(card, name)).toContainText("400 invalid_request — A pushed request's link carries only client_id and request_uri");
    await expect(attempt(card, name)).toContainText("(RFC 9126 §4)");
  }
  await expect(attempt(card, "The attacker's request_uri in the victim client's link")).toContainText(
    "The request_uri was pushed by another client",
  );
  await card.getByText(/The \d+ requests sent/).click();
  await expect(card.getByRole("list", { name: "Requests sent" })).toContainText("The client pushes its request (back channel)");
  await expect(card).not.toContainText("walkthrough-demo-secret");
});

test("10. a stolen DPoP-bound token is refused from another machine, as Bearer, without a proof and with another key", async ({ page }) => {
  const card = await runCard(page, "10. A stolen access token replayed from another machine");
  await expect(attempt(card, "The DPoP-bound token as a bearer token")).toContainText("401 invalid_token");
  await expect(attempt(card, "The DPoP-bound token with no proof")).toContainText("401");
  await expect(attempt(card, "The DPoP-bound token with a proof of the attacker's own key")).toContainText("401 invalid_dpop_proof");
  await card.getByText(/The \d+ requests sent/).click();
  // Why it matters: the plain bearer token was served to the attacker's machine first.
  await expect(card.getByRole("list", { name: "Requests sent" })).toContainText(
    "Attacker's machine: a stolen bearer token (served: a bearer token is anyone's)",
  );
});

test("11. a replayed DPoP proof, one made in advance and one for another endpoint are refused", async ({ page }) => {
  const card = await runCard(page, "11. A DPoP proof replayed");
  await expect(attempt(card, "The captured request, sent again")).toContainText("401 invalid_dpop_proof");
  await expect(attempt(card, "A proof made in advance, without the server's nonce")).toContainText("401 use_dpop_nonce");
  await expect(attempt(card, "The API's proof at the token endpoint")).toContainText("400 invalid_dpop_proof");
});

test("12. a public client's stolen refresh token is useless without its DPoP key", async ({ page }) => {
  const card = await runCard(page, "12. A refresh token stolen from a public client");
  await expect(attempt(card, "The stolen refresh token with no proof")).toContainText("400");
  await expect(attempt(card, "The stolen refresh token with a proof of the attacker's own key")).toContainText("400");
  await card.getByText(/The \d+ requests sent/).click();
  await expect(card.getByRole("list", { name: "Requests sent" })).toContainText("The client refreshes with its own key (still works)");
});
