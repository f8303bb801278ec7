"use server";
import { z } from "zod";
import { ATTACK_IDS, runAttack, type AttackResult } from "@/lib/workshop/lab/attacks";
import { markingFetch } from "@/lib/workshop/lab/mark-runs";
import { labEnv, labWeakenedEnv } from "@/lib/workshop/lab/server-env";
import { labSigner } from "./signer";

const form = z.object({ attack: z.enum(ATTACK_IDS), target: z.enum(["walkthrough", "weakened"]).default("walkthrough") });

/**
 * Runs one lab card's attack on the server, for real, against this app's authorization server and API:
 * as the walkthrough client, or (LAB MODE only) as the weakened lab client.
 */
export async function runAttackAction(
  _previous: AttackResult | { error: string } | null,
  data: FormData,
): Promise<AttackResult | { error: string }> {
  const parsed = form.safeParse({ attack: data.get("attack"), target: data.get("target") ?? undefined });
  if (!parsed.success) return { error: "Unknown attack." };
  const env = parsed.data.target === "weakened" ? labWeakenedEnv("alice") : labEnv("alice");
  if (!env) return { error: "Lab mode is off: there is no weakened client on this server." };
  return runAttack(parsed.data.attack, { ...env, signer: labSigner(), fetch: markingFetch("lab") });
}
