import "server-only";
import { z } from "zod";
import { databaseProvider, DEFAULT_DATABASE_URL } from "./database-url";

/** An origin as the Origin header carries it (RFC 6454 §6.1): scheme, host and port, nothing else. */
const isOrigin = (value: string) => {
  try {
    const url = new URL(value);
    return /^https?:$/.test(url.protocol) && url.origin === value;
  } catch {
    return false;
  }
};

/**
 * The whole configuration, read from the environment once and validated with a message that names the
 * variable. Every option has a typed default and one line of description.
 */
const seconds = (fallback: number, min = 1, max = 31_536_000) => z.coerce.number().int().min(min).max(max).default(fallback);

/** An on/off switch: `on`, `true`, `1` or `off`, `false`, `0`; off when unset unless said. */
const flag = (fallback: "on" | "off" = "off") =>
  z
    .enum(["on", "off", "true", "false", "1", "0"], { error: "must be on or off" })
    .default(fallback)
    .transform((v) => ["on", "true", "1"].includes(v));

const schema = z.object({
  /** Base URL of the app and the issuer identifier of the authorization server (RFC 8414 §2). */
  APP_URL: z.url({ protocol: /^https?$/, error: "must be an absolute http(s) URL, such as http://localhost:3000" }).optional(),
  /** Port of `npm run demo`; used for the default APP_URL. */
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** `file:./path.db` for the embedded SQLite database, `postgresql://...` for PostgreSQL shared by several instances. */
  DATABASE_URL: z
    .string()
    .refine(
      (url) => {
        try {
          return !!databaseProvider(url);
        } catch {
          return false;
        }
      },
      {
        message:
          "must be a SQLite URL such as file:./data/authcode-lab.db or a PostgreSQL URL such as postgresql://user:password@host:5432/authcode_lab",
      },
    )
    .default(DEFAULT_DATABASE_URL),
  /** Identifier of the protected API: the `aud` of every access token (RFC 9068 §3). */
  API_AUDIENCE: z.url().optional(),
  /** Lifetime of an authorization code; short, as RFC 6749 §4.1.2 asks (10 minutes at most). */
  CODE_TTL_SECONDS: seconds(60, 1, 600),
  /** Lifetime of an access token. */
  ACCESS_TOKEN_TTL_SECONDS: seconds(300),
  /** Lifetime of an ID token. */
  ID_TOKEN_TTL_SECONDS: seconds(300),
  /** Lifetime of a refresh token (each rotation issues a new one with the same deadline). */
  REFRESH_TOKEN_TTL_SECONDS: seconds(86_400),
  /**
   * Seconds in which the client that just rotated a refresh token may present it again, after a lost
   * answer, and get a fresh pair (its unreceived successor is revoked); 0: strict, any reuse revokes the family.
   */
  REFRESH_REUSE_INTERVAL_SECONDS: z.coerce.number().int().min(0).max(300).default(0),
  /** Lifetime of the authorization server's login session. */
  SESSION_TTL_SECONDS: seconds(28_800),
  /** How long a user has to sign in and consent once an authorization request is accepted. */
  INTERACTION_TTL_SECONDS: seconds(600, 30, 86_400),
  /** Failed sign-ins allowed per account, and per IP address (×4), within the window below. */
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
  /** The rate-limit window for failed sign-ins. */
  LOGIN_WINDOW_SECONDS: seconds(900),
  /** Client registrations (RFC 7591, `/oauth/register` and `/clients/new`) allowed per IP address within the window below. */
  REGISTRATION_MAX_PER_WINDOW: z.coerce.number().int().min(1).max(100_000).default(10),
  /** The rate-limit window for client registrations. */
  REGISTRATION_WINDOW_SECONDS: seconds(600),
  /** Client registrations allowed from all addresses together within the same window (a room behind many addresses). */
  REGISTRATION_MAX_TOTAL_PER_WINDOW: z.coerce.number().int().min(1).max(1_000_000).default(200),
  /** Proxies in front of the server whose X-Forwarded-For is trusted for the per-IP limits; 0: the socket's address. */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  /** Secret of the next-auth client's session cookies; unset: one generated on first start, kept in the data directory. */
  AUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  /** The authorization server the client role (walkthrough, next-auth) uses; default APP_URL. */
  AUTH_AUTHCODE_LAB_ISSUER: z.url({ protocol: /^https?$/ }).optional(),
  /** Base URL of the protected API the clients call (`/api/me`, `/api/notes`); default: the authorization server's URL. */
  RESOURCE_SERVER_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** The next-auth client's registration at the authorization server (client_secret_basic). */
  AUTH_AUTHCODE_LAB_ID: z.string().min(1).max(256).default("nextauth-demo"),
  AUTH_AUTHCODE_LAB_SECRET: z.string().min(1).max(512).default("nextauth-demo-secret"),
  /** Base URL of the client role whose redirect URIs the seed registers (a split-origin run); default APP_URL. */
  DEMO_CLIENT_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** The walkthrough client's registration (client_secret_post). */
  WALKTHROUGH_CLIENT_ID: z.string().min(1).max(256).default("walkthrough"),
  WALKTHROUGH_CLIENT_SECRET: z.string().min(1).max(512).default("walkthrough-demo-secret"),
  /**
   * Comma-separated client ids of protected resources that may introspect any token (RFC 7662 §4);
   * default `resource-server` when the API's revocation check is introspection, nobody otherwise.
   */
  INTROSPECTION_CLIENTS: z
    .string()
    .regex(/^[\w.-]+(,[\w.-]+)*$/, "must be comma-separated client ids")
    .optional(),
  /** The authorization server whose tokens the protected API accepts (its metadata gives the JWKS); default APP_URL. */
  RS_ISSUER: z.url({ protocol: /^https?$/ }).optional(),
  /** How the protected API honours revocation: `jti` (a lookup in the shared database) or `introspection` (RFC 7662). */
  RS_REVOCATION_CHECK: z.enum(["jti", "introspection"]).default("jti"),
  /** Secret of the `resource-server` client, with which the API introspects tokens; the demo default only in development. */
  RS_CLIENT_SECRET: z.string().min(16, "must be at least 16 characters").optional(),
  /** Comma-separated origins whose pages may call the API from a browser (CORS); default APP_URL's origin. */
  RS_CORS_ORIGINS: z
    .string()
    .optional()
    .refine((v) => v === undefined || v.split(",").every((o) => isOrigin(o.trim())), {
      message: "must be a comma-separated list of origins such as https://app.example.com (scheme, host and port; no path)",
    }),
  /** How long flow events are kept (the runs still on screen keep theirs longer); a day, a workshop's length, by default. Fractions too (0.05: 3 minutes). */
  EVENT_RETENTION_HOURS: z.coerce.number().min(0.01).max(8760).default(24),
  /**
   * How long past its expiry a dead row is kept before the purge deletes it; unset: 5 minutes, and an hour
   * for tokens (lib/records/prune.ts), for the clocks of instances a little apart. The soak sets it short.
   * At least a minute; DPoP proofs remembered against replay keep their 5 minutes whatever it says.
   */
  PURGE_GRACE_SECONDS: z.coerce.number().int().min(60).max(86_400).optional(),
  /** How often the server purges dead rows (expired codes, tokens, sessions, old events: lib/records/prune.ts); 0 turns it off (then run `npm run db:prune`). */
  PRUNE_INTERVAL_SECONDS: z.coerce.number().int().min(0).max(86_400).default(600),
  /** Test mode (never in the demo): /api/test/reset restores the seed and /api/test/clock moves the server's clock. */
  TEST_MODE: flag(),
  /** The benchmark's reference routes (/api/bench/empty, /api/bench/form), for `npm run bench` only; off, they answer 404. */
  BENCH_ROUTES: flag(),
  /** Workshop mode: the instructor view (/instructor) with live events, lifetimes, "expire now" and reset. */
  WORKSHOP_MODE: flag(),
  /** The instructor's password for /instructor; required in workshop mode. */
  INSTRUCTOR_PASSWORD: z.string().min(8, "must be at least 8 characters").max(256).optional(),
  /** Lab mode: a deliberately weakened lab client, so the lab can show each attack succeeding without its defense. */
  LAB_MODE: flag(),
  /** Every client must push its authorization requests (RFC 9126 §5); off, only clients registered with it must. */
  REQUIRE_PAR: flag(),
  /** RFC 9449 §8 and §9: DPoP proofs must carry a nonce from the server (`DPoP-Nonce`, rotated every 5 minutes); off: none asked for. */
  DPOP_NONCE: flag("on"),
});

