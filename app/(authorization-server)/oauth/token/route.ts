import { handleToken } from "@/lib/authorization-server/token-endpoint";
import { requestContext } from "@/lib/server-context";

/** RFC 6749 §3.2: the token endpoint. */
export async function POST(request: Request) {
  return handleToken(request, await requestContext());
}
