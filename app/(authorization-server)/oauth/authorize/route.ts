import { handleAuthorize } from "@/lib/authorization-server/authorize";
import { requestContext } from "@/lib/server-context";

/** RFC 6749 §3.1: the authorization endpoint. */
export async function GET(request: Request) {
  return handleAuthorize(request, await requestContext());
}
export const POST = GET;
