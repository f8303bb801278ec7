import type { FlowState } from "../../oauth/flow-state";
import type { ServerMetadata } from "../../client/core/discovery";
import { fetchServerState } from "../../client/core/server-state";
import { correlationIdFor, redactUrl } from "../../events";
import { bearerError, LabAgent, oauthError, type Answer, type ShownExchange } from "./http";
import {
  callApi,
  checkCallback,
  completeAuthorization,
  LabStepError,
  newAuthorization,
  newLabDpop,
  obtainCode,
  obtainTokens,
  openSession,
  otherVerifier,
  pushAuthorization,
  redeem,
  refresh,
  LAB_SCOPE,
  type LabEnv,
  type Pending,
  type TokenAnswer,
} from "./client";
import { dpopProof } from "../../client/core/dpop";
import { claimsOf, unsignedToken } from "./tokens";
import { WEAKNESSES, type Weakness } from "./weakened";

/**
 * The attack lab: each attack runs for real against the running server, through the lab's own user
 * agent, and reports every attempt with the server's answer and the check that stopped it.
 */

/** Mints a JWT with the authorization server's own key (for tokens only the server could make: another audience, expired). */
export type ServerSigner = (claims: Record<string, unknown>, typ: string) => Promise<string>;

export type AttackEnv = LabEnv & { signer?: ServerSigner };

export type Attempt = {
  /** What the attacker tried. */
  name: string;
  refused: boolean;
  /** The refusal as the server (or the client) gave it; no status for a verdict of the lab's own client. */
  status?: number;
  error?: string;
  description?: string;
  /** When the attempt got through: what the attacker got, as the server (or the client) gave it. */
  evidence?: string;
  /** The check that stops it, and the RFC section behind it. */
  check: string;
  rfc: string;
};

export type AttackResult = {
  id: AttackId;
  /** Run against the weakened lab client (LAB MODE), rather than the walkthrough client. */
  weakened: boolean;
  refused: boolean;
  attempts: Attempt[];
  exchanges: ShownExchange[];
  failure?: string;
  /** The authorization server's records of the grant the attack targeted (GET /api/flow-state), after the attack. */
  records?: FlowState;
};

export type AttackCard = {
  id: AttackId;
  title: string;
  /** What the attacker does, in one or two sentences. */
  attack: string;
  /** The defense, in one sentence. */
  defense: string;
  rfc: string;
  /** LAB MODE: what the weakened lab client's weakness for this card removes (lib/workshop/lab/weakened.ts). */
  weakness: string;
};

export const ATTACK_IDS = [
  "code-replay",
  "pkce",
  "redirect-uri",
  "state",
  "mix-up",
  "refresh-reuse",
  "api-tokens",
  "other-client",
  "par-tampering",
  "stolen-token",
  "dpop-replay",
  "public-refresh",
] as const;
export type AttackId = (typeof ATTACK_IDS)[number];

const fromToken = (answer: Answer) => ({ status: answer.status, ...oauthError(answer.body) });
const fromApi = (answer: Answer) => ({ status: answer.status, ...bearerError(answer.headers.get("www-authenticate")) });

/** An attempt at the token endpoint: refused with 400, or what the tokens it got were. */
function tokenAttempt(name: string, answer: TokenAnswer, check: string, rfc: string): Attempt {
  const got = answer.tokens && ["access", ...(answer.tokens.refreshToken ? ["refresh"] : []), ...(answer.tokens.idToken ? ["ID"] : [])];
  return {
    name,
    refused: answer.status === 400,
    ...fromToken(answer),
    check,
    rfc,
    ...(got ? { evidence: `new tokens (${got.join(", ")}) for the attacker` } : {}),
  };
}

/** An attempt at the API: refused with 401, or whom the API served. */
function apiAttempt(name: string, answer: Answer, check: string, rfc: string): Attempt {
  const body = (answer.body ?? {}) as Record<string, unknown>;
  const evidence =
    answer.status === 200
      ? `the API served the request for sub ${String(body.sub)}${body.alg ? ` (alg ${String(body.alg)}, typ ${String(body.typ)}, aud ${JSON.stringify(body.aud)}, exp ${String(body.exp)})` : ""}`
      : undefined;
  return { name, refused: answer.status === 401, ...fromApi(answer), check, rfc, ...(evidence ? { evidence } : {}) };
}
/** The authorization endpoint's error page (no redirect), or the error it sent back to the client. */
function fromAuthorize(answer: Answer) {
  if (answer.location) {
    const error = answer.location.searchParams.get("error") ?? undefined;
    const description = answer.location.searchParams.get("error_description") ?? undefined;
    return { status: answer.status, ...(error ? { error } : {}), ...(description ? { description } : {}) };
  }
  const alert = /<p role="alert"><code>([^<]*)<\/code>\s*([^<]*)<\/p>/.exec(answer.text);
  return { status: answer.status, ...(alert ? { error: alert[1], description: decodeHtml(alert[2].trim()) } : {}) };
}
const decodeHtml = (s: string) =>
  s
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");

