import { findClient, type Client } from "../clients";
import type { Context } from "../../oauth/context";
import { invalidRedirectTarget } from "../../oauth/errors";

/** RFC 6749 §4.1.1: client_id is required and must name a registered client; until it does, nothing is redirected. */
export async function checkClient(ctx: Context, clientId: string | undefined): Promise<Client> {
  if (clientId === undefined) throw invalidRedirectTarget("The client_id parameter is required.");
  const client = await findClient(ctx.db, clientId);
  if (!client) throw invalidRedirectTarget("The client_id does not name a registered client.");
  return client;
}
