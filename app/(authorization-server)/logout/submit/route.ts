import { handleLogout } from "@/lib/authorization-server/session";
import { requestContext } from "@/lib/server-context";

/** Ends the authorization server's session. */
export async function POST(request: Request) {
  return handleLogout(request, await requestContext());
}
