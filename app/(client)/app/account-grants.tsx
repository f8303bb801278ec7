"use client";

import { useActionState } from "react";
import { showMyGrants } from "./actions";

/** The user's grants at the authorization server, read by this app's server with the user's access token. */
export function AccountGrants({ issuer }: { issuer: string }) {
  const [state, action, pending] = useActionState(showMyGrants, null);
  return (
    <section aria-labelledby="grants-heading" className="space-y-3">
      <h3 id="grants-heading" className="text-lg font-semibold">
        Your grants at the authorization server
      </h3>
      <p className="text-slate-700">
        This app&apos;s server asks the authorization server which applications you allowed (GET /account/grants, with your access token, as
        it calls UserInfo). You manage them on{" "}
        <a className="text-blue-800 underline" href={`${issuer}/grants`}>
          your grants page
        </a>{" "}
        there; see the answer{" "}
        <a className="text-blue-800 underline" href="/app/grants">
          as JSON
        </a>
        .
      </p>
      <form action={action}>
        <button
          type="submit"
          disabled={pending}
          className="rounded-md bg-emerald-700 px-4 py-2 font-semibold text-white hover:bg-emerald-800 disabled:opacity-60"
        >
          Show my grants
        </button>
      </form>
      {state && "error" in state && (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-red-800">
          {state.error}
        </p>
      )}
      {state && "answer" in state && (
        <div aria-live="polite" className="space-y-2">
          <p className="font-mono font-semibold">GET /account/grants: {state.answer.status}</p>
          {state.grants ? (
            state.grants.length ? (
              <ul aria-label="Applications you allowed" className="space-y-1">
                {state.grants.map((g) => (
                  <li key={g.client_id} className="rounded-md border border-slate-200 px-3 py-2">
                    <strong>{g.client_name}</strong> <code className="text-sm text-slate-600">{g.client_id}</code>
                    {g.self_registered && <span className="ml-2 font-semibold text-amber-800">(registered itself)</span>}
                    <span className="block text-sm text-slate-700">{g.scope}</span>
                  </li>
                ))}
              </ul>
            ) : (
              <p>No application is allowed to act for you.</p>
            )
          ) : (
            <p role="alert" className="text-red-800">
              Refused{state.answer.wwwAuthenticate ? `: ${state.answer.wwwAuthenticate}` : ""}
            </p>
          )}
          <details>
            <summary className="cursor-pointer text-blue-800">The JSON</summary>
            <pre className="mt-2 overflow-x-auto rounded-md bg-slate-900 p-3 text-sm text-slate-100" tabIndex={0}>
              {JSON.stringify(state.answer.body, null, 2)}
            </pre>
          </details>
        </div>
      )}
    </section>
  );
}