export type Config = {
  issuer: string;
  port: number;
  databaseUrl: string;
  apiAudience: string;
  codeTtl: number;
  accessTokenTtl: number;
  idTokenTtl: number;
  refreshTokenTtl: number;
  /** REFRESH_REUSE_INTERVAL_SECONDS. */
  refreshReuseInterval: number;
  sessionTtl: number;
  interactionTtl: number;
  loginMaxFailures: number;
  loginWindow: number;
  registrationMaxPerWindow: number;
  registrationWindow: number;
  registrationMaxTotalPerWindow: number;
  trustProxyHops: number;
  /** Seconds a flow event is kept (EVENT_RETENTION_HOURS). */
  eventRetention: number;
  /** Seconds between two purges in the server; 0: none. */
  pruneInterval: number;
  /** PURGE_GRACE_SECONDS: seconds past its expiry a dead row is kept; undefined: the purge's own defaults. */
  purgeGrace: number | undefined;
  /** AUTH_SECRET as set; read it through authSecret() (lib/client/nextauth/session-cookie.ts), which generates one when unset. */
  authSecret: string | undefined;
  /** Cookies get `Secure` when the app is served over HTTPS. */
  secureCookies: boolean;
  /** The client role: the authorization server and API it talks to, and its two registrations. */
  client: {
    issuer: string;
    resourceServerUrl: string;
    nextAuth: { id: string; secret: string };
    walkthrough: { id: string; secret: string };
  };
  /** Clients that may introspect tokens issued to other clients. */
  introspectionClients: string[];
  /** Where the seeded demo clients live (their redirect URIs). */
  demoClientUrl: string;
  /** The resource server: the issuer it trusts, its revocation check, its introspection secret, its CORS origins. */
  rsIssuer: string;
  rsRevocationCheck: "jti" | "introspection";
  rsClientSecret: string;
  rsCorsOrigins: string[];
  /** Modes switched on only by configuration (see the schema above). */
  testMode: boolean;
  benchRoutes: boolean;
  workshop: { enabled: boolean; instructorPassword?: string };
  labMode: boolean;
  /** RFC 9126 §5: authorization requests only through /oauth/par, for every client. */
  requirePar: boolean;
  /** DPOP_NONCE: DPoP proofs must carry the server's nonce (RFC 9449 §8, §9). */
  dpopNonce: boolean;
};

