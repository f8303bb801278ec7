"use client";

import { useActionState } from "react";
import { Cited } from "../../_components/cited";
import { callTheApi } from "./actions";

/** The API's refusal as its body states it: the error code and the description naming the failed check. */
function refusal(body: unknown): { error: string; description?: string } | undefined {
  if (!body || typeof body !== "object") return undefined;
  const { error, error_description: description } = body as Record<string, unknown>;
  return typeof error === "string" ? { error, ...(typeof description === "string" ? { description } : {}) } : undefined;
}

/** The "Call the API" button and the resource server's answers (status, challenge, body; never the token). */
export function CallApi() {
  const [state, action, pending] = useActionState(callTheApi, null);
  return (
    <section aria-labelledby="api-heading" className="space-y-3">
      <h3 id="api-heading" className="text-lg font-semibold">
        The protected API
      </h3>
      <p className="text-slate-700">
        The button runs a server action: it first refreshes the access token if it has expired or is about to (within 10 seconds), then
        calls GET /api/me and GET /api/notes with <code>Authorization: Bearer</code> from this app&apos;s server.
      </p>
      <form action={action}>
        <button
          type="submit"
          disabled={pending}
          className="rounded-md bg-emerald-700 px-4 py-2 font-semibold text-white hover:bg-emerald-800 disabled:opacity-60"
        >
          Call the API
        </button>
      </form>
      {state && "error" in state && (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-red-800">
          {state.error}
        </p>
      )}
      {state && "calls" in state && (
        <div className="space-y-3" aria-live="polite">
          {state.calls.map((call) => (
            <article key={call.path} aria-labelledby={`call-${call.path}`} className="rounded-md border border-slate-200 p-3">
              <h4 id={`call-${call.path}`} className="font-mono font-semibold">
                {call.method} {call.path}: {call.status}
              </h4>
              {call.status >= 400 &&
                (() => {
                  const refused = refusal(call.body);
                  return (
                    <p className="mt-1 text-red-800">
                      Refused:{" "}
                      {refused ? (
                        <>
                          <code>{refused.error}</code>
                          {refused.description ? ` — ${refused.description}` : ""}
                        </>
                      ) : (
                        "no error code (no access token was sent)"
                      )}{" "}
                      (<Cited text="RFC 6750 §3.1" />)
                    </p>
                  );
                })()}
              {call.wwwAuthenticate && <p className="mt-1 font-mono text-sm text-red-800">WWW-Authenticate: {call.wwwAuthenticate}</p>}
              <pre className="mt-2 overflow-x-auto rounded bg-slate-50 p-2 text-sm">{JSON.stringify(call.body, null, 2)}</pre>
            </article>
          ))}
        </div>
      )}
    </section>
  );
}
