import { errorResponse } from "@/lib/oauth/errors";
import { getKeys } from "@/lib/authorization-server/keys";
import { getDb } from "@/lib/db";

export const dynamic = "force-dynamic";

/**
 * RFC 7517 §5: the public signing keys, cacheable for a few minutes (rotation keeps old keys published).
 * A reload that fails while the database is unavailable answers 503, as the other endpoints do.
 */
export async function GET() {
  try {
    const { jwks } = await getKeys(await getDb());
    return Response.json(jwks, { headers: { "Cache-Control": "public, max-age=300", "Content-Type": "application/jwk-set+json" } });
  } catch (error) {
    return errorResponse(error);
  }
}
