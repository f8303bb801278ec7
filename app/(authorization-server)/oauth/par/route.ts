import { handlePushedAuthorizationRequest } from "@/lib/authorization-server/par";
import { requestContext } from "@/lib/server-context";

/** RFC 9126 §2: the pushed authorization request endpoint. */
export async function POST(request: Request) {
  return handlePushedAuthorizationRequest(request, await requestContext());
}