/** The protected API's registration as a client, with which it introspects (lib/demo.ts seeds it when it may). */
export const RS_CLIENT_ID = "resource-server";
/** The `resource-server` client's demo secret, printed in the docs: accepted in development only. */
export const DEMO_RS_CLIENT_SECRET = "resource-server-demo-secret";

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Parse and validate an environment; throws a ConfigError naming each bad variable. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const input = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const result = schema.safeParse(input);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const e = result.data;
  const appUrl = new URL(e.APP_URL ?? `http://localhost:${e.PORT}`);
  if (appUrl.search || appUrl.hash)
    throw new ConfigError("Invalid configuration:\n  APP_URL: must not have a query or fragment (RFC 8414 §2)");
  const issuer = appUrl.href.replace(/\/$/, "");
  const introspectionClients = e.INTROSPECTION_CLIENTS?.split(",") ?? (e.RS_REVOCATION_CHECK === "introspection" ? [RS_CLIENT_ID] : []);
  const development = env.NODE_ENV === "development" || env.NODE_ENV === "test";
  if (!e.RS_CLIENT_SECRET && !development && (introspectionClients.includes(RS_CLIENT_ID) || e.RS_REVOCATION_CHECK === "introspection")) {
    throw new ConfigError(
      "Invalid configuration:\n  RS_CLIENT_SECRET: must be set outside development when the resource-server client introspects tokens (its demo value is published in the README)",
    );
  }
  if (e.WORKSHOP_MODE && !e.INSTRUCTOR_PASSWORD) {
    throw new ConfigError("Invalid configuration:\n  INSTRUCTOR_PASSWORD: must be set when WORKSHOP_MODE is on (it guards /instructor)");
  }
  return {
    issuer,
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    apiAudience: e.API_AUDIENCE ?? `${issuer}/api`,
    codeTtl: e.CODE_TTL_SECONDS,
    accessTokenTtl: e.ACCESS_TOKEN_TTL_SECONDS,
    idTokenTtl: e.ID_TOKEN_TTL_SECONDS,
    refreshTokenTtl: e.REFRESH_TOKEN_TTL_SECONDS,
    refreshReuseInterval: e.REFRESH_REUSE_INTERVAL_SECONDS,
    sessionTtl: e.SESSION_TTL_SECONDS,
    interactionTtl: e.INTERACTION_TTL_SECONDS,
    loginMaxFailures: e.LOGIN_MAX_FAILURES,
    loginWindow: e.LOGIN_WINDOW_SECONDS,
    registrationMaxPerWindow: e.REGISTRATION_MAX_PER_WINDOW,
    registrationWindow: e.REGISTRATION_WINDOW_SECONDS,
    registrationMaxTotalPerWindow: e.REGISTRATION_MAX_TOTAL_PER_WINDOW,
    trustProxyHops: e.TRUST_PROXY_HOPS,
    eventRetention: Math.round(e.EVENT_RETENTION_HOURS * 3600),
    pruneInterval: e.PRUNE_INTERVAL_SECONDS,
    purgeGrace: e.PURGE_GRACE_SECONDS,
    authSecret: e.AUTH_SECRET,
    secureCookies: appUrl.protocol === "https:",
    client: {
      issuer: e.AUTH_AUTHCODE_LAB_ISSUER?.replace(/\/$/, "") ?? issuer,
      resourceServerUrl: (e.RESOURCE_SERVER_URL ?? e.AUTH_AUTHCODE_LAB_ISSUER ?? issuer).replace(/\/$/, ""),
      nextAuth: { id: e.AUTH_AUTHCODE_LAB_ID, secret: e.AUTH_AUTHCODE_LAB_SECRET },
      walkthrough: { id: e.WALKTHROUGH_CLIENT_ID, secret: e.WALKTHROUGH_CLIENT_SECRET },
    },
    introspectionClients,
    demoClientUrl: e.DEMO_CLIENT_URL?.replace(/\/$/, "") ?? issuer,
    rsIssuer: e.RS_ISSUER ? e.RS_ISSUER.replace(/\/$/, "") : issuer,
    rsRevocationCheck: e.RS_REVOCATION_CHECK,
    rsClientSecret: e.RS_CLIENT_SECRET ?? DEMO_RS_CLIENT_SECRET,
    rsCorsOrigins: e.RS_CORS_ORIGINS ? e.RS_CORS_ORIGINS.split(",").map((o) => o.trim()) : [appUrl.origin],
    testMode: e.TEST_MODE,
    benchRoutes: e.BENCH_ROUTES,
    workshop: { enabled: e.WORKSHOP_MODE, instructorPassword: e.INSTRUCTOR_PASSWORD },
    labMode: e.LAB_MODE,
    requirePar: e.REQUIRE_PAR,
    dpopNonce: e.DPOP_NONCE,
  };
}