/**
 * `grant(pending)` names the run whose records the card shows afterwards: its correlation id comes from
 * the PKCE challenge, and its verifier proves to the authorization server that the lab's client made it.
 */
type Run = (
  env: AttackEnv,
  agent: LabAgent,
  metadata: ServerMetadata,
  attempts: Attempt[],
  grant: (pending: Pending) => void,
) => Promise<void>;

const ATTACKS: Record<AttackId, Omit<AttackCard, "weakness"> & { run: Run }> = {
  "code-replay": {
    id: "code-replay",
    title: "1. Code replay",
    attack:
      "The victim's client redeems its code; the attacker, who copied the code from the redirect (a log, a Referer, browser history), redeems it again.",
    defense: "A code works once. The second redemption is refused and revokes every token the first produced.",
    rfc: "RFC 6749 §4.1.2, §10.5; RFC 9700 §4.5",
    async run(env, agent, metadata, attempts, grant) {
      const { tokens, pending, code } = await obtainTokens(env, agent, metadata);
      grant(pending);
      const before = await callApi(env, agent, "Victim's client calls the API (works)", tokens.accessToken);
      if (before.status !== 200) throw new LabStepError(`The victim's first API call failed (${before.status}).`);
      const replay = await redeem(agent, metadata, "Attacker redeems the same code again", {
        code,
        codeVerifier: pending.codeVerifier,
        client: env.client,
      });
      attempts.push(
        tokenAttempt(
          "Second redemption of the code",
          replay,
          "the code's consumed-at is set: one conditional update per code",
          "RFC 6749 §4.1.2, §5.2",
        ),
      );
      const after = await callApi(env, agent, "The first access token at the API, after the replay", tokens.accessToken);
      attempts.push(
        apiAttempt(
          "The access token of the first redemption",
          after,
          "revocation: the replay revoked the tokens the code produced",
          "RFC 9700 §4.5.3",
        ),
      );
      if (tokens.refreshToken) {
        const refreshed = await refresh(agent, metadata, "The refresh token of the first redemption", tokens.refreshToken, env.client);
        attempts.push(
          tokenAttempt(
            "The refresh token of the first redemption",
            refreshed,
            "revocation: the replay revoked the refresh token's family",
            "RFC 6749 §4.1.2",
          ),
        );
      }
    },
  },
  pkce: {
    id: "pkce",
    title: "2. A stolen code without its PKCE verifier",
    attack:
      "The attacker steals a code from the front channel and redeems it with the client's credentials but without the code_verifier, with a wrong one, and with the code_challenge it saw (as if the method were plain).",
    defense:
      "The token endpoint recomputes BASE64URL(SHA-256(code_verifier)) and compares it with the code's challenge; only S256 is accepted at all.",
    rfc: "RFC 7636 §4.6; RFC 9700 §2.1.1",
    async run(env, agent, metadata, attempts) {
      const stolen1 = await obtainCode(env, agent, metadata);
      const none = await redeem(agent, metadata, "Attacker redeems a stolen code without code_verifier", {
        code: stolen1.code,
        client: env.client,
      });
      attempts.push(tokenAttempt("Without a code_verifier", none, "PKCE: code_verifier required", "RFC 7636 §4.5, §4.6"));
      const stolen2 = await obtainCode(env, agent, metadata);
      const wrong = await redeem(agent, metadata, "Attacker redeems a stolen code with its own code_verifier", {
        code: stolen2.code,
        codeVerifier: otherVerifier(),
        client: env.client,
      });
      attempts.push(tokenAttempt("With a wrong code_verifier", wrong, "PKCE: S256(code_verifier) = code_challenge", "RFC 7636 §4.6"));
      const stolen3 = await obtainCode(env, agent, metadata);
      const plain = await redeem(agent, metadata, "Attacker sends the code_challenge it saw as the code_verifier (plain)", {
        code: stolen3.code,
        codeVerifier: stolen3.pending.codeChallenge,
        client: env.client,
      });
      attempts.push(
        tokenAttempt(
          "With the challenge as verifier (plain)",
          plain,
          "PKCE: S256 only, so the challenge is not the verifier",
          "RFC 7636 §4.6, §7.2",
        ),
      );
      const downgrade = await newAuthorization(metadata, env.client, { code_challenge_method: "plain" });
      const asked = await agent.send("Authorization request with code_challenge_method=plain", { url: downgrade.url, browser: true });
      attempts.push({
        name: "An authorization request with method plain",
        refused: asked.location?.searchParams.get("error") === "invalid_request",
        ...fromAuthorize(asked),
        check: "PKCE: code_challenge_method must be S256",
        rfc: "RFC 7636 §4.3; RFC 9700 §2.1.1",
      });
    },
  },
  "redirect-uri": {
    id: "redirect-uri",
    title: "3. A swapped redirect URI",
    attack:
      "The attacker sends the victim an authorization link whose redirect_uri is the attacker's, or a near miss of the registered one, hoping the code lands where the attacker can read it.",
    defense:
      "The redirect URI must equal a registered one, compared as exact strings; otherwise the server shows an error page and redirects nowhere.",
    rfc: "RFC 6749 §3.1.2, §4.1.2.1; RFC 9700 §4.1.3",
    async run(env, agent, metadata, attempts) {
      const registered = new URL(env.client.redirectUri);
      const otherPort = new URL(registered);
      otherPort.port = String((Number(registered.port) || (registered.protocol === "https:" ? 443 : 80)) + 1);
      const variants: [string, string][] = [
        ["The attacker's redirect URI", "https://attacker.example/callback"],
        ["Trailing slash", `${env.client.redirectUri}/`],
        ["Extra query parameter", `${env.client.redirectUri}?next=https://attacker.example`],
        ["Other port", otherPort.href],
        ["@ in the authority", `${registered.protocol}//${registered.host}@attacker.example${registered.pathname}`],
      ];
      for (const [name, uri] of variants) {
        const pending = await newAuthorization(metadata, env.client, { redirect_uri: uri });
        const answer = await agent.send(`Authorization request, redirect_uri: ${name.toLowerCase()}`, { url: pending.url, browser: true });
        const refused = answer.status === 400 && !answer.location;
        // Accepted: follow the victim's sign-in and consent to see where the code goes.
        const landed = refused ? undefined : await completeAuthorization(env, agent, answer);
        attempts.push({
          name: `${name}: ${uri}`,
          refused,
          ...fromAuthorize(answer),
          ...(landed?.searchParams.has("code") ? { evidence: `the code was sent to ${redactUrl(landed.href)}` } : {}),
          check:
            env.weaknesses?.has("redirect-uri-prefix") && refused
              ? "LAB MODE: even the weakened prefix match refuses it (it does not start with the registered URI): error page, no redirect"
              : "redirect_uri is exactly a registered one: error page, no redirect",
          rfc: "RFC 6749 §3.1.2.4, §4.1.2.1",
        });
      }
    },
  },
  state: {
    id: "state",
    title: "4. A forged or missing state (CSRF)",
    attack:
      "The attacker gets a code for the attacker's own account and pushes the authorization response into the victim's browser, with a state of its own making or none, so the victim's client would sign the victim in as the attacker.",
    defense: "The client accepts a response only with the state its own request put in this browser's run.",
    rfc: "RFC 6749 §10.12; RFC 9700 §4.7",
    async run(env, agent, metadata, attempts) {
      for (const [name, state] of [
        ["A forged state", "forged-by-the-attacker"],
        ["No state", null],
      ] as const) {
        const attackerResponse = await attackersOwnCode(env, agent, metadata);
        const params = new URLSearchParams({ code: attackerResponse.code, iss: env.issuer, ...(state ? { state } : {}) });
        attempts.push(
          env.weaknesses
            ? await deliverToLabClient(
                env,
                agent,
                metadata,
                name,
                params,
                await newAuthorization(metadata, env.client),
                "state matches",
                "RFC 6749 §10.12",
              )
            : await deliverToVictimClient(env, agent, name, params, "state matches", "RFC 6749 §10.12"),
        );
      }
    },
  },
  "mix-up": {
    id: "mix-up",
    title: "5. Authorization server mix-up",
    attack:
      "A client that uses several authorization servers is tricked into sending a code from one server to another. The attacker's server answers with a response that names itself (or nothing) as the issuer.",
    defense:
      "The server puts iss in every authorization response and promises it in its metadata; the client compares it with the server it sent the browser to.",
    rfc: "RFC 9207 §2.4; RFC 9700 §4.4",
    async run(env, agent, metadata, attempts) {
      const response = await obtainCode(env, agent, metadata);
      for (const [name, iss] of [
        ["iss of another authorization server", "https://attacker-as.example"],
        ["No iss at all", null],
      ] as const) {
        // The victim's own run, so the state is right and only iss is wrong: see deliverToVictimClient.
        const params = new URLSearchParams({ code: response.code, ...(iss ? { iss } : {}) });
        attempts.push(
          env.weaknesses
            ? await deliverToLabClient(env, agent, metadata, name, params, response.pending, "iss matches the issuer", "RFC 9207 §2.4")
            : await deliverToVictimClient(env, agent, name, params, "iss matches the issuer", "RFC 9207 §2.4", true),
        );
      }
    },
  },
  "refresh-reuse": {
    id: "refresh-reuse",
    title: "6. Refresh token reuse after rotation",
    attack: "The attacker stole a refresh token that the client has since used (and so rotated), and presents it to get fresh tokens.",
    defense:
      "Every refresh rotates the token; presenting a rotated one revokes the whole family, so the attacker and the legitimate client both lose it.",
    rfc: "RFC 9700 §4.14.2; RFC 6749 §6",
    async run(env, agent, metadata, attempts, grant) {
      const { tokens, pending } = await obtainTokens(env, agent, metadata);
      grant(pending);
      if (!tokens.refreshToken) throw new LabStepError("No refresh token was issued.");
      const rotated = await refresh(agent, metadata, "The client refreshes (the stolen token is rotated)", tokens.refreshToken, env.client);
      if (!rotated.tokens?.refreshToken) throw new LabStepError("The legitimate refresh failed.");
      const stolen = await refresh(agent, metadata, "Attacker presents the stolen, rotated refresh token", tokens.refreshToken, env.client);
      attempts.push(tokenAttempt("The rotated refresh token", stolen, "rotation: a refresh token works once", "RFC 9700 §4.14.2"));
      const family = await refresh(
        agent,
        metadata,
        "The client's newest refresh token, after the reuse",
        rotated.tokens.refreshToken,
        env.client,
      );
      attempts.push(
        tokenAttempt("The newest refresh token of the family", family, "reuse detection: the whole family is revoked", "RFC 9700 §4.14.2"),
      );
      const api = await callApi(env, agent, "The newest access token at the API", rotated.tokens.accessToken);
      attempts.push(
        apiAttempt("The access token of the newest refresh", api, "revocation: the family's access tokens are revoked", "RFC 9700 §4.14.2"),
      );
    },
  },
  "api-tokens": {
    id: "api-tokens",
    title: "7. Forged and misused tokens at the API",
    attack:
      "The attacker calls the API with a token for another audience, an unsigned (alg: none) token, an HS256 token keyed with the server's public key, an ID token, and an expired token.",
    defense:
      "The API accepts only ES256 JWTs signed by a key in the issuer's JWKS, with typ at+jwt, its own audience, the trusted issuer and a live exp.",
    rfc: "RFC 9068 §4; RFC 8725 §3.1, §3.9; RFC 6750 §3.1",
    async run(env, agent, metadata, attempts) {
      const { tokens } = await obtainTokens(env, agent, metadata);
      const claims = claimsOf(tokens.accessToken);
      const now = Math.floor(Date.now() / 1000);
      const tryToken = async (name: string, token: string, check: string, rfc: string) => {
        // LAB MODE: the weakened run sends the same tokens to the weakened copy of the API.
        const answer = env.weakenedApi
          ? await callApi(env, agent, `Weakened API call with ${name}`, token, env.weakenedApi)
          : await callApi(env, agent, `API call with ${name}`, token);
        attempts.push(apiAttempt(name, answer, check, rfc));
      };
      if (env.signer) {
        await tryToken(
          "a token for another audience",
          await env.signer({ ...claims, aud: "https://other-api.example", jti: `${claims.jti}-aud` }, "at+jwt"),
          "aud is this API",
          "RFC 9068 §4; RFC 8725 §3.9",
        );
      }
      await tryToken("an alg: none token", unsignedToken(claims), "alg: ES256 only", "RFC 8725 §3.1");
      await tryToken(
        "an HS256 token keyed with the public key",
        await hs256WithPublicKey(agent, metadata, claims),
        "alg: ES256 only (no HMAC with the public key)",
        "RFC 8725 §3.1",
      );
      await tryToken("the ID token", tokens.idToken ?? "", "typ is at+jwt", "RFC 9068 §4");
      if (env.signer) {
        await tryToken(
          "an expired token",
          await env.signer({ ...claims, iat: now - 600, exp: now - 300, jti: `${claims.jti}-exp` }, "at+jwt"),
          "exp (30 s of clock skew)",
          "RFC 9068 §4; RFC 7519 §4.1.4",
        );
      }
    },
  },
  "other-client": {
    id: "other-client",
    title: "8. A code redeemed by a different client",
    attack:
      "Another registered client (with its own valid credentials) gets hold of a code issued to the walkthrough client and redeems it, verifier and all.",
    defense: "A code is bound to the client it was issued to; the token endpoint refuses it to any other client.",
    rfc: "RFC 6749 §4.1.3, §10.5",
    async run(env, agent, metadata, attempts) {
      const { pending, code } = await obtainCode(env, agent, metadata);
      const answer = await redeem(agent, metadata, `${env.otherClient.id} redeems ${env.client.id}'s code`, {
        code,
        codeVerifier: pending.codeVerifier,
        client: env.otherClient,
        redirectUri: env.client.redirectUri,
      });
      attempts.push(
        tokenAttempt(`The code redeemed by ${env.otherClient.id}`, answer, "the code is bound to its client_id", "RFC 6749 §4.1.3"),
      );
    },
  },
  "par-tampering": {
    id: "par-tampering",
    title: "9. A tampered authorization link",
    attack:
      "The authorization link passes through the victim's browser, so anything on the way (a malicious page, an extension, a proxy) can change it: a wider scope, another state, a redirect_uri of the attacker's, or a request_uri the attacker pushed.",
    defense:
      "With PAR the client pushes its request over the back channel and the link carries only client_id and a one-time request_uri bound to the client: a parameter added beside it is refused, and another client's request_uri is too.",
    rfc: "RFC 9126 §1, §4; RFC 9700 §4.1",
    async run(env, agent, metadata, attempts) {
      const wider = [...LAB_SCOPE, "notes:write"].join(" ");
      if (env.weaknesses?.has("request-in-the-link")) {
        // LAB MODE: the weakened client's request is in the link; the changed scope is what the user is asked for.
        const pending = await newAuthorization(metadata, env.client, { scope: wider });
        const answer = await agent.send("The victim's browser follows the link, its scope widened on the way", {
          url: pending.url,
          browser: true,
        });
        const landed = answer.location ? await completeAuthorization(env, agent, answer) : undefined;
        const code = landed?.searchParams.get("code");
        const tokens = code
          ? await redeem(agent, metadata, "The client redeems the code", { code, codeVerifier: pending.codeVerifier, client: env.client })
          : undefined;
        attempts.push({
          name: "A scope widened in the link (notes:write added)",
          refused: !tokens?.tokens,
          ...fromAuthorize(answer),
          ...(tokens?.tokens
            ? {
                evidence: `the server granted ${tokens.tokens.scope ?? "the changed scope"}: the request the user saw was not the client's`,
              }
            : {}),
          check: "nothing: the request travels in the link, and the link is not the client's to protect",
          rfc: "RFC 9126 §1",
        });
        return;
      }
      const pushed = await pushAuthorization(agent, metadata, env.client, "The client pushes its request (back channel)");
      for (const [name, parameter, value] of [
        ["A wider scope beside the request_uri", "scope", wider],
        ["A state of the attacker's beside the request_uri", "state", "attacker-state"],
        ["The attacker's redirect_uri beside the request_uri", "redirect_uri", "https://attacker.example/callback"],
      ] as const) {
        const tampered = new URL(pushed.url);
        tampered.searchParams.set(parameter, value);
        const answer = await agent.send(`The victim's browser follows the link with ${parameter} added`, { url: tampered, browser: true });
        attempts.push({
          name,
          refused: answer.status === 400 && !answer.location,
          ...fromAuthorize(answer),
          check: "a pushed request's link carries only client_id and request_uri",
          rfc: "RFC 9126 §4",
        });
      }
      // The attacker pushes a request of its own (its own client, its own redirect URI) and swaps the reference in.
      const attackers = await pushAuthorization(agent, metadata, env.otherClient, "The attacker pushes a request with its own client");
      const swapped = new URL(pushed.url);
      swapped.searchParams.set("request_uri", attackers.url.searchParams.get("request_uri")!);
      const answer = await agent.send("The victim's browser follows the link with the attacker's request_uri", {
        url: swapped,
        browser: true,
      });
      attempts.push({
        name: "The attacker's request_uri in the victim client's link",
        refused: answer.status === 400 && !answer.location,
        ...fromAuthorize(answer),
        check: "a request_uri is bound to the client that pushed it",
        rfc: "RFC 9126 §4, §7.3",
      });
    },
  },
  "stolen-token": {
    id: "stolen-token",
    title: "10. A stolen access token replayed from another machine",
    attack:
      "The attacker copies the client's access token (from a log, a proxy, a compromised API) and calls the API with it from its own machine. A bearer token works for whoever holds it.",
    defense:
      "A DPoP-bound token carries the thumbprint of the client's key (cnf.jkt); the API serves it only with a fresh proof signed by that key, so the token alone is useless.",
    rfc: "RFC 9449 §1, §6, §7.1",
    async run(env, agent, metadata, attempts, grant) {
      const attacker = new LabAgent(agent.origin, env.fetch);
      const steal = (name: string, token: string, headers: Record<string, string>, url = `${env.resourceServerUrl}/api/me`) =>
        attacker.send(`Attacker's machine: ${name}`, {
          url,
          headers: { ...headers, Authorization: headers.Authorization ?? `Bearer ${token}` },
        });
      // First, why: the same theft of a plain bearer token works.
      const bearer = await obtainTokens(env, agent, metadata);
      const served = await steal("a stolen bearer token (served: a bearer token is anyone's)", bearer.tokens.accessToken, {});
      if (served.status !== 200) throw new LabStepError(`A plain bearer token was refused from another machine (${served.status}).`);

      const dpop = await newLabDpop();
      const { tokens, pending } = await obtainTokens(env, agent, metadata, { dpop });
      grant(pending);
      if (tokens.tokenType !== "DPoP") throw new LabStepError(`The token endpoint issued a ${tokens.tokenType} token, not DPoP.`);
      const own = await callApi(
        env,
        agent,
        "The client calls the API with its token and a proof of its key",
        tokens.accessToken,
        undefined,
        dpop,
      );
      if (own.status !== 200) throw new LabStepError(`The client's own DPoP call failed (${own.status}).`);
      if (env.weaknesses?.has("dpop-bound-as-bearer") && env.weakenedApi) {
        const answer = await steal("the DPoP-bound token as a bearer token, at the weakened API", tokens.accessToken, {}, env.weakenedApi);
        attempts.push(
          apiAttempt("The DPoP-bound token as a bearer token", answer, "cnf.jkt: a bound token needs a proof of its key", "RFC 9449 §7.1"),
        );
        return;
      }
      attempts.push(
        apiAttempt(
          "The DPoP-bound token as a bearer token",
          await steal("the DPoP-bound token as a bearer token", tokens.accessToken, {}),
          "cnf.jkt: a bound token is never accepted as a bearer token",
          "RFC 9449 §7.1",
        ),
      );
      attempts.push(
        apiAttempt(
          "The DPoP-bound token with no proof",
          await steal("the token with the DPoP scheme and no proof", tokens.accessToken, { Authorization: `DPoP ${tokens.accessToken}` }),
          "a DPoP token comes with a proof",
          "RFC 9449 §7.1",
        ),
      );
      const theirs = await newLabDpop();
      attempts.push(
        apiAttempt(
          "The DPoP-bound token with a proof of the attacker's own key",
          await callApi(env, attacker, "Attacker's machine: the token with a proof of its own key", tokens.accessToken, undefined, theirs),
          "the proof's key thumbprint equals the token's cnf.jkt",
          "RFC 9449 §6.1, §7.1",
        ),
      );
      agent.exchanges.push(...attacker.exchanges);
    },
  },
  "dpop-replay": {
    id: "dpop-replay",
    title: "11. A DPoP proof replayed",
    attack:
      "The attacker captures a whole request, the DPoP-bound token and its proof, and sends it again; or uses a proof made in advance, before the server chose its nonce, or made for another endpoint.",
    defense:
      "A proof works once: the server remembers its jti. It must carry the server's current nonce (DPoP-Nonce), and its htm and htu name the one request it was made for.",
    rfc: "RFC 9449 §4.3, §8, §9, §11.1",
    async run(env, agent, metadata, attempts, grant) {
      const dpop = await newLabDpop();
      const { tokens, pending } = await obtainTokens(env, agent, metadata, { dpop });
      grant(pending);
      const url = `${env.resourceServerUrl}/api/me`;
      const first = await callApi(env, agent, "The client calls the API with a proof", tokens.accessToken, undefined, dpop);
      if (first.status !== 200 || !first.proof) throw new LabStepError(`The client's own DPoP call failed (${first.status}).`);
      const captured = first.proof;
      const replay = (name: string, proof: string) =>
        agent.send(name, { url, headers: { Authorization: `DPoP ${tokens.accessToken}`, DPoP: proof } });
      if (env.weaknesses?.has("dpop-proof-unchecked") && env.weakenedApi) {
        const answer = await agent.send("Attacker replays the captured request at the weakened API", {
          url: env.weakenedApi,
          headers: { Authorization: `DPoP ${tokens.accessToken}`, DPoP: captured },
        });
        attempts.push(
          apiAttempt("The captured request, sent again", answer, "the proof's jti has been seen: a proof works once", "RFC 9449 §11.1"),
        );
        return;
      }
      attempts.push(
        apiAttempt(
          "The captured request, sent again",
          await replay("Attacker replays the captured request (same token, same proof)", captured),
          "the proof's jti has been seen: a proof works once",
          "RFC 9449 §11.1",
        ),
      );
      // Made in advance: a proof of the client's key without the server's nonce (the attacker had the key for a moment).
      const early = await dpopProof(dpop.key, { method: "GET", url, accessToken: tokens.accessToken }, new Date());
      attempts.push(
        apiAttempt(
          "A proof made in advance, without the server's nonce",
          await replay("Attacker sends a proof made before the server's nonce", early),
          "the proof carries the server's current nonce",
          "RFC 9449 §9",
        ),
      );
      // The API's proof at the token endpoint: made for another method and URL.
      const elsewhere = await agent.send("Attacker sends the API's proof with a refresh at the token endpoint", {
        method: "POST",
        url: metadata.token_endpoint,
        form: {
          grant_type: "refresh_token",
          refresh_token: tokens.refreshToken ?? "",
          client_id: env.client.id,
          client_secret: env.client.secret,
        },
        headers: { DPoP: captured },
      });
      attempts.push({
        name: "The API's proof at the token endpoint",
        refused: elsewhere.status === 400,
        ...fromToken(elsewhere),
        check: "htm and htu name the request the proof was made for",
        rfc: "RFC 9449 §4.3",
      });
    },
  },
  "public-refresh": {
    id: "public-refresh",
    title: "12. A refresh token stolen from a public client",
    attack:
      "A public client (an app in the browser or on a phone) keeps its refresh token where malware or a cross-site script can read it. The attacker refreshes with it from its own machine: a public client has no secret that could stop this.",
    defense:
      "With DPoP the authorization server binds a public client's refresh token to the client's key: a refresh without a proof of that key is refused, and the stolen token is useless.",
    rfc: "RFC 9449 §5; RFC 9700 §4.14.2",
    async run(env, agent, metadata, attempts, grant) {
      const client = env.publicClient;
      const attacker = new LabAgent(agent.origin, env.fetch);
      if (env.weaknesses?.has("refresh-unbound")) {
        const { tokens, pending } = await obtainTokens(env, agent, metadata, { client });
        grant(pending);
        const stolen = await refresh(
          attacker,
          metadata,
          "Attacker's machine refreshes with the stolen token",
          tokens.refreshToken ?? "",
          client,
        );
        attempts.push(
          tokenAttempt(
            "The stolen refresh token, from the attacker's machine",
            stolen,
            "the refresh token is bound to the client's DPoP key",
            "RFC 9449 §5",
          ),
        );
        agent.exchanges.push(...attacker.exchanges);
        return;
      }
      const dpop = await newLabDpop();
      const { tokens, pending } = await obtainTokens(env, agent, metadata, { client, dpop });
      grant(pending);
      if (!tokens.refreshToken) throw new LabStepError("No refresh token was issued.");
      attempts.push(
        tokenAttempt(
          "The stolen refresh token with no proof",
          await refresh(attacker, metadata, "Attacker's machine refreshes with the stolen token, no proof", tokens.refreshToken, client),
          "a public client's refresh token is bound to its DPoP key",
          "RFC 9449 §5",
        ),
      );
      attempts.push(
        tokenAttempt(
          "The stolen refresh token with a proof of the attacker's own key",
          await refresh(
            attacker,
            metadata,
            "Attacker's machine refreshes with a proof of its own key",
            tokens.refreshToken,
            client,
            await newLabDpop(),
          ),
          "the proof's key is the one the refresh token is bound to",
          "RFC 9449 §5",
        ),
      );
      agent.exchanges.push(...attacker.exchanges);
      // The refusals spent nothing: the client itself, with its key, still refreshes.
      const own = await refresh(agent, metadata, "The client refreshes with its own key (still works)", tokens.refreshToken, client, dpop);
      if (!own.tokens) throw new LabStepError(`The client's own refresh failed after the attacker's tries: ${own.error ?? own.status}`);
    },
  },
};

