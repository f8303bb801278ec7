import { handleLogin } from "@/lib/authorization-server/interaction";
import { refuseOversizedForm } from "@/lib/http";
import { requestContext } from "@/lib/server-context";

/** The login form's target: verifies the credentials and continues the authorization request. */
export async function POST(request: Request) {
  return refuseOversizedForm(async () => handleLogin(request, await requestContext()));
}
