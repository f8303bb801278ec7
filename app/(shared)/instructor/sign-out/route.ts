import { handleSignOut } from "@/lib/instructor/handlers";
import { requestContext } from "@/lib/server-context";

/** Ends the instructor's session. */
export async function POST(request: Request) {
  return handleSignOut(request, await requestContext());
}
