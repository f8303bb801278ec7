import { dpopServices } from "../dpop-services";
import type { Context } from "../oauth/context";
import { nonceHeader, verifyDpopProof, type DpopProof } from "../oauth/dpop";
import { getKeys } from "./keys";

/**
 * RFC 9449 §4.3 at one of this server's endpoints (the token endpoint, §5; the pushed authorization
 * request endpoint, §10.1): the request's DPoP proof, checked against the endpoint's URL from the
 * issuer (never the Host header); undefined without a DPoP header.
 */
export async function endpointProof(request: Request, ctx: Context, path: string): Promise<DpopProof | undefined> {
  // The nonce key is derived from the signing keys (lib/dpop-services.ts): on a fresh database, make the first one now.
  if (ctx.config.dpopNonce && request.headers.has("dpop")) await getKeys(ctx.db, { now: ctx.now });
  return verifyDpopProof(
    { headers: request.headers, method: request.method, url: `${ctx.config.issuer}${path}` },
    dpopServices(ctx.db, ctx.config, ctx.now),
    ctx.now,
  );
}

/** RFC 9449 §8: the nonce for the client's next proof, on an answer to a request that carried one. */
export const nextNonce = async (ctx: Context, proof: DpopProof | undefined): Promise<Record<string, string>> =>
  proof ? nonceHeader(dpopServices(ctx.db, ctx.config, ctx.now), ctx.now) : {};
