import { validateIdToken, remoteKeys } from "../../client/core/id-token";
import { discoveryUrl } from "../../client/core/discovery";
import { bearerError, type Answer, type ShownExchange } from "./http";
import {
  authorize,
  callApi,
  checkCallback,
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
  type LabEnv,
} from "./client";
import { claimsOf, unsignedToken } from "./tokens";

/**
 * A compact conformance check of this app's authorization server and API, run for real over HTTP by
 * the lab's own user agent: the happy path, then one refusal per rule, each named by its RFC section.
 * It signs in once with a seeded demo user and never sends a wrong password.
 */

export type Requirement = {
  id: string;
  /** The RFC section, e.g. "RFC 7636 §4.4.1". */
  rfc: string;
  /** What the server must do, as a sentence. */
  title: string;
  pass: boolean;
  /** What was observed. */
  detail: string;
};

export type SelfCheckReport = { requirements: Requirement[]; exchanges: ShownExchange[]; passed: boolean; durationMs: number };

type Check = (record: (id: string, rfc: string, title: string, pass: boolean, detail: string) => void) => Promise<void>;

/** An API refusal as its `WWW-Authenticate` challenge gives it (RFC 6750 §3). */
const apiRefusal = (answer: Answer) => describe({ status: answer.status, ...bearerError(answer.headers.get("www-authenticate")) });

const describe = (answer: { status: number; error?: string; description?: string }) =>
  `${answer.status}${answer.error ? ` ${answer.error}` : ""}${answer.description ? `: ${answer.description}` : ""}`;

