import { handleAction } from "@/lib/client/walkthrough/handler";
import { walkthroughContext } from "@/lib/client/walkthrough/server-context";

/** The walkthrough's buttons: each posts its intent here and comes back to the page (lib/client/walkthrough/actions.ts). */
export async function POST(request: Request) {
  return handleAction(request, await walkthroughContext());
}
