import type { Metadata } from "next";
import { cookies } from "next/headers";
import { findSession, sessionCookieName } from "@/lib/authorization-server/session";
import { userProfile } from "@/lib/records/user";
import { requestContext } from "@/lib/server-context";

export const metadata: Metadata = { title: "Sign out of the authorization server", referrer: "same-origin" };

/**
 * Signing out of a client (such as /app) ends the client's session only; the authorization server's
 * own session would sign the next person on this browser in without a password. This page ends it.
 */
export default async function LogoutPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const done = (await searchParams).done === "1";
  const ctx = await requestContext();
  const session = await findSession(ctx, (await cookies()).get(sessionCookieName(ctx))?.value);
  const user = session ? await userProfile(ctx.db, session.userId) : null;
  return (
    <div className="mx-auto max-w-md rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
      <p className="text-sm font-medium uppercase tracking-wide text-blue-700">Authorization server</p>
      <h1 className="mt-1 text-2xl font-semibold">Sign out of the authorization server</h1>
      {user ? (
        <>
          <p className="mt-3 text-slate-700">
            You are signed in as <strong>{user.username}</strong>. Applications that send you here will not ask for your password again
            until you sign out.
          </p>
          <form method="post" action="/logout/submit" className="mt-6">
            <button type="submit" className="w-full rounded-md bg-blue-700 px-4 py-2 font-semibold text-white hover:bg-blue-800">
              Sign out
            </button>
          </form>
        </>
      ) : (
        <p role="status" className="mt-3 text-slate-700">
          {done ? "You are signed out of the authorization server." : "You are not signed in to the authorization server."}
        </p>
      )}
    </div>
  );
}
