import { handleRevokeAccess } from "@/lib/authorization-server/account";
import { refuseOversizedForm } from "@/lib/http";
import { requestContext } from "@/lib/server-context";

/** The grants page's "Revoke access" form: forgets the consent and revokes every grant of that client. */
export async function POST(request: Request) {
  return refuseOversizedForm(async () => handleRevokeAccess(request, await requestContext()));
}
