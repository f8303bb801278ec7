import { handleUserinfo } from "@/lib/authorization-server/userinfo";
import { requestContext } from "@/lib/server-context";

/** OpenID Connect Core §5.3: the UserInfo endpoint (GET and POST). */
export async function GET(request: Request) {
  return handleUserinfo(request, await requestContext());
}
export const POST = GET;
