import type { Metadata } from "next";
import { connection } from "next/server";
import { getConfig } from "@/lib/config";
import { RegisterClientForm } from "./register-form";

export const metadata: Metadata = { title: "Register a client", referrer: "same-origin" };

/**
 * /clients/new: a participant registers their own client at the authorization server, from the browser,
 * through the same RFC 7591 registration as POST /oauth/register; then runs the walkthrough with it.
 */
export default async function NewClientPage() {
  await connection(); // the redirect URI comes from the running server's APP_URL, not the build's
  const config = getConfig();
  return (
    <div className="space-y-6">
      <header className="space-y-3">
        <p className="text-sm font-medium uppercase tracking-wide text-blue-700">Authorization server</p>
        <h1 className="text-3xl font-bold">Register your own client</h1>
        <p className="max-w-3xl text-lg text-slate-700">
          Every client is registered with the authorization server before it can ask for anything (RFC 6749 §2): a name the user sees on the
          consent page, the exact redirect URIs the server may send codes to, and whether it can keep a secret. Scripts can do the same with
          RFC 7591 dynamic registration at <code className="font-mono">POST {config.issuer}/oauth/register</code>.
        </p>
      </header>
      <RegisterClientForm
        defaultRedirectUri={`${config.demoClientUrl}/walkthrough/callback`}
        walkthroughUrl={
          new URL(config.demoClientUrl).origin === new URL(config.issuer).origin ? undefined : `${config.demoClientUrl}/walkthrough`
        }
      />
    </div>
  );
}
