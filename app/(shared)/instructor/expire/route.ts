import { handleExpire } from "@/lib/instructor/handlers";
import { requestContext } from "@/lib/server-context";

/** "Expire now" for one run's code and access tokens; lib/instructor/expire.ts. */
export async function POST(request: Request) {
  return handleExpire(request, await requestContext());
}
