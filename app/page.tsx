import Link from "next/link";

const STEPS = [
  "The client sends the user's browser to the authorization server.",
  "The authorization server authenticates the user and asks for consent.",
  "It redirects the browser back to the client's registered redirect URI with a one-time, short-lived code.",
  "The client's server exchanges the code, with its client ID and secret, for tokens (back channel).",
  "The authorization server returns an access token and, optionally, a refresh token.",
  "The client calls the protected API with the access token.",
  "The resource server validates the token and serves the request; when it expires, the client refreshes it.",
];

export default function Home() {
  return (
    <div className="space-y-8">
      <section>
        <h1 className="text-3xl font-bold">The OAuth 2.0 authorization code grant, for real</h1>
        <p className="mt-3 max-w-3xl text-lg text-slate-700">
          authcode-lab runs all three roles in one app: an authorization server, a client and a resource server.
          Nothing is mocked: the authorization server is standards-conformant, so what you see here is true of production systems.
        </p>
      </section>
      <section aria-labelledby="steps">
        <h2 id="steps" className="text-xl font-semibold">The seven steps</h2>
        <ol className="mt-3 list-decimal space-y-2 pl-6 text-slate-800">
          {STEPS.map((s) => <li key={s}>{s}</li>)}
        </ol>
      </section>
      <section aria-labelledby="endpoints">
        <h2 id="endpoints" className="text-xl font-semibold">The authorization server</h2>
        <p className="mt-2 text-slate-700">
          Discovery: <Link className="text-blue-700 underline" href="/.well-known/openid-configuration">/.well-known/openid-configuration</Link>{" "}
          and <Link className="text-blue-700 underline" href="/.well-known/oauth-authorization-server">/.well-known/oauth-authorization-server</Link>.
        </p>
      </section>
    </div>
  );
}