/** LAB MODE: the weakness of the weakened lab client that each card shows. */
const weaknessFor = (id: AttackId) =>
  (Object.entries(WEAKNESSES) as [Weakness, (typeof WEAKNESSES)[Weakness]][]).find(([, w]) => w.card === id)!;

export const ATTACK_CARDS: AttackCard[] = ATTACK_IDS.map((id) => {
  const { title, attack, defense, rfc } = ATTACKS[id];
  return { id, title, attack, defense, rfc, weakness: weaknessFor(id)[1].removes };
});

/** Runs one attack for real; an attack that could not be set up reports why instead of a verdict. */
export async function runAttack(id: AttackId, env: AttackEnv): Promise<AttackResult> {
  const attempts: Attempt[] = [];
  let agent: LabAgent | undefined;
  let granted: Pending | undefined;
  try {
    const session = await openSession(env);
    agent = session.agent;
    await ATTACKS[id].run(env, agent, session.metadata, attempts, (p) => {
      granted = p;
    });
    const records = granted
      ? (
          await fetchServerState(
            env.issuer,
            { correlationId: correlationIdFor(granted.codeChallenge), codeVerifier: granted.codeVerifier },
            env.fetch ?? fetch,
          )
        ).state
      : undefined;
    return {
      id,
      weakened: !!env.weaknesses,
      refused: attempts.length > 0 && attempts.every((a) => a.refused),
      attempts,
      exchanges: agent.exchanges,
      ...(records ? { records } : {}),
    };
  } catch (error) {
    return {
      id,
      weakened: !!env.weaknesses,
      refused: false,
      attempts,
      exchanges: agent?.exchanges ?? [],
      failure: error instanceof Error ? error.message : String(error),
    };
  }
}

