import { basicAuth, form, header, hiddenInput, pkcePair, type HttpClient } from "./http";

/** The bench's client and user: the seeded next-auth client (client_secret_basic) and alice. */
export const CLIENT = { id: "nextauth-demo", secret: process.env.AUTH_AUTHCODE_LAB_SECRET || "nextauth-demo-secret" };
export const USER = { username: "alice", password: "alice-demo-password" };
/** openid and offline_access, so that every code grant issues an access token, a refresh token and an ID token. */
export const SCOPE = "openid offline_access notes:read notes:write";

export type TokenSet = { access_token: string; refresh_token: string; id_token: string };

export function flowFor(baseURL: string) {
  const redirectUri = `${baseURL}/api/auth/callback/authcode-lab`;
  const authorization = basicAuth(CLIENT.id, CLIENT.secret);

  /** RFC 6749 §4.1.1: the authorization request's path, with a fresh PKCE challenge. */
  const authorizePath = (challenge: string, state: string) =>
    `/oauth/authorize?${form({
      response_type: "code",
      client_id: CLIENT.id,
      redirect_uri: redirectUri,
      scope: SCOPE,
      state,
      nonce: "bench-nonce",
      code_challenge: challenge,
      code_challenge_method: "S256",
    })}`;

  /** The code and state of an authorization response (a 302 to the redirect URI), or undefined. */
  const codeOf = (status: number, location: string | undefined): { code: string; state: string } | undefined => {
    if (status !== 302 || !location?.startsWith(`${redirectUri}?`)) return undefined;
    const params = new URL(location).searchParams;
    const code = params.get("code");
    return code ? { code, state: params.get("state") ?? "" } : undefined;
  };

  const codeRequest = (code: string, verifier: string) => ({
    method: "POST" as const,
    path: "/oauth/token",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Authorization: authorization },
    body: form({ grant_type: "authorization_code", code, redirect_uri: redirectUri, code_verifier: verifier }),
  });

  const refreshRequest = (refreshToken: string) => ({
    method: "POST" as const,
    path: "/oauth/token",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Authorization: authorization },
    body: form({ grant_type: "refresh_token", refresh_token: refreshToken }),
  });

  /** A token response with all three tokens, or undefined. */
  const tokensOf = (status: number, body: string): TokenSet | undefined => {
    if (status !== 200) return undefined;
    try {
      const json = JSON.parse(body) as Partial<TokenSet>;
      return json.access_token && json.refresh_token && json.id_token ? (json as TokenSet) : undefined;
    } catch {
      return undefined;
    }
  };

  /**
   * The user's browser, once, through the real pages: the authorization request sends it to /login,
   * the login form (with the Origin a browser sends) to /consent, and allowing there to the client
   * with a code. Returns the session cookie (consent is now remembered) and that first code's tokens.
   */
  async function signIn(http: HttpClient): Promise<{ cookie: string; tokens: TokenSet }> {
    const jar = new Map<string, string>();
    const cookieHeader = () => ({ Cookie: [...jar].map(([k, v]) => `${k}=${v}`).join("; ") });
    const keep = (setCookie: string | string[] | undefined) => {
      for (const line of [setCookie ?? []].flat()) {
        const [pair] = line.split(";");
        const i = pair.indexOf("=");
        jar.set(pair.slice(0, i).trim(), pair.slice(i + 1).trim());
      }
    };
    const expect = (ok: boolean, what: string) => {
      if (!ok) throw new Error(`Sign-in failed: ${what}`);
    };
    const pkce = pkcePair();

    const start = await http.send("GET", authorizePath(pkce.challenge, "sign-in"));
    const login = new URL(header(start, "location") ?? "", baseURL);
    expect(start.status === 302 && login.pathname === "/login", `the authorization request answered ${start.status} ${login.href}`);
    const loginPage = await http.send("GET", login.pathname + login.search);
    const interaction = hiddenInput(loginPage.body, "interaction");
    expect(loginPage.status === 200 && !!interaction, `the login page answered ${loginPage.status}`);

    const origin = { Origin: new URL(baseURL).origin, "Content-Type": "application/x-www-form-urlencoded" };
    const signedIn = await http.send("POST", "/login/submit", origin, form({ interaction: interaction!, ...USER }));
    keep(signedIn.headers["set-cookie"]);
    const consent = new URL(header(signedIn, "location") ?? "", baseURL);
    expect(signedIn.status === 303 && consent.pathname === "/consent", `the login form answered ${signedIn.status} ${consent.href}`);

    const consentPage = await http.send("GET", consent.pathname + consent.search, cookieHeader());
    const csrf = hiddenInput(consentPage.body, "csrf");
    expect(consentPage.status === 200 && !!csrf, `the consent page answered ${consentPage.status}`);
    const allowed = await http.send(
      "POST",
      "/consent/submit",
      { ...origin, ...cookieHeader() },
      form({ interaction: interaction!, csrf: csrf!, decision: "allow" }),
    );
    const result = codeOf(allowed.status === 303 ? 302 : allowed.status, header(allowed, "location"));
    expect(!!result, `the consent form answered ${allowed.status} ${header(allowed, "location")}`);

    const exchange = codeRequest(result!.code, pkce.verifier);
    const tokenResponse = await http.send(exchange.method, exchange.path, exchange.headers, exchange.body);
    const tokens = tokensOf(tokenResponse.status, tokenResponse.body);
    expect(!!tokens, `the token endpoint answered ${tokenResponse.status} ${tokenResponse.body.slice(0, 200)}`);
    return { cookie: cookieHeader().Cookie, tokens: tokens! };
  }

  return { redirectUri, authorizePath, codeOf, codeRequest, refreshRequest, tokensOf, signIn };
}

export type Flow = ReturnType<typeof flowFor>;
