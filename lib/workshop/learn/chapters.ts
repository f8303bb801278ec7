import type { AttackId } from "../lab/attacks";

/**
 * The chapters of /learn, in the order a workshop follows them. Each explains one part of the grant
 * with the RFC sections behind it, and ends in runs of the real thing: a walkthrough run (the page's
 * own "start" button, POST /walkthrough/action) or lab attacks (the lab's server action). Text in
 * `backticks` is rendered as code.
 */

/** One thing a chapter's button runs for real. */
export type ChapterRun =
  | {
      kind: "walkthrough";
      /** The button's accessible name. */
      label: string;
      /** What to do and look for once the run has started. */
      then: string;
    }
  | {
      kind: "lab";
      label: string;
      /** The lab cards it runs, in order. */
      attacks: AttackId[];
      then: string;
    };

export type ChapterSection = { heading: string; paragraphs: string[] };

/** `ref` names a section: "RFC 6749 §4.1.2" or "OpenID Connect Core §3.1.3.7". */
export type RfcReference = { ref: string; about: string };

export type Chapter = {
  slug: string;
  title: string;
  /** One sentence: what the chapter is about. */
  summary: string;
  sections: ChapterSection[];
  rfcs: RfcReference[];
  runs: ChapterRun[];
  /** The chapter lists the lab cards it runs, each with its defense. */
  listCards?: true;
};

/** A section of an RFC or of OpenID Connect Core, as the chapters name them. */
export const RFC_SECTION = /^(RFC \d{4}|OpenID Connect Core) §\d+(\.\d+)*$/;