export async function runSelfCheck(env: LabEnv): Promise<SelfCheckReport> {
  const started = Date.now();
  const requirements: Requirement[] = [];
  const record = (id: string, rfc: string, title: string, pass: boolean, detail: string) => {
    requirements.push({ id, rfc, title, pass, detail });
  };
  const { agent, metadata } = await openSession(env).catch((error: unknown) => {
    record(
      "discovery",
      "OpenID Connect Discovery §4.3",
      "The metadata document names this issuer",
      false,
      String(error instanceof Error ? error.message : error),
    );
    return { agent: undefined, metadata: undefined };
  });
  if (!agent || !metadata) return { requirements, exchanges: [], passed: false, durationMs: Date.now() - started };

  const checks: Check[] = [
    async (ok) => {
      const answer = await agent.send("Discovery", { url: discoveryUrl(env.issuer) });
      const doc = (answer.body ?? {}) as Record<string, unknown>;
      ok(
        "discovery",
        "RFC 8414 §3.3, OpenID Connect Discovery §4.3",
        "The metadata document names this issuer",
        answer.status === 200 && doc.issuer === env.issuer,
        `issuer ${String(doc.issuer)}`,
      );
      const methods = (doc.code_challenge_methods_supported as string[] | undefined) ?? [];
      ok(
        "discovery-pkce",
        "RFC 8414 §2, RFC 9700 §2.1.1",
        "The metadata advertises PKCE S256 only",
        methods.length === 1 && methods[0] === "S256",
        `code_challenge_methods_supported: ${methods.join(", ")}`,
      );
      ok(
        "discovery-iss",
        "RFC 9207 §3",
        "The metadata promises iss in authorization responses",
        doc.authorization_response_iss_parameter_supported === true,
        `authorization_response_iss_parameter_supported: ${String(doc.authorization_response_iss_parameter_supported)}`,
      );
    },
    async (ok) => {
      // The happy path: steps 1-7 with PKCE S256, state and nonce.
      const pending = await newAuthorization(metadata, env.client);
      const callback = await authorize(env, agent, pending);
      const { verdict, code } = checkCallback(env, callback, pending.state);
      ok(
        "authorization-response",
        "RFC 6749 §4.1.2, RFC 9207 §2",
        "After sign-in and consent, the code comes back with the request's state and the issuer (iss)",
        verdict.outcome === "code",
        verdict.checks.map((c) => `${c.name}: ${c.pass ? "pass" : "fail"}`).join("; "),
      );
      if (!code) throw new LabStepError("No code: the happy path stops here.");
      const exchange = await redeem(agent, metadata, "Code exchange", { code, codeVerifier: pending.codeVerifier, client: env.client });
      const tokens = exchange.tokens;
      ok(
        "token-response",
        "RFC 6749 §4.1.3, §5.1",
        "The code and its verifier are exchanged for tokens, never cached (Cache-Control: no-store)",
        !!tokens && /\bno-store\b/.test(exchange.headers.get("cache-control") ?? "") && !!tokens.refreshToken && !!tokens.idToken,
        tokens
          ? `access, ${tokens.refreshToken ? "refresh" : "no refresh"} and ${tokens.idToken ? "ID" : "no ID"} token; Cache-Control: ${exchange.headers.get("cache-control")}`
          : describe(exchange),
      );
      if (!tokens) throw new LabStepError("No tokens: the happy path stops here.");
      const id = await validateIdToken(tokens.idToken ?? "", {
        issuer: env.issuer,
        clientId: env.client.id,
        nonce: pending.nonce,
        accessToken: tokens.accessToken,
        algorithms: metadata.id_token_signing_alg_values_supported ?? ["ES256"],
        keys: remoteKeys(metadata.jwks_uri, env.fetch),
        now: new Date(),
      });
      ok(
        "id-token",
        "OpenID Connect Core §3.1.3.7",
        "The ID token verifies: signature, iss, aud, exp, nonce and at_hash",
        id.valid,
        id.checks
          .filter((c) => !c.pass)
          .map((c) => c.name)
          .join(", ") || `${id.checks.length} checks passed`,
      );
      const userinfo = await agent.send("UserInfo", {
        url: `${env.issuer}/oauth/userinfo`,
        headers: { Authorization: `Bearer ${tokens.accessToken}` },
      });
      const sub = (userinfo.body as Record<string, unknown> | undefined)?.sub;
      ok(
        "userinfo",
        "OpenID Connect Core §5.3.2",
        "UserInfo answers with the ID token's subject",
        userinfo.status === 200 && sub === id.claims?.sub,
        `${userinfo.status}, sub ${String(sub)}`,
      );
      const api = await callApi(env, agent, "API call", tokens.accessToken);
      ok(
        "api",
        "RFC 6750 §2.1, RFC 9068 §4",
        "The API serves a request with the access token",
        api.status === 200,
        `GET /api/me: ${api.status}`,
      );

      // Code replay: the second redemption fails and the tokens of the first die.
      const replay = await redeem(agent, metadata, "Code replay", { code, codeVerifier: pending.codeVerifier, client: env.client });
      ok(
        "code-replay",
        "RFC 6749 §4.1.2, §5.2",
        "A code redeemed a second time is refused (invalid_grant)",
        replay.status === 400 && replay.error === "invalid_grant",
        describe(replay),
      );
      const after = await callApi(env, agent, "API call with the replayed code's token", tokens.accessToken);
      ok(
        "code-replay-revokes",
        "RFC 6749 §4.1.2, RFC 9700 §4.5",
        "After a replay, the API refuses the access token the code produced",
        after.status === 401,
        `GET /api/me: ${apiRefusal(after)}`,
      );
    },
    async (ok) => {
      const missing = await newAuthorization(metadata, env.client, { code_challenge: null, code_challenge_method: null });
      const answer = await agent.send("Authorization request without code_challenge", { url: missing.url, browser: true });
      const error = answer.location?.searchParams.get("error");
      ok(
        "pkce-required",
        "RFC 7636 §4.4.1, RFC 9700 §2.1.1",
        "An authorization request without a code_challenge is refused (invalid_request)",
        answer.status === 302 &&
          error === "invalid_request" &&
          `${answer.location!.origin}${answer.location!.pathname}` === env.client.redirectUri,
        `${answer.status}, error=${error ?? "none"}`,
      );
      const plain = await newAuthorization(metadata, env.client, { code_challenge_method: "plain" });
      const plainAnswer = await agent.send("Authorization request with code_challenge_method=plain", { url: plain.url, browser: true });
      ok(
        "pkce-plain",
        "RFC 7636 §4.2, RFC 9700 §2.1.1",
        "code_challenge_method=plain is refused",
        plainAnswer.location?.searchParams.get("error") === "invalid_request",
        `${plainAnswer.status}, error=${plainAnswer.location?.searchParams.get("error") ?? "none"}`,
      );

      const { code } = await obtainCode(env, agent, metadata);
      const noVerifier = await redeem(agent, metadata, "Code exchange without code_verifier", { code, client: env.client });
      ok(
        "pkce-missing-verifier",
        "RFC 7636 §4.5, §4.6",
        "A code redeemed without its code_verifier is refused (invalid_grant)",
        noVerifier.error === "invalid_grant",
        describe(noVerifier),
      );
      const second = await obtainCode(env, agent, metadata);
      const wrong = await redeem(agent, metadata, "Code exchange with a wrong code_verifier", {
        code: second.code,
        codeVerifier: otherVerifier(),
        client: env.client,
      });
      ok(
        "pkce-wrong-verifier",
        "RFC 7636 §4.6",
        "A code redeemed with a wrong code_verifier is refused (invalid_grant)",
        wrong.error === "invalid_grant",
        describe(wrong),
      );
    },
    async (ok) => {
      const swapped = await newAuthorization(metadata, env.client, { redirect_uri: "https://attacker.example/callback" });
      const answer = await agent.send("Authorization request with an unregistered redirect_uri", { url: swapped.url, browser: true });
      ok(
        "redirect-uri",
        "RFC 6749 §3.1.2.4, §4.1.2.1, RFC 9700 §4.1.3",
        "An unregistered redirect_uri gets an error page, never a redirect",
        answer.status === 400 && !answer.location,
        `${answer.status}${answer.location ? `, redirect to ${answer.location.origin}` : ", no redirect"}`,
      );
    },
    async (ok) => {
      // RFC 9126: a pushed request, its one-time request_uri, and the link that cannot be changed.
      ok(
        "par-metadata",
        "RFC 9126 §5",
        "The metadata names the pushed authorization request endpoint",
        !!metadata.pushed_authorization_request_endpoint,
        `pushed_authorization_request_endpoint: ${metadata.pushed_authorization_request_endpoint ?? "none"}`,
      );
      const pushed = await pushAuthorization(agent, metadata, env.client, "Pushed authorization request");
      const callback = await authorize(env, agent, pushed);
      const { verdict } = checkCallback(env, callback, pushed.state);
      ok(
        "par-flow",
        "RFC 9126 §2, §4",
        "A pushed request's link, with only client_id and request_uri, brings back a code with the pushed state",
        verdict.outcome === "code",
        verdict.checks.map((c) => `${c.name}: ${c.pass ? "pass" : "fail"}`).join("; "),
      );
      const again = await agent.send("The same request_uri a second time", { url: pushed.url, browser: true });
      ok(
        "par-one-time",
        "RFC 9126 §4",
        "A request_uri is used once: the second use gets an error page, never a redirect",
        again.status === 400 && !again.location,
        `${again.status}${again.location ? `, redirect to ${again.location.origin}` : ", no redirect"}`,
      );
      const fresh = await pushAuthorization(agent, metadata, env.client, "Pushed authorization request (to tamper with)");
      const tampered = new URL(fresh.url);
      tampered.searchParams.set("scope", "openid notes:write");
      const mixed = await agent.send("A request_uri with a scope added to the link", { url: tampered, browser: true });
      ok(
        "par-mixed",
        "RFC 9126 §4",
        "A parameter added beside a request_uri is refused with an error page",
        mixed.status === 400 && !mixed.location,
        `${mixed.status}${mixed.location ? `, redirect to ${mixed.location.origin}` : ", no redirect"}`,
      );
    },
    async (ok) => {
      // RFC 9449: DPoP-bound tokens, at the token endpoint and the API.
      const algs = metadata.dpop_signing_alg_values_supported ?? [];
      ok(
        "dpop-metadata",
        "RFC 9449 §5.1",
        "The metadata lists the DPoP proof algorithms",
        algs.includes("ES256"),
        `dpop_signing_alg_values_supported: ${algs.join(", ") || "none"}`,
      );
      const dpop = await newLabDpop();
      const { tokens } = await obtainTokens(env, agent, metadata, { dpop });
      const jkt = (claimsOf(tokens.accessToken).cnf as { jkt?: string } | undefined)?.jkt;
      ok(
        "dpop-token",
        "RFC 9449 §5, §6.1",
        "A code exchange with a DPoP proof gives a DPoP token bound to the key (cnf.jkt)",
        tokens.tokenType === "DPoP" && jkt === dpop.key.thumbprint,
        `token_type ${tokens.tokenType}, cnf.jkt ${jkt === dpop.key.thumbprint ? "is the key's thumbprint" : String(jkt)}`,
      );
      const served = await callApi(env, agent, "API call with the DPoP token and a proof", tokens.accessToken, undefined, dpop);
      ok(
        "dpop-api",
        "RFC 9449 §7.1",
        "The API serves a DPoP token with a proof of its key",
        served.status === 200,
        `GET /api/me: ${served.status}`,
      );
      const asBearer = await callApi(env, agent, "API call with the DPoP token as a bearer token", tokens.accessToken);
      ok(
        "dpop-as-bearer",
        "RFC 9449 §7.1",
        "The API refuses a DPoP-bound token presented as a bearer token",
        asBearer.status === 401,
        `GET /api/me: ${apiRefusal(asBearer)}`,
      );
      const replayed = served.proof
        ? await agent.send("API call with the same proof again", {
            url: `${env.resourceServerUrl}/api/me`,
            headers: { Authorization: `DPoP ${tokens.accessToken}`, DPoP: served.proof },
          })
        : undefined;
      ok(
        "dpop-replay",
        "RFC 9449 §11.1",
        "The API refuses a DPoP proof used a second time",
        replayed?.status === 401,
        replayed ? `GET /api/me: ${apiRefusal(replayed)}` : "no proof was sent",
      );
    },
    async (ok) => {
      const { tokens } = await obtainTokens(env, agent, metadata);
      if (!tokens.refreshToken) throw new LabStepError("No refresh token was issued.");
      const rotated = await refresh(agent, metadata, "Refresh (rotation)", tokens.refreshToken, env.client);
      ok(
        "refresh-rotation",
        "RFC 6749 §6, RFC 9700 §4.14.2",
        "A refresh gives a new refresh token (rotation)",
        !!rotated.tokens?.refreshToken && rotated.tokens.refreshToken !== tokens.refreshToken,
        rotated.tokens ? "a new refresh token" : describe(rotated),
      );
      const reuse = await refresh(agent, metadata, "Refresh with the rotated token (reuse)", tokens.refreshToken, env.client);
      ok(
        "refresh-reuse",
        "RFC 9700 §4.14.2",
        "A rotated refresh token presented again is refused (invalid_grant)",
        reuse.error === "invalid_grant",
        describe(reuse),
      );
      const family = rotated.tokens?.refreshToken
        ? await refresh(agent, metadata, "Refresh with the newest token of the family", rotated.tokens.refreshToken, env.client)
        : undefined;
      ok(
        "refresh-family",
        "RFC 9700 §4.14.2",
        "After a reuse the whole family is revoked: the newest refresh token is refused too",
        family?.error === "invalid_grant",
        family ? describe(family) : "no newest token",
      );

      const none = unsignedToken(claimsOf(tokens.accessToken));
      const unsigned = await callApi(env, agent, "API call with an alg:none token", none);
      ok(
        "api-alg-none",
        "RFC 8725 §3.1, RFC 9068 §4",
        "The API refuses an unsigned (alg: none) token",
        unsigned.status === 401,
        apiRefusal(unsigned),
      );
      const idAsAccess = await callApi(env, agent, "API call with the ID token", tokens.idToken ?? "");
      ok(
        "api-id-token",
        "RFC 9068 §4, OpenID Connect Core §2",
        "The API refuses an ID token used as an access token (typ, aud)",
        idAsAccess.status === 401,
        apiRefusal(idAsAccess),
      );
      const [header, , signature] = tokens.accessToken.split(".");
      const retargeted = `${header}.${Buffer.from(JSON.stringify({ ...claimsOf(tokens.accessToken), aud: "https://other-api.example" })).toString("base64url")}.${signature}`;
      const otherAud = await callApi(env, agent, "API call with the token's aud changed to another API", retargeted);
      ok(
        "api-audience",
        "RFC 9068 §4, RFC 8725 §3.9",
        "The API refuses a token whose audience (aud) was altered: the signature no longer verifies",
        otherAud.status === 401,
        apiRefusal(otherAud),
      );
    },
  ];

  for (const check of checks) {
    try {
      await check(record);
    } catch (error) {
      record(
        `error-${requirements.length}`,
        "-",
        "The check ran to its end",
        false,
        error instanceof Error ? error.message : String(error),
      );
    }
  }
  return { requirements, exchanges: agent.exchanges, passed: requirements.every((r) => r.pass), durationMs: Date.now() - started };
}
