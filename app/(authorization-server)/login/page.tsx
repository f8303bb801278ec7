import type { Metadata } from "next";
import { returnPath } from "@/lib/authorization-server/account";
import { loginView } from "@/lib/authorization-server/interaction";
import { requestContext } from "@/lib/server-context";
import { KeepUsername } from "./keep-username";

export const metadata: Metadata = { title: "Sign in", referrer: "same-origin" };

const MESSAGES: Record<string, string> = {
  invalid_credentials: "The username or password is incorrect.",
  missing: "Enter your username and password.",
  rate_limited: "Too many failed sign-in attempts. Wait a few minutes and try again.",
};

/** Step 2: the authorization server authenticates the user (RFC 6749 §4.1.1, step B). */
export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const interaction = typeof params.interaction === "string" ? params.interaction : undefined;
  const error = typeof params.error === "string" ? MESSAGES[params.error] : undefined;
  const ctx = await requestContext();
  const view = await loginView(ctx, interaction);
  // With no authorization request waiting, a page of this site may ask to be returned to (the grants page).
  const returnTo = !interaction && typeof params.return_to === "string" ? returnPath(ctx.config.issuer, params.return_to) : "/";
  // What was typed as the username may be a password, so the server keeps none of it
  // (lib/authorization-server/interaction.ts); after a refusal the browser puts it back from this tab (KeepUsername).
  return (
    <div className="mx-auto max-w-md rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
      <p className="text-sm font-medium uppercase tracking-wide text-blue-700">Authorization server</p>
      <h1 className="mt-1 text-2xl font-semibold">Sign in</h1>
      <p className="mt-2 text-slate-700">
        {view.clientName ? (
          <>
            <strong>{view.clientName}</strong> wants to access your account. Sign in to continue.
          </>
        ) : (
          "Sign in to the authorization server."
        )}
      </p>
      {interaction && !view.interactionId && (
        <p role="alert" className="mt-4 rounded-md bg-amber-50 p-3 text-amber-900">
          This sign-in request has expired. Go back to the application and start again.
        </p>
      )}
      {error && (
        <p role="alert" className="mt-4 rounded-md bg-red-50 p-3 text-red-800">
          {error}
        </p>
      )}
      <form method="post" action="/login/submit" className="mt-6 space-y-4">
        {view.interactionId && <input type="hidden" name="interaction" value={view.interactionId} />}
        {returnTo !== "/" && <input type="hidden" name="return_to" value={returnTo} />}
        <div>
          <label htmlFor="username" className="block font-medium">
            Username
          </label>
          <input
            id="username"
            name="username"
            autoComplete="username"
            required
            maxLength={64}
            autoFocus
            className="mt-1 w-full rounded-md border border-slate-400 px-3 py-2"
          />
        </div>
        <div>
          <label htmlFor="password" className="block font-medium">
            Password
          </label>
          <input
            id="password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            maxLength={1024}
            className="mt-1 w-full rounded-md border border-slate-400 px-3 py-2"
          />
        </div>
        <button type="submit" className="w-full rounded-md bg-blue-700 px-4 py-2 font-semibold text-white hover:bg-blue-800">
          Sign in
        </button>
      </form>
      <KeepUsername refused={params.error === "invalid_credentials" || params.error === "rate_limited"} />
    </div>
  );
}
