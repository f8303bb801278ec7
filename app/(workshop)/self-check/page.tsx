import type { Metadata } from "next";
import { getConfig } from "@/lib/config";
import { SelfCheckRunner } from "./runner";

export const metadata: Metadata = { title: "Self-check" };
export const dynamic = "force-dynamic";

/**
 * /self-check: a compact conformance check of this app's own authorization server and API, run for real
 * over HTTP by the server (lib/workshop/lab/self-check.ts), so an instructor can show that the server the class
 * attacks is sound.
 */
export default function SelfCheckPage() {
  const { client } = getConfig();
  return (
    <div className="space-y-6">
      <header className="space-y-3">
        <h1 className="text-3xl font-bold sm:text-4xl">Self-check: is the server sound?</h1>
        <p className="max-w-4xl text-lg text-slate-700">
          The button runs a compact conformance check against the real authorization server at{" "}
          <code className="font-mono">{client.issuer}</code> and the API at <code className="font-mono">{client.resourceServerUrl}</code>:
          the happy path (discovery, an authorization request with PKCE, state and nonce, sign-in and consent as the demo user alice, the
          code exchange, the ID token, UserInfo and the API), then one refusal per rule: PKCE, code replay, redirect URI, refresh-token
          reuse and token validation at the API. Each line names the RFC section it checks.
        </p>
      </header>
      <SelfCheckRunner />
    </div>
  );
}
