import "server-only";
import { getConfig } from "../../config";
import { DEMO_USERS, SELF_CHECK_USER } from "../../demo";
import type { Context } from "../../oauth/context";
import { countAttempt } from "../../rate-limit";
import type { LabEnv } from "./client";
import { markingFetch } from "./mark-runs";
import { runSelfCheck, type SelfCheckReport } from "./self-check";
import { LAB_WEAKENED_CLIENT_ID, labWeakenedClient, weakness, weaknessesOf } from "./weakened";

/**
 * The lab's environment in this process: the authorization server and API the client role uses, the
 * walkthrough's registration (client_secret_post) as the lab's client, the next-auth registration
 * (client_secret_basic) as "another client", and a seeded user (the self-check has its own).
 */
export function labEnv(user: "alice" | "bob" | "self-check" = "alice"): LabEnv {
  const config = getConfig();
  const demoUser = [...DEMO_USERS, SELF_CHECK_USER].find((u) => u.username === user)!;
  const attacker = DEMO_USERS.find((u) => u.username !== user)!;
  return {
    issuer: config.client.issuer,
    resourceServerUrl: config.client.resourceServerUrl,
    client: {
      id: config.client.walkthrough.id,
      secret: config.client.walkthrough.secret,
      redirectUri: `${config.issuer}/walkthrough/callback`,
      auth: "client_secret_post",
    },
    otherClient: {
      id: config.client.nextAuth.id,
      secret: config.client.nextAuth.secret,
      redirectUri: `${config.issuer}/api/auth/callback/authcode-lab`,
      auth: "client_secret_basic",
    },
    publicClient: { id: "public-demo", secret: "", redirectUri: `${config.issuer}/walkthrough/callback`, auth: "none" },
    user: { username: demoUser.username, password: demoUser.password },
    attacker: { username: attacker.username, password: attacker.password },
  };
}

/**
 * LAB MODE only: the same environment with the weakened lab client as the lab's client, its weaknesses
 * (lib/workshop/lab/weakened.ts) and the weakened copy of the API. Undefined when lab mode is off.
 */
export function labWeakenedEnv(user: "alice" | "bob" = "alice"): LabEnv | undefined {
  const config = getConfig();
  if (!config.labMode) return undefined;
  const registration = labWeakenedClient(config.demoClientUrl);
  return {
    ...labEnv(user),
    client: { id: registration.id, secret: registration.secret, redirectUri: registration.redirectUris[0], auth: registration.authMethod },
    weaknesses: weaknessesOf(config, LAB_WEAKENED_CLIENT_ID),
    ...(weakness(config, LAB_WEAKENED_CLIENT_ID, "naive-api") ? { weakenedApi: `${config.issuer}/lab/weakened/api` } : {}),
  };
}

/**
 * The self-check signs in for real, so it is limited as sign-in is: per address (LOGIN_MAX_FAILURES × 4)
 * and from all addresses together (× 10) within LOGIN_WINDOW_SECONDS. Every run counts. True when this
 * run may go.
 */
export async function selfCheckAllowed(ctx: Context, ip: string): Promise<boolean> {
  const max = ctx.config.loginMaxFailures;
  return !(
    await countAttempt(
      ctx,
      [
        { key: `self-check:ip:${ip}`, max: max * 4 },
        { key: "self-check:all", max: max * 10 },
      ],
      ctx.config.loginWindow,
    )
  ).reached;
}

/** The self-check against this app, as its own user, with its runs marked for the instructor; null when limited. */
export async function runLimitedSelfCheck(ctx: Context, ip: string): Promise<SelfCheckReport | null> {
  if (!(await selfCheckAllowed(ctx, ip))) return null;
  return runSelfCheck({ ...labEnv("self-check"), fetch: markingFetch("self-check") });
}
