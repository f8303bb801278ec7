import { getConfig } from "@/lib/config";
import { modeOnlyFallback } from "@/lib/http";
import { handleSignOut } from "@/lib/workshop/instructor/handlers";
import { requestContext } from "@/lib/server-context";

/** Ends the instructor's session. */
export async function POST(request: Request) {
  return handleSignOut(request, await requestContext());
}

const otherMethods = modeOnlyFallback(() => getConfig().workshop.enabled);
export {
  otherMethods as PUT,
  otherMethods as DELETE,
  otherMethods as PATCH,
  otherMethods as OPTIONS,
  otherMethods as GET,
  otherMethods as HEAD,
};
