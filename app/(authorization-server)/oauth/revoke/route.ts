import { handleRevocation } from "@/lib/authorization-server/revocation";
import { requestContext } from "@/lib/server-context";

/** RFC 7009: token revocation. */
export async function POST(request: Request) {
  return handleRevocation(request, await requestContext());
}
