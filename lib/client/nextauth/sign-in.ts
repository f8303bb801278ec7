import "server-only";
import { getConfig } from "../../config";
import { getDb } from "../../db";
import { correlationIdFor, redactUrl } from "../../events";
import { signIn } from "../auth";
import { PROVIDER_ID } from "./config";
import { recordClientEvent } from "./run";

/**
 * Step 1, started by a plain form POST (a full page navigation) rather than a server action: Next.js
 * follows a server action's redirect to a same-origin URL inside its client router, with a fetch, so
 * with the authorization server on this origin the browser would never really go to /oauth/authorize.
 * On another origin a server action would do, but this works on both. next-auth's signIn() sets the
 * state, PKCE verifier and nonce cookies, and returns the authorization URL to send the browser to.
 */
export async function startSignIn(request: Request): Promise<Response> {
  const config = getConfig();
  // Only this app's own page may start a sign-in (browsers send Sec-Fetch-Site; Origin otherwise).
  const site = request.headers.get("sec-fetch-site");
  const sameOrigin = site ? site === "same-origin" : request.headers.get("origin") === new URL(config.issuer).origin;
  if (!sameOrigin)
    return new Response("A sign-in starts from this app's own page.", { status: 403, headers: { "Cache-Control": "no-store" } });
  const authorizationUrl: string = await signIn(PROVIDER_ID, { redirect: false, redirectTo: "/app" });
  // The run's id is derived from the PKCE challenge (lib/events.ts), so this first event joins the run.
  const challenge = new URL(authorizationUrl).searchParams.get("code_challenge");
  await recordClientEvent(await getDb(), config.client.nextAuth.id, challenge ? correlationIdFor(challenge) : undefined, {
    step: 1,
    name: "next-auth sent the browser to the authorization server",
    outcome: "ok",
    http: { response: { status: 303, headers: { location: redactUrl(authorizationUrl) } } },
    detail: { checks: "state, PKCE (S256) and nonce, each kept in an encrypted httpOnly cookie until the callback" },
  });
  return new Response(null, { status: 303, headers: { Location: authorizationUrl, "Cache-Control": "no-store" } });
}
