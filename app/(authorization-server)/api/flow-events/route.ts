import { handleFlowEvents } from "@/lib/authorization-server/flow-events";
import { requestContext } from "@/lib/server-context";

/** The recorded events of one run of the flow (see lib/authorization-server/flow-events.ts). */
export async function GET(request: Request) {
  return handleFlowEvents(request, await requestContext());
}