/** Warnings for demo defaults used outside development (oidc-provider's `shouldChange`). */
export function configWarnings(env: Record<string, string | undefined>, config: Config): string[] {
  if (env.NODE_ENV === "development" || env.NODE_ENV === "test") return [];
  const warnings: string[] = [];
  if (config.testMode)
    warnings.push(
      "TEST_MODE is on: /api/test/reset erases all data and /api/test/clock moves the server's clock. Never on a shared server.",
    );
  if (config.labMode) warnings.push("LAB_MODE is on: the lab offers a deliberately weakened client. For a classroom only.");
  if (!env.AUTH_SECRET && databaseProvider(config.databaseUrl) === "postgresql") {
    warnings.push(
      "AUTH_SECRET is not set: next-auth's sessions are sealed with a secret generated in ./data, which instances on other machines do not share. Set AUTH_SECRET when they serve the next-auth client.",
    );
  }
  const host = new URL(config.issuer).hostname;
  if (!config.secureCookies && !["localhost", "127.0.0.1", "[::1]"].includes(host)) {
    warnings.push(`APP_URL is plain http on ${host}: use https outside a local demo (RFC 9700 §2.6).`);
  }
  return warnings;
}

let cached: Config | undefined;

/** The validated configuration of this process. */
export function getConfig(): Config {
  return (cached ??= parseConfig(process.env));
}
