import { getConfig } from "@/lib/config";
import { modeOnlyFallback } from "@/lib/http";
import { LAB_WEAKENED_CLIENT_ID, weakness } from "@/lib/workshop/lab/weakened";
import { serveWeakenedApi } from "@/lib/workshop/lab/weakened-api";

/** LAB MODE only: the weakened copy of the API that the lab's card 7 calls (lib/workshop/lab/weakened-api.ts); 404 otherwise. */
export async function GET(request: Request) {
  const config = getConfig();
  if (!weakness(config, LAB_WEAKENED_CLIENT_ID, "naive-api")) return new Response("Not found", { status: 404 });
  return serveWeakenedApi(request, config.rsIssuer);
}

const otherMethods = modeOnlyFallback(() => getConfig().labMode, "GET, HEAD");
export { otherMethods as POST, otherMethods as PUT, otherMethods as DELETE, otherMethods as PATCH, otherMethods as OPTIONS };