export const CHAPTERS: Chapter[] = [
  {
    slug: "roles",
    title: "The roles",
    summary: "Who takes part in the authorization code grant, and which part of this app plays each role.",
    sections: [
      {
        heading: "Four parties",
        paragraphs: [
          "OAuth 2.0 names four roles. The resource owner is the user (here the demo user `alice`). The client is an application that wants to act for the user: this app's walkthrough at `/walkthrough` and the next-auth client at `/app`. The authorization server authenticates the user, asks for consent and issues tokens: `/oauth/authorize`, `/oauth/token` and the login and consent pages. The resource server is the API that holds the user's data: `/api/me` and `/api/notes`.",
          "The point of the grant: the client never sees the user's password. It gets an access token instead, limited to the scopes the user allowed and to a short lifetime, and the API accepts that token.",
        ],
      },
      {
        heading: "Clients are registered",
        paragraphs: [
          "Every client is registered with the authorization server before it asks for anything: a `client_id`, the exact redirect URIs where the browser may come back, and the scopes it may ask for.",
          "A confidential client runs on a server and can keep a secret; a public client (a browser or mobile app) cannot. The walkthrough is confidential: it sends `client_secret` with `client_secret_post`, from its server, never through the browser.",
        ],
      },
    ],
    rfcs: [
      { ref: "RFC 6749 §1.1", about: "the four roles" },
      { ref: "RFC 6749 §1.3.1", about: "the authorization code grant" },
      { ref: "RFC 6749 §2.1", about: "confidential and public clients" },
      { ref: "RFC 6749 §2.3.1", about: "client authentication with a password (client_secret_post)" },
    ],
    runs: [
      {
        kind: "walkthrough",
        label: "Start a walkthrough run",
        then: "The walkthrough opens at step 1 of a new run of its own. The client (this app's server) has just generated the run's `state`, PKCE `code_verifier` and `nonce`. Press \"Send the browser to the authorization server\" and sign in as `alice` (password `alice-demo-password`): the sequence diagram at the bottom of the page has a lane for each party (the user's browser, the client app server, the authorization server and the resource server) and an arrow for every message between them.",
      },
    ],
  },
  {
    slug: "channels",
    title: "Front and back channel",
    summary: "Which messages travel through the browser, which go straight from server to server, and why it matters.",
    sections: [
      {
        heading: "The front channel: through the browser",
        paragraphs: [
          "Steps 1 to 3 are redirects. The client sends the browser to the authorization endpoint with the authorization request; after login and consent the authorization server sends the browser back to the client's redirect URI with the authorization response: a `code`, the `state` and the `iss`.",
          "Anything in the front channel can be seen by the user, by browser extensions, in the history, in server logs and in `Referer` headers. So nothing that is worth stealing travels there: the code is single-use, short-lived (at most ten minutes, says RFC 6749; {codeLifetime} on this server now, `CODE_TTL_SECONDS` or the instructor's setting), bound to the client and useless without the client's credentials and PKCE verifier.",
        ],
      },
      {
        heading: "The back channel: server to server",
        paragraphs: [
          "Steps 4 to 7 are direct requests from the client's server (HTTPS in production). The client exchanges the code at the token endpoint, a confidential client authenticating with its secret; the tokens come back in the response body with `Cache-Control: no-store`; the client calls the API with `Authorization: Bearer` and the access token.",
          "Tokens never cross the front channel. The implicit grant returned the access token in the redirect itself; that is why the Security BCP says clients should not use it.",
        ],
      },
    ],
    rfcs: [
      { ref: "RFC 6749 §4.1.1", about: "the authorization request (front channel)" },
      { ref: "RFC 6749 §4.1.2", about: "the authorization response, and a code's lifetime" },
      { ref: "RFC 6749 §4.1.3", about: "the access token request (back channel)" },
      { ref: "RFC 6749 §5.1", about: "the token response and Cache-Control: no-store" },
      { ref: "RFC 6750 §2.1", about: "the Bearer token in the Authorization header" },
      { ref: "RFC 9700 §2.1.2", about: "do not use the implicit grant" },
    ],
    runs: [
      {
        kind: "walkthrough",
        label: "Start a walkthrough run",
        then: 'Steps 1 to 3 of the run are the front channel: the authorization URL the browser is sent to, and the response it brings back to the redirect URI. Once you are back, press "Exchange the code for tokens": step 4 shows the back-channel request exactly as the client\'s server sent it, with the secret masked. The sequence diagram draws every message as an arrow between the two parties that exchanged it.',
      },
    ],
  },
  {
    slug: "pkce-and-state",
    title: "PKCE and state",
    summary: "Two random values the client makes for each run: one stops a stolen code, the other a forged response.",
    sections: [
      {
        heading: "PKCE: a stolen code is worthless",
        paragraphs: [
          "The client makes a random `code_verifier` (43 to 128 characters) and sends only its hash in the authorization request: `code_challenge` = BASE64URL(SHA-256(`code_verifier`)) with `code_challenge_method=S256`. At the token endpoint it sends the verifier itself; the server hashes it and compares. Whoever steals the code from the front channel does not have the verifier.",
          "The Security BCP requires PKCE of public clients and recommends it for confidential ones. This server requires it of every client and accepts only S256: with `plain`, the challenge seen in the front channel would be the verifier.",
        ],
      },
      {
        heading: "state: the response belongs to this browser's request",
        paragraphs: [
          "The client puts a random `state` in the request and keeps it with the user's browser session (the walkthrough keeps it in the run named by its cookie). It accepts an authorization response only if it carries that state. Otherwise an attacker could push a code for the attacker's own account into the victim's browser, and the client would sign the victim in as the attacker (CSRF).",
          "The response also names its issuer, `iss`, and the client compares it with the server it sent the browser to. That stops a mix-up between two authorization servers.",
        ],
      },
    ],
    rfcs: [
      { ref: "RFC 7636 §4.1", about: "the code_verifier" },
      { ref: "RFC 7636 §4.2", about: "the S256 code_challenge" },
      { ref: "RFC 7636 §4.6", about: "the server compares the verifier with the challenge" },
      {
        ref: "RFC 9700 §2.1.1",
        about: "PKCE: required of public clients, recommended for confidential ones; S256, which does not expose the verifier",
      },
      { ref: "RFC 6749 §10.12", about: "state against cross-site request forgery" },
      { ref: "RFC 9207 §2.4", about: "the client checks iss" },
    ],
    runs: [
      {
        kind: "lab",
        label: "Run the PKCE and state attacks",
        attacks: ["pkce", "state"],
        then: "The server runs lab cards 2 and 4 for real: it steals codes and redeems them without the verifier, with a wrong one and with the challenge, and pushes a code into a victim browser's walkthrough run with a forged state and with none. Each attempt shows the answer and the check that stopped it.",
      },
    ],
  },
  {
    slug: "tokens",
    title: "Tokens and their claims",
    summary: "What the access token, the ID token and the refresh token are, who reads each, and what is checked.",
    sections: [
      {
        heading: "The access token is for the API",
        paragraphs: [
          "Here the access token is a JWT signed with ES256. Its header has `typ: at+jwt` and the `kid` of a key in the server's JWKS; its claims are `iss`, `sub`, `aud` (the API), `client_id`, `scope`, `iat`, `exp`, `jti` and `auth_time`.",
          "The API checks them in order: the signature with the issuer's key, `typ`, `iss`, that `aud` is this API, `exp`; then that the token has not been revoked, and the scope the route needs. It is a bearer token: whoever holds it can use it, so it lives minutes, not days. The client does not read it: to a client an access token is opaque, and only the API interprets it.",
        ],
      },
      {
        heading: "The ID token is for the client",
        paragraphs: [
          "The ID token (OpenID Connect, scope `openid`) tells the client who signed in. Its `aud` is the client's `client_id`, it carries the `nonce` of the request and `at_hash`, a hash of the access token it came with. The client validates it; the API refuses it, because its `typ` is not `at+jwt` and its audience is not the API.",
          "The refresh token is opaque: only the authorization server reads it, and stores only its hash.",
        ],
      },
    ],
    rfcs: [
      { ref: "RFC 9068 §2.2", about: "the claims of a JWT access token" },
      { ref: "RFC 9068 §4", about: "how the API validates it" },
      { ref: "RFC 9068 §6", about: "the client treats the access token as opaque" },
      { ref: "RFC 6749 §1.5", about: "the refresh token" },
      { ref: "OpenID Connect Core §2", about: "the ID token" },
      { ref: "OpenID Connect Core §3.1.3.7", about: "ID token validation" },
    ],
    runs: [
      {
        kind: "walkthrough",
        label: "Start a walkthrough run",
        then: 'Take the run to its tokens: send the browser to the authorization server, sign in as `alice`, allow, and press "Exchange the code for tokens". Step 5 shows the access token and the ID token decoded, a line for every header parameter and claim, and the ID token\'s checks.',
      },
      {
        kind: "lab",
        label: "Run the forged-token attacks",
        attacks: ["api-tokens"],
        then: "The server runs lab card 7 for real: it calls the API with a token for another audience, an unsigned token, an HS256 token keyed with the public key, the ID token and an expired token. The API refuses each one by the claim or header it checks.",
      },
    ],
  },
  {
    slug: "refresh-and-revocation",
    title: "Refresh and revocation",
    summary: "How a client gets a new access token without the user, and how tokens are taken back.",
    sections: [
      {
        heading: "Refresh, with rotation",
        paragraphs: [
          "Access tokens are short-lived ({accessTokenLifetime} on this server now, `ACCESS_TOKEN_TTL_SECONDS` or the instructor's setting; refresh tokens {refreshTokenLifetime}). When one expires, the client sends its refresh token to the token endpoint with `grant_type=refresh_token` and its credentials, and gets a new access token. It gets a refresh token only if it was granted `offline_access`.",
          "This server rotates refresh tokens: every refresh returns a new one and retires the old. If a retired refresh token is ever presented again, it may have been stolen, so the server revokes the whole family: the attacker and the client both lose it, and the user signs in again.",
          "The price of rotation: if the server rotates a refresh token but its answer never reaches the client (a dropped connection, a crash), the client's next refresh presents the retired token and ends its own session. By default this server stays strict. `REFRESH_REUSE_INTERVAL_SECONDS` lets the same client retry the just-rotated token for a few seconds: it gets a fresh pair, and the successor it never received is revoked. The cost: within that window a thief holding the just-rotated token is served too, until the client's next refresh presents a revoked token and the family ends.",
        ],
      },
      {
        heading: "Revocation and introspection",
        paragraphs: [
          "A client that is done (the user signs out) tells the server to revoke its tokens. Revoking a refresh token revokes the access tokens of the same grant too; an unknown token is answered with `200` all the same, so the endpoint reveals nothing.",
          "A revoked JWT still has a valid signature until `exp`, so the API must ask whether it was revoked: this API looks up the token's `jti`, or calls the introspection endpoint, which answers `active: false` for a revoked token.",
        ],
      },
    ],
    rfcs: [
      { ref: "RFC 6749 §6", about: "refreshing an access token" },
      { ref: "OpenID Connect Core §11", about: "offline_access" },
      { ref: "RFC 9700 §4.14.2", about: "refresh token rotation and reuse detection" },
      { ref: "RFC 7009 §2.1", about: "revocation, and a refresh token's grant with it" },
      { ref: "RFC 7009 §2.2", about: "200 for any token" },
      { ref: "RFC 7662 §2.2", about: "introspection's active" },
    ],
    runs: [
      {
        kind: "lab",
        label: "Run the refresh token reuse attack",
        attacks: ["refresh-reuse"],
        then: "The server runs lab card 6 for real: the client refreshes, then the attacker presents the rotated refresh token. The reuse is refused and revokes the family: the client's newest refresh token and access token stop working too.",
      },
      {
        kind: "walkthrough",
        label: "Start a walkthrough run",
        then: 'Take the run to its tokens (sign in as `alice`, allow, "Exchange the code for tokens"), then in step 7 press "Refresh the access token" to see the old and the new refresh token side by side, and "Revoke the tokens" to see the revocation request and the API\'s `401` after it.',
      },
    ],
  },
  {
    slug: "attacks",
    title: "What the lab's attacks teach",
    summary: "Eight attacks on the grant, each stopped by one check that a real server or client must make.",
    sections: [
      {
        heading: "Every defense is a check",
        paragraphs: [
          "Each attack in the lab targets a shortcut an implementation could take: a code accepted twice, a redirect URI matched by prefix, a response accepted without its state, a token accepted for the wrong audience. The defense is always a check the server or the client makes, named with its RFC section on the card.",
          "The OAuth 2.0 Security Best Current Practice collects these checks. This server follows its recommendations, and most of the lab's attacks are among those it describes, each with its mitigation.",
        ],
      },
    ],
    rfcs: [
      { ref: "RFC 9700 §2", about: "the recommendations" },
      { ref: "RFC 9700 §4", about: "the attacks and their mitigations" },
      { ref: "RFC 9700 §4.5", about: "authorization code injection" },
      { ref: "RFC 9700 §4.4", about: "mix-up attacks" },
      { ref: "RFC 6749 §10.5", about: "authorization codes" },
    ],
    runs: [
      {
        kind: "lab",
        label: "Run all the lab's attacks",
        attacks: ["code-replay", "pkce", "redirect-uri", "state", "mix-up", "refresh-reuse", "api-tokens", "other-client"],
        then: "The server runs the eight lab cards one after the other, for real, and shows each card's verdict as it finishes. The lab (/lab) runs each card on its own.",
      },
    ],
    listCards: true,
  },
  {
    slug: "beyond-bearer-tokens",
    title: "Beyond bearer tokens",
    summary:
      "What OAuth 2.1 and FAPI 2.0 add to the grant: requests that cannot be changed on their way, and tokens that only their holder's key can use.",
    sections: [
      {
        heading: "The link is not the client's",
        paragraphs: [
          "In step 1 the whole authorization request travels in a link through the user's browser. The client signs nothing and sees nothing of it on the way: a malicious page, a browser extension or a proxy can widen the `scope`, swap the `state` or point the `redirect_uri` elsewhere, and the user is then asked to consent to a request the client never made. Exact redirect URI matching stops the worst of it; the rest is still open.",
          "Pushed authorization requests (PAR) move the request to the back channel. The client POSTs it to `/oauth/par`, authenticated as at the token endpoint; the server checks all of it there and answers `201` with a `request_uri`, a one-time reference that expires in 60 seconds and is bound to the client. The link then carries only `client_id` and that `request_uri`. This server refuses any other parameter beside it, rather than ignoring it, so a changed link shows as an error instead of quietly becoming another request.",
          "A client registered with `require_pushed_authorization_requests` must push; with `REQUIRE_PAR=on` every client must. The walkthrough's start form has a Use PAR switch: step 1 then shows the push, its answer, and the short link.",
        ],
      },
      {
        heading: "A token that only its holder can use",
        paragraphs: [
          "A bearer token works for whoever holds it. A token copied from a log, a proxy or a compromised API works from the attacker's machine as well as from the client's, until it expires. A public client's refresh token is worse: nothing else stands between it and new tokens.",
          "DPoP binds tokens to a key. The client makes a key pair and signs a proof for every token and API request: a short JWT with `typ: dpop+jwt`, its public key in the header, and claims that name this one request (`htm`, `htu`), its time (`iat`), a unique `jti`, the server's `nonce` when it asks for one, and at the API the hash of the token sent with it (`ath`). The token endpoint then issues `token_type: DPoP` and writes the key's thumbprint into the access token as `cnf.jkt`; a public client's refresh token is bound to the key too.",
          "The API takes such a token only as `Authorization: DPoP` with a fresh proof of that key: as a bearer token, with no proof, with another key's proof or with a proof seen before, it answers 401 with a `WWW-Authenticate: DPoP` challenge. Both servers remember each proof's `jti` and ask for their own nonce (`DPoP-Nonce`, answered with `use_dpop_nonce` until the proof carries it), so a captured proof cannot be replayed and a proof cannot be made in advance. The walkthrough's Bind tokens with DPoP switch shows each proof, decoded, beside its request.",
        ],
      },
    ],
    rfcs: [
      { ref: "RFC 9126 §1", about: "why push: integrity and confidentiality of the request" },
      { ref: "RFC 9126 §2", about: "the pushed authorization request endpoint and its response" },
      { ref: "RFC 9126 §4", about: "the authorization request with a request_uri" },
      { ref: "RFC 9126 §5", about: "require_pushed_authorization_requests in the server's metadata" },
      { ref: "RFC 9449 §4", about: "the DPoP proof and how a server checks it" },
      { ref: "RFC 9449 §5", about: "DPoP access token requests, and refresh tokens bound to a public client's key" },
      { ref: "RFC 9449 §6", about: "cnf.jkt: the key's thumbprint in the access token" },
      { ref: "RFC 9449 §7", about: "DPoP at the protected resource, and its challenge" },
      { ref: "RFC 9449 §8", about: "the server's nonce" },
      { ref: "RFC 9449 §11.1", about: "proof replay" },
    ],
    runs: [
      {
        kind: "lab",
        label: "Run the attacks that PAR stops",
        attacks: ["par-tampering"],
        then: "The server runs lab card 9 for real: the client pushes its request, then the victim's browser follows the link with a wider scope, another state and the attacker's redirect URI added, and with a request_uri the attacker pushed with its own client. Each is refused before anything is asked of the user.",
      },
      {
        kind: "lab",
        label: "Run the attacks that DPoP stops",
        attacks: ["stolen-token", "dpop-replay", "public-refresh"],
        then: "The server runs lab cards 10 to 12 for real: a stolen bearer token works from the attacker's machine, then a DPoP-bound one is refused as a bearer token, without a proof and with the attacker's own key; a captured proof is replayed, made in advance and used at another endpoint; a public client's stolen refresh token is tried without the key. Every attempt is refused.",
      },
    ],
    listCards: true,
  },
];

