import { serverMetadata } from "@/lib/authorization-server/metadata";
import { getConfig } from "@/lib/config";

export const dynamic = "force-dynamic";

/** RFC 8414 §3 / OpenID Connect Discovery §4: the server's metadata. */
export function GET() {
  return Response.json(serverMetadata(getConfig()), { headers: { "Cache-Control": "public, max-age=300" } });
}
