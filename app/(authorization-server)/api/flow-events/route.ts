import { handleFlowEvents } from "@/lib/authorization-server/flow-events";
import { isInstructor } from "@/lib/workshop/instructor/session";
import { requestContext } from "@/lib/server-context";

/** The recorded events of one run of the flow, to a reader that proves it belongs to the run (see lib/authorization-server/run-access.ts). */
async function read(request: Request) {
  const ctx = await requestContext();
  return handleFlowEvents(request, ctx, { isInstructor: (r) => isInstructor(ctx, r) });
}

export { read as GET, read as POST };
