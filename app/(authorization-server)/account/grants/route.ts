import { handleAccountGrants } from "@/lib/authorization-server/account";
import { requestContext } from "@/lib/server-context";

/** The signed-in user's grants as JSON, for a first-party client with the user's access token (as UserInfo). */
export async function GET(request: Request) {
  return handleAccountGrants(request, await requestContext());
}
