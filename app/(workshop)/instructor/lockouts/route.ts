import { getConfig } from "@/lib/config";
import { modeOnlyFallback } from "@/lib/http";
import { handleLiftLockout } from "@/lib/workshop/instructor/handlers";
import { requestContext } from "@/lib/server-context";

/** Lifts one sign-in lockout; lib/workshop/instructor/lockouts.ts. */
export async function POST(request: Request) {
  return handleLiftLockout(request, await requestContext());
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
