"use server";
import { z } from "zod";
import { ATTACK_IDS, runAttack, type AttackResult } from "@/lib/lab/attacks";
import { labEnv, labSigner } from "@/lib/lab/server-env";

const form = z.object({ attack: z.enum(ATTACK_IDS) });

/** Runs one lab card's attack on the server, for real, against this app's authorization server and API. */
export async function runAttackAction(_previous: AttackResult | { error: string } | null, data: FormData): Promise<AttackResult | { error: string }> {
  const parsed = form.safeParse({ attack: data.get("attack") });
  if (!parsed.success) return { error: "Unknown attack." };
  return runAttack(parsed.data.attack, { ...labEnv("alice"), signer: labSigner() });
}