/** The classic key confusion: the server's public key (its JWK, as text) used as an HMAC secret. */
async function hs256WithPublicKey(agent: LabAgent, metadata: ServerMetadata, claims: Record<string, unknown>): Promise<string> {
  const jwks = await agent.send("Attacker downloads the public JWKS", { url: metadata.jwks_uri });
  const key = ((jwks.body as { keys?: Record<string, unknown>[] } | undefined)?.keys ?? [])[0] ?? {};
  const header = Buffer.from(JSON.stringify({ alg: "HS256", typ: "at+jwt", kid: key.kid })).toString("base64url");
  const payload = Buffer.from(JSON.stringify(claims)).toString("base64url");
  const secret = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(JSON.stringify(key)),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const signature = await crypto.subtle.sign("HMAC", secret, new TextEncoder().encode(`${header}.${payload}`));
  return `${header}.${payload}.${Buffer.from(signature).toString("base64url")}`;
}

/**
 * The victim's browser, with a walkthrough run of its own, is made to bring `params` to the client's
 * redirect URI. `ownState` puts the victim's run's real state in (so only iss is wrong). The client's
 * verdict is read back from the victim's walkthrough page.
 */
async function deliverToVictimClient(
  env: AttackEnv,
  attackerAgent: LabAgent,
  name: string,
  params: URLSearchParams,
  check: string,
  rfc: string,
  ownState = false,
): Promise<Attempt> {
  const clientOrigin = new URL(env.client.redirectUri).origin;
  const victim = new LabAgent(clientOrigin, env.fetch);
  const started = await victim.send("Victim's browser starts a walkthrough run", {
    url: `${clientOrigin}/walkthrough/action`,
    form: { intent: "start" },
    browser: true,
    quiet: true,
  });
  const runPage = started.location;
  if (started.status !== 303 || !runPage) throw new LabStepError(`The walkthrough did not start a run (${started.status}).`);
  if (ownState) {
    const to = await victim.send("Victim's run: step 1", {
      url: `${clientOrigin}/walkthrough/action`,
      form: { intent: "authorize", run: runPage.searchParams.get("run") ?? "", scope: "openid" },
      browser: true,
      quiet: true,
    });
    const state = to.location?.searchParams.get("state");
    if (!state) throw new LabStepError("The victim's run did not send an authorization request.");
    params.set("state", state);
  }
  const callback = await victim.send(`Victim's browser brings the response to the client (${name.toLowerCase()})`, {
    url: `${env.client.redirectUri}?${params}`,
    browser: true,
  });
  attackerAgent.exchanges.push(...victim.exchanges);
  const page = await victim.send("The victim's walkthrough page", { url: callback.location ?? runPage, browser: true, quiet: true });
  const text = decodeHtml(
    page.text
      .replace(/<!--.*?-->/g, "")
      .replace(/<[^>]+>/g, " ")
      .replace(/\s+/g, " "),
  );
  const refused = /authorization responses? (?:was|were) refused/.test(text) && new RegExp(`${check}\\s*:\\s*failed`).test(text);
  const explanation = new RegExp(`${check}\\s*:\\s*failed\\s*\\([^)]*\\)\\s*([^.]*\\.)`).exec(text)?.[1];
  return {
    name,
    refused,
    status: callback.status,
    error: refused ? "refused by the client" : "accepted",
    ...(explanation ? { description: explanation } : {}),
    check,
    rfc,
  };
}

