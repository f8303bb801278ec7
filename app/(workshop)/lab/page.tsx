import type { Metadata } from "next";
import Link from "next/link";
import { getConfig } from "@/lib/config";
import { ATTACK_CARDS } from "@/lib/workshop/lab/attacks";
import { LAB_WEAKENED_CLIENT_ID } from "@/lib/workshop/lab/weakened";
import { AttackCard } from "./_components/attack-card";

export const metadata: Metadata = { title: "Attack lab" };
export const dynamic = "force-dynamic";

/**
 * /lab: one card per attack on the authorization code grant, each run for real by this app's server
 * against the real authorization server and API (lib/workshop/lab/attacks.ts), showing the requests, the
 * refusal, the check that stopped it and the RFC section behind it.
 */
export default function LabPage() {
  const { client, labMode } = getConfig();
  return (
    <div className="space-y-6">
      <header className="space-y-3">
        <h1 className="text-3xl font-bold sm:text-4xl">Attack lab</h1>
        <p className="max-w-4xl text-lg text-slate-700">
          Each card runs an attack for real: this app&apos;s server plays the victim&apos;s browser, the client and the attacker, and sends
          real requests to the authorization server at <code className="font-mono">{client.issuer}</code> and the API at{" "}
          <code className="font-mono">{client.resourceServerUrl}</code>, signing in as the demo user alice. Every card shows the requests
          sent (secrets masked), the refusal, the check that stopped the attack and the RFC section behind it.{" "}
          <Link href="/self-check" className="text-blue-800 underline">
            Run the self-check
          </Link>{" "}
          first to see that the server is sound.
        </p>
        {labMode && (
          <p className="max-w-4xl text-lg text-slate-700">
            <strong>Lab mode is on:</strong> each card can also be run against the weakened lab client (
            <code className="font-mono">{LAB_WEAKENED_CLIENT_ID}</code>), a registration for which this server switches off the card&apos;s
            defense, so that you can see the same attack succeed without it and fail with it. Every other client keeps every check.
          </p>
        )}
      </header>
      {ATTACK_CARDS.map((card) => (
        <AttackCard key={card.id} card={card} labMode={labMode} />
      ))}
    </div>
  );
}
