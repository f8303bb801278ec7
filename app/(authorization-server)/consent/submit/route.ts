import { handleConsent } from "@/lib/authorization-server/interaction";
import { refuseOversizedForm } from "@/lib/http";
import { requestContext } from "@/lib/server-context";

/** The consent form's target: Allow issues the code, Deny sends access_denied. */
export async function POST(request: Request) {
  return refuseOversizedForm(async () => handleConsent(request, await requestContext()));
}