export function findChapter(slug: string): { chapter: Chapter; number: number; previous?: Chapter; next?: Chapter } | undefined {
  const index = CHAPTERS.findIndex((c) => c.slug === slug);
  if (index < 0) return undefined;
  return { chapter: CHAPTERS[index], number: index + 1, previous: CHAPTERS[index - 1], next: CHAPTERS[index + 1] };
}

export const chapterPath = (chapter: Chapter) => `/learn/${chapter.slug}`;

/** The lifetimes a chapter quotes, as in effect on this server when the page is rendered (`{codeLifetime}` in its text). */
export type QuotedLifetimes = { codeLifetime: number; accessTokenLifetime: number; refreshTokenLifetime: number };

/** A duration as a person says it: "60 seconds", "5 minutes", "1 day". */
export function durationWords(seconds: number): string {
  const units: [number, string][] = [
    [86_400, "day"],
    [3600, "hour"],
    [60, "minute"],
  ];
  for (const [size, unit] of units) {
    if (seconds >= size && seconds % size === 0) return `${seconds / size} ${unit}${seconds === size ? "" : "s"}`;
  }
  return `${seconds} second${seconds === 1 ? "" : "s"}`;
}

/** A chapter's text with the lifetimes in effect put in. */
export const withLifetimes = (text: string, lifetimes: QuotedLifetimes) =>
  text.replace(/\{(codeLifetime|accessTokenLifetime|refreshTokenLifetime)\}/g, (_, name: keyof QuotedLifetimes) =>
    durationWords(lifetimes[name]),
  );
