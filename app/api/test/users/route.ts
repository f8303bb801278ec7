import { requestContext } from "@/lib/server-context";
import { handleTestUsers } from "@/lib/test-mode";

/** Test mode only (TEST_MODE=on); 404 for every method otherwise (lib/test-mode.ts). */
async function handle(request: Request) {
  return handleTestUsers(request, await requestContext());
}

export { handle as GET, handle as POST, handle as PUT, handle as DELETE, handle as PATCH, handle as OPTIONS };
