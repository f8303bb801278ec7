import type { Metadata } from "next";
import Link from "next/link";
import { cookies } from "next/headers";
import { GRANTS_PATH, grantsPageView, type GrantView } from "@/lib/authorization-server/account";
import { sessionCookieName } from "@/lib/authorization-server/session";
import { requestContext } from "@/lib/server-context";
import { clockTime } from "../../_components/clock-time";

export const metadata: Metadata = { title: "Your grants", referrer: "same-origin" };

/** A moment with its date, as a person reads it (UTC, no locale), and the exact instant for machines. */
function When({ at }: { at: Date }) {
  const iso = at.toISOString();
  return <time dateTime={iso}>{`${iso.slice(0, 10)} ${clockTime(iso)}`}</time>;
}

function Grant({ grant, csrfToken }: { grant: GrantView; csrfToken: string }) {
  const headingId = `grant-${grant.clientId}`;
  return (
    <li aria-labelledby={headingId} className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
      <h2 id={headingId} className="text-xl font-semibold">
        {grant.clientName}
      </h2>
      <p className="text-sm text-slate-600">
        Client ID <code className="break-all">{grant.clientId}</code>
      </p>
      {grant.selfRegistered && (
        <p className="mt-3 rounded-md border-2 border-amber-600 bg-amber-50 p-3 text-amber-950">
          <strong>Registered itself.</strong> This application registered itself with this server: its name is its own choice, and nobody
          checked it.
        </p>
      )}
      <h3 className="mt-4 font-medium">It can:</h3>
      <ul className="mt-2 space-y-1" aria-label={`What ${grant.clientName} can do`}>
        {grant.scopes.map(({ scope, description }) => (
          <li key={scope} className="rounded-md border border-slate-200 bg-slate-50 px-3 py-1">
            <span>{description}</span> <code className="ml-1 text-sm text-slate-600">{scope}</code>
          </li>
        ))}
      </ul>
      <dl className="mt-4 grid grid-cols-[max-content_1fr] gap-x-6 gap-y-1">
        <dt className="font-medium text-slate-600">Granted</dt>
        <dd>
          <When at={grant.grantedAt} />
        </dd>
        {grant.scopeUpdatedAt && (
          <>
            <dt className="font-medium text-slate-600">More granted</dt>
            <dd>
              <When at={grant.scopeUpdatedAt} />
            </dd>
          </>
        )}
        <dt className="font-medium text-slate-600">Last used</dt>
        <dd>{grant.lastUsedAt ? <When at={grant.lastUsedAt} /> : "no access token on record"}</dd>
      </dl>
      <form method="post" action="/grants/revoke" className="mt-4">
        <input type="hidden" name="client_id" value={grant.clientId} />
        <input type="hidden" name="csrf" value={csrfToken} />
        <button
          type="submit"
          aria-label={`Revoke access for ${grant.clientName}`}
          className="rounded-md bg-red-700 px-4 py-2 font-semibold text-white hover:bg-red-800"
        >
          Revoke access
        </button>
        <p className="mt-2 text-sm text-slate-600">
          Forgets this consent and revokes every code and token the application holds for you: its next refresh and its next API call fail.
        </p>
      </form>
    </li>
  );
}

/** The user's own grants at the authorization server: who can act for them, with what, and Revoke access. */
export default async function GrantsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const ctx = await requestContext();
  const token = (await cookies()).get(sessionCookieName(ctx))?.value;
  const view = await grantsPageView(ctx, token, typeof params.revoked === "string" ? params.revoked : undefined);
  if (!view.signedIn) {
    return (
      <div className="mx-auto max-w-md rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        <p className="text-sm font-medium uppercase tracking-wide text-blue-700">Authorization server</p>
        <h1 className="mt-1 text-2xl font-semibold">Your grants</h1>
        <p role="status" className="mt-3 text-slate-700">
          You are not signed in to the authorization server. Sign in to see which applications you allowed to act for you.
        </p>
        <Link
          href={`/login?${new URLSearchParams({ return_to: GRANTS_PATH })}`}
          className="mt-6 inline-block rounded-md bg-blue-700 px-4 py-2 font-semibold text-white hover:bg-blue-800"
        >
          Sign in
        </Link>
      </div>
    );
  }
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <header>
        <p className="text-sm font-medium uppercase tracking-wide text-blue-700">Authorization server</p>
        <h1 className="mt-1 text-3xl font-bold">Your grants</h1>
        <p className="mt-2 text-slate-700">
          Signed in as <strong>{view.username}</strong>. These applications may act for you, each with what you allowed it. The{" "}
          <Link href="/logout" className="text-blue-800 underline">
            sign-out page
          </Link>{" "}
          ends your session here.
        </p>
      </header>
      {view.revoked && (
        <p role="status" className="rounded-md border border-emerald-600 bg-emerald-50 p-3 text-emerald-950">
          Access revoked for <strong>{view.revoked.clientName}</strong> (<code>{view.revoked.clientId}</code>): its tokens no longer work.
        </p>
      )}
      {view.grants.length === 0 ? (
        <p className="rounded-xl border border-slate-200 bg-white p-6 text-slate-700">
          You have not allowed any application to act for you. When you press Allow on a consent page, the application appears here.
        </p>
      ) : (
        <ul className="space-y-4" aria-label="Applications you allowed">
          {view.grants.map((g) => (
            <Grant key={g.clientId} grant={g} csrfToken={view.csrfToken} />
          ))}
        </ul>
      )}
    </div>
  );
}