/** The attacker's own authorization response: a code for the attacker's account (env.attacker), from the attacker's browser. */
async function attackersOwnCode(env: AttackEnv, agent: LabAgent, metadata: ServerMetadata) {
  const attacker = new LabAgent(agent.origin, env.fetch);
  const response = await obtainCode(env.attacker ? { ...env, user: env.attacker } : env, attacker, metadata);
  agent.exchanges.push(...attacker.exchanges.map((x) => ({ ...x, label: `Attacker's browser: ${x.label}` })));
  return response;
}

/**
 * LAB MODE: the forged response reaches the lab's own client playing the weakened lab client, which runs
 * the walkthrough's callback checks less the one it skips (lib/workshop/lab/client.ts `checkCallback`). `victim`
 * is that client's own pending request in the victim's browser. When it accepts the response it does
 * what a client does next: redeems the code with its own verifier and calls the API.
 */
async function deliverToLabClient(
  env: AttackEnv,
  agent: LabAgent,
  metadata: ServerMetadata,
  name: string,
  params: URLSearchParams,
  victim: Pending,
  check: string,
  rfc: string,
): Promise<Attempt> {
  const mixUp = check === "iss matches the issuer";
  if (mixUp) params.set("state", victim.state);
  const callback = new URL(`${env.client.redirectUri}?${params}`);
  const { verdict, code, skipped } = checkCallback(
    env,
    callback,
    victim.state,
    metadata.authorization_response_iss_parameter_supported === true,
  );
  const wouldHave = skipped.find((c) => c.name === check && !c.pass);
  if (verdict.outcome !== "code" || !code) {
    return {
      name,
      refused: true,
      error: "refused by the client",
      description: verdict.outcome === "refused" ? verdict.reason : verdict.outcome,
      check,
      rfc,
    };
  }
  const skippedText = wouldHave ? `The client skipped "${check}", which would have failed here.` : "The client accepted the response.";
  if (mixUp) {
    return {
      name,
      refused: false,
      error: "accepted by the client",
      check,
      rfc,
      evidence: `${skippedText} It accepted a response naming ${params.get("iss") ?? "no issuer"}: a client of several servers would now send this code, and its own credentials, to the token endpoint of the server it believes sent it.`,
    };
  }
  const exchange = await redeem(agent, metadata, "The victim's client redeems the attacker's code with its own verifier", {
    code,
    codeVerifier: victim.codeVerifier,
    client: env.client,
  });
  if (!exchange.tokens) {
    return {
      name,
      refused: true,
      ...fromToken(exchange),
      check,
      rfc,
      description: `${skippedText} But the token endpoint refused the code: ${exchange.description ?? exchange.error ?? exchange.status}`,
    };
  }
  const me = await callApi(env, agent, "The victim's client calls the API with the tokens it got", exchange.tokens.accessToken);
  const user = (me.body as { preferred_username?: string } | undefined)?.preferred_username;
  return {
    name,
    refused: false,
    status: exchange.status,
    error: "accepted by the client",
    check,
    rfc,
    evidence: `${skippedText} It redeemed the attacker's code: the victim's session is now signed in as ${user ?? "the attacker"}${env.attacker ? `, the attacker's account (the victim is ${env.user.username})` : ""}.${env.weaknesses?.has("pkce-unchecked") ? " (The code exchange went through only because this client's PKCE check is off too: PKCE alone would stop this code injection, RFC 9700 §4.7.1.)" : ""}`,
  };
}
