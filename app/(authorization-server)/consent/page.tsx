import type { Metadata } from "next";
import { cookies } from "next/headers";
import { consentView } from "@/lib/authorization-server/interaction";
import { sessionCookieName } from "@/lib/authorization-server/session";
import { requestContext } from "@/lib/server-context";

export const metadata: Metadata = { title: "Allow access?", referrer: "same-origin" };

/** Step 2: the authorization server asks for the user's consent (RFC 6749 §4.1.1, step B). */
export default async function ConsentPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const ctx = await requestContext();
  const token = (await cookies()).get(sessionCookieName(ctx))?.value;
  const view = await consentView(ctx, typeof params.interaction === "string" ? params.interaction : undefined, token);
  if (!view.ok) {
    return (
      <div className="mx-auto max-w-md rounded-xl border border-slate-200 bg-white p-8">
        <h1 className="text-2xl font-semibold">This request has expired</h1>
        <p role="alert" className="mt-3 text-slate-700">
          Go back to the application and start again.
        </p>
      </div>
    );
  }
  return (
    <div className="mx-auto max-w-lg rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
      <p className="text-sm font-medium uppercase tracking-wide text-blue-700">Authorization server</p>
      <h1 className="mt-1 text-2xl font-semibold">Allow {view.clientName} to access your account?</h1>
      {view.selfRegistered && (
        <section aria-label="Who this application is" className="mt-4 rounded-md border-2 border-amber-600 bg-amber-50 p-4 text-amber-950">
          <p className="font-semibold">This application registered itself with this server.</p>
          <p className="mt-1 text-sm">Its name is its own choice: nobody checked it. Go on only if you trust where you will be sent.</p>
          <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1">
            <dt className="font-medium">Client ID</dt>
            <dd>
              <code className="break-all text-lg">{view.clientId}</code>
            </dd>
            <dt className="font-medium">You will be sent to</dt>
            <dd>
              <code className="break-all text-lg font-semibold">{view.destination}</code>
            </dd>
          </dl>
        </section>
      )}
      <p className="mt-3 text-slate-700">
        If you allow it, <strong>{view.clientName}</strong> will be able to:
      </p>
      <ul className="mt-3 space-y-2" aria-label="What the application asks for">
        {view.scopes.map(({ scope, description }) => (
          <li key={scope} className="rounded-md border border-slate-200 bg-slate-50 px-3 py-2">
            <span>{description}</span> <code className="ml-1 text-sm text-slate-600">{scope}</code>
          </li>
        ))}
      </ul>
      <p className="mt-4 text-sm text-slate-600">
        You will be sent back to <code className="break-all">{view.redirectUri}</code>. You can change your mind later, on{" "}
        <a href="/grants" className="text-blue-800 underline">
          your grants page
        </a>
        .
      </p>
      <form method="post" action="/consent/submit" className="mt-6 flex gap-3">
        <input type="hidden" name="interaction" value={view.interactionId} />
        <input type="hidden" name="csrf" value={view.csrfToken} />
        <button
          type="submit"
          name="decision"
          value="allow"
          className="flex-1 rounded-md bg-blue-700 px-4 py-2 font-semibold text-white hover:bg-blue-800"
        >
          Allow
        </button>
        <button
          type="submit"
          name="decision"
          value="deny"
          className="flex-1 rounded-md border border-slate-400 px-4 py-2 font-semibold hover:bg-slate-100"
        >
          Deny
        </button>
      </form>
    </div>
  );
}
