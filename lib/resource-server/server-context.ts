import "server-only";
import { accessTokenRecordsIn } from "../records/access-token";
import { dpopServices } from "../dpop-services";
import { requestContext } from "../server-context";
import { authorizationServerKeys } from "./authorization-server";
import type { ResourceServerContext } from "./context";
import { introspector } from "./introspection";

let introspect: ResourceServerContext["introspect"] | undefined;

/** The context of one API request: the process's database and configuration, the clock, and the issuer's cached keys. */
export async function resourceServerContext(): Promise<ResourceServerContext> {
  const ctx = await requestContext();
  introspect ??= introspector(ctx.config.rsIssuer, ctx.config.rsClientSecret);
  return {
    ...ctx,
    keys: authorizationServerKeys(ctx.config.rsIssuer),
    tokenRecords: accessTokenRecordsIn(ctx.db),
    introspect,
    dpop: dpopServices(ctx.db, ctx.config, ctx.now),
  };
}
