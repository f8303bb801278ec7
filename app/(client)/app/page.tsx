import type { Metadata } from "next";
import { getConfig } from "@/lib/config";
import { loadRunForPage } from "@/lib/client/nextauth/panel";
import { lastRun, readSessionToken } from "@/lib/client/nextauth/session";
import { AccountGrants } from "./account-grants";
import { signOutOfNextAuth } from "./actions";
import { CallApi } from "./call-api";
import { ExpiresIn } from "./expires-in";
import { FlowPanel } from "./flow-panel";

export const metadata: Metadata = { title: "Production-style client (next-auth)" };

/** Auth.js sends sign-in errors here as ?error=<type> (pages.signIn and pages.error are /app). */
const SIGN_IN_ERRORS: Record<string, string> = {
  OAuthCallbackError:
    "Sign-in did not complete: the authorization server sent back an error instead of a code (for example, access was denied on the consent page). No session was created.",
  AccessDenied: "Sign-in was refused. No session was created.",
};
const OTHER_ERROR = "Sign-in failed on this app's server (its log says why). No session was created.";

const button = "rounded-md px-4 py-2 font-semibold";

/**
 * The production-style client: next-auth does steps 1-5 in a few lines of configuration
 * (lib/client/nextauth/config.ts); this page shows the signed-in user, calls the protected API from
 * the server and lists what happened, from the flow events. Tokens never reach this page's HTML.
 */
export default async function NextAuthClientPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const signInError = typeof params.error === "string" ? (SIGN_IN_ERRORS[params.error] ?? OTHER_ERROR) : undefined;
  const token = await readSessionToken();
  const run = await loadRunForPage(token, await lastRun());

  return (
    <div className="space-y-6">
      <header>
        <p className="text-sm font-medium uppercase tracking-wide text-emerald-700">Client</p>
        <h1 className="mt-1 text-3xl font-bold">Production-style client (next-auth)</h1>
        <p className="mt-2 max-w-3xl text-lg text-slate-700">
          The same authorization code grant as the walkthrough, done by Auth.js v5 with PKCE, state and nonce checks and
          client_secret_basic. The tokens stay on this app&apos;s server, in an encrypted httpOnly session cookie.
        </p>
      </header>

      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_24rem]">
        <section aria-labelledby="session-heading" className="space-y-5 rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
          {!token ? (
            <>
              <h2 id="session-heading" className="text-xl font-semibold">
                You are signed out
              </h2>
              {signInError && (
                <p role="alert" className="rounded-md bg-red-50 p-3 text-red-800">
                  {signInError}
                </p>
              )}
              {run && (
                <p className="text-slate-700">
                  You signed out: the session cookie is gone, and the refresh token it held was revoked at the authorization server (see the
                  panel). The authorization server&apos;s own session still remembers you; on a shared computer,{" "}
                  <a className="text-blue-800 underline" href={`${getConfig().client.issuer}/logout`}>
                    sign out of the authorization server
                  </a>{" "}
                  too.
                </p>
              )}
              <form method="post" action="/app/sign-in">
                <button type="submit" className={`${button} bg-blue-700 text-white hover:bg-blue-800`}>
                  Sign in with next-auth
                </button>
              </form>
            </>
          ) : (
            <>
              <h2 id="session-heading" className="text-xl font-semibold">
                Signed in as {token.name ?? token.username}
              </h2>
              <dl aria-label="The signed-in user" className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-1">
                <dt className="font-medium text-slate-600">Name</dt>
                <dd>{token.name}</dd>
                <dt className="font-medium text-slate-600">Username</dt>
                <dd>{token.username}</dd>
                <dt className="font-medium text-slate-600">Email</dt>
                <dd>{token.email}</dd>
                <dt className="font-medium text-slate-600">Scope</dt>
                <dd className="break-words">{token.scope}</dd>
                <dt className="font-medium text-slate-600">Access token</dt>
                <dd>{token.expires_at ? <ExpiresIn expiresAt={token.expires_at} /> : "none"}</dd>
              </dl>
              {token.error ? (
                <div role="alert" className="space-y-3 rounded-md bg-amber-50 p-4 text-amber-900">
                  <p className="font-semibold">Sign in again</p>
                  <p>{token.error_description ?? "The session has ended at the authorization server."}</p>
                  <form method="post" action="/app/sign-in">
                    <button type="submit" className={`${button} bg-blue-700 text-white hover:bg-blue-800`}>
                      Sign in with next-auth
                    </button>
                  </form>
                </div>
              ) : (
                <>
                  <CallApi />
                  <AccountGrants issuer={getConfig().client.issuer} />
                </>
              )}
              <form action={signOutOfNextAuth}>
                <button type="submit" className={`${button} border border-slate-400 bg-white text-slate-900 hover:bg-slate-50`}>
                  Sign out
                </button>
              </form>
            </>
          )}
        </section>
        <FlowPanel run={run} />
      </div>
    </div>
  );
}
