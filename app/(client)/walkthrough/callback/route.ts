import { handleCallback } from "@/lib/client/walkthrough/handler";
import { walkthroughContext } from "@/lib/client/walkthrough/server-context";

/** The walkthrough client's redirect URI (step 3): checks the authorization response and stores it in the run. */
export async function GET(request: Request) {
  return handleCallback(request, await walkthroughContext());
}
