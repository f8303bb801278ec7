import { handleFlowState } from "@/lib/authorization-server/flow-state";
import { requestContext } from "@/lib/server-context";

/** The authorization server's records of one run of the flow (see lib/authorization-server/flow-state.ts). */
export async function GET(request: Request) {
  return handleFlowState(request, await requestContext());
}
