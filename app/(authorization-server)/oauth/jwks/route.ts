import { getKeys } from "@/lib/authorization-server/keys";
import { getDb } from "@/lib/db";

export const dynamic = "force-dynamic";

/** RFC 7517 §5: the public signing keys, cacheable for a few minutes (rotation keeps old keys published). */
export async function GET() {
  const { jwks } = await getKeys(await getDb());
  return Response.json(jwks, { headers: { "Cache-Control": "public, max-age=300", "Content-Type": "application/jwk-set+json" } });
}
