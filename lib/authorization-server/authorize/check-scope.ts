import type { Client } from "../clients";
import type { Scope } from "../../oauth/vocabulary";
import { parseScope } from "../scope";

/** RFC 6749 §3.3 and §4.1.1: the requested scopes, each known to this server and allowed to the client. */
export function checkScope(client: Client, scope: string | undefined): Scope[] {
  return parseScope(scope, client.allowedScopes);
}
