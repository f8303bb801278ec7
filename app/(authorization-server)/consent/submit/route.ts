import { handleConsent } from "@/lib/authorization-server/interaction";
import { requestContext } from "@/lib/server-context";

/** The consent form's target: Allow issues the code, Deny sends access_denied. */
export async function POST(request: Request) {
  return handleConsent(request, await requestContext());
}
