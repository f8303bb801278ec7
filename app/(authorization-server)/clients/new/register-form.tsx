"use client";

import { useActionState } from "react";
import type { RegistrationFormResult } from "@/lib/authorization-server/registration";
import { registerClientFromPage } from "./actions";

const input = "mt-1 w-full rounded-md border border-slate-400 px-3 py-2";
const button = "inline-flex items-center rounded-md bg-blue-700 px-4 py-2 text-base font-semibold text-white hover:bg-blue-800";

/** The registration form, and once registered, the client's credentials: the secret is shown this once. */
export function RegisterClientForm({
  defaultRedirectUri,
  walkthroughUrl,
}: {
  defaultRedirectUri: string;
  /** The walkthrough's page when it runs on another origin (a split run), where this form cannot post. */
  walkthroughUrl?: string;
}) {
  const [state, action, pending] = useActionState<RegistrationFormResult | null, FormData>(registerClientFromPage, null);

  if (state?.ok) {
    const { client } = state;
    return (
      <section aria-labelledby="registered" className="space-y-4 rounded-lg border border-green-300 bg-green-50 p-6">
        <h2 id="registered" className="text-2xl font-semibold">
          Client registered: {client.client_name}
        </h2>
        <dl className="grid gap-x-6 gap-y-2 sm:grid-cols-[max-content_1fr]">
          <dt>
            <label htmlFor="registered-client-id" className="font-medium">
              Client ID
            </label>
          </dt>
          <dd>
            <input id="registered-client-id" readOnly value={client.client_id} className={`${input} mt-0 bg-white font-mono`} />
          </dd>
          {client.client_secret && (
            <>
              <dt>
                <label htmlFor="registered-client-secret" className="font-medium">
                  Client secret
                </label>
              </dt>
              <dd>
                <input
                  id="registered-client-secret"
                  readOnly
                  value={client.client_secret}
                  aria-describedby="secret-once"
                  className={`${input} mt-0 bg-white font-mono`}
                />
              </dd>
            </>
          )}
          <dt className="font-medium">Authentication</dt>
          <dd>
            <code className="font-mono">{client.token_endpoint_auth_method}</code>
            {client.client_secret ? "" : ": a public client, PKCE only"}
          </dd>
          <dt className="font-medium">Redirect URIs</dt>
          <dd>
            <ul>
              {client.redirect_uris.map((uri) => (
                <li key={uri}>
                  <code className="break-all font-mono">{uri}</code>
                </li>
              ))}
            </ul>
          </dd>
          <dt className="font-medium">Scopes it may ask for</dt>
          <dd>
            <code className="font-mono">{client.scope}</code>
          </dd>
        </dl>
        {client.client_secret && (
          <p id="secret-once" role="alert" className="rounded-md bg-amber-100 p-3 font-medium text-amber-950">
            Copy the client secret now: it will not be shown again. The server keeps only its SHA-256 hash, so nobody can look it up later.
          </p>
        )}
        {walkthroughUrl ? (
          <p>
            The walkthrough runs on another origin: open{" "}
            <a className="text-blue-800 underline" href={walkthroughUrl}>
              {walkthroughUrl}
            </a>{" "}
            and enter this client ID{client.client_secret ? " and secret" : ""} in its start form.
          </p>
        ) : (
          // Starts a walkthrough run as this client; the secret goes to the walkthrough's server, which keeps it in the run.
          <form method="post" action="/walkthrough/action">
            <input type="hidden" name="client_id" value={client.client_id} />
            <input type="hidden" name="client_secret" value={client.client_secret ?? ""} />
            <button type="submit" name="intent" value="start" className={button}>
              Run the walkthrough with this client
            </button>
          </form>
        )}
      </section>
    );
  }

  const fields = state?.ok === false ? state.fields : undefined;
  return (
    <form action={action} className="max-w-2xl space-y-5 rounded-lg border border-slate-200 bg-white p-6">
      {state?.ok === false && (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-red-800">
          <code className="font-mono">{state.error}</code> {state.description}
        </p>
      )}
      <div>
        <label htmlFor="client_name" className="block font-medium">
          Client name
        </label>
        <input
          id="client_name"
          name="client_name"
          required
          maxLength={100}
          defaultValue={fields?.name ?? ""}
          className={input}
          aria-describedby="client-name-hint"
        />
        <p id="client-name-hint" className="mt-1 text-sm text-slate-700">
          Shown to the user on the consent page.
        </p>
      </div>
      <div>
        <label htmlFor="redirect_uris" className="block font-medium">
          Redirect URIs
        </label>
        <textarea
          id="redirect_uris"
          name="redirect_uris"
          required
          rows={3}
          defaultValue={fields?.redirectUris ?? defaultRedirectUri}
          aria-describedby="redirect-uris-hint"
          className={`${input} font-mono`}
        />
        <p id="redirect-uris-hint" className="mt-1 text-sm text-slate-700">
          One per line, at most 10. Each is compared by exact string: https, or http only on localhost, 127.0.0.1 or [::1]; no fragment. The
          first one lets this app&apos;s walkthrough act as your client.
        </p>
      </div>
      <fieldset>
        <legend className="font-medium">Client type</legend>
        <div className="mt-2 space-y-2">
          <div className="flex items-start gap-2">
            <input
              id="kind-confidential"
              type="radio"
              name="kind"
              value="confidential"
              defaultChecked={fields?.kind !== "public"}
              aria-describedby="kind-confidential-hint"
              className="mt-1.5"
            />
            <div>
              <label htmlFor="kind-confidential">Confidential (has a secret)</label>
              <p id="kind-confidential-hint" className="text-sm text-slate-700">
                It runs on a server that keeps the secret; it authenticates with client_secret_post.
              </p>
            </div>
          </div>
          <div className="flex items-start gap-2">
            <input
              id="kind-public"
              type="radio"
              name="kind"
              value="public"
              defaultChecked={fields?.kind === "public"}
              aria-describedby="kind-public-hint"
              className="mt-1.5"
            />
            <div>
              <label htmlFor="kind-public">Public (PKCE only)</label>
              <p id="kind-public-hint" className="text-sm text-slate-700">
                A browser or mobile app cannot keep a secret: it sends only its client_id, and PKCE binds the code to it.
              </p>
            </div>
          </div>
        </div>
      </fieldset>
      <button type="submit" disabled={pending} className={button}>
        {pending ? "Registering…" : "Register the client"}
      </button>
    </form>
  );
}
