import { handleExpire } from "@/lib/workshop/instructor/handlers";
import { instructorPostRoute } from "@/lib/workshop/instructor/route";

/** "Expire now" for one run's code and access tokens; lib/workshop/instructor/expire.ts. */
export const { POST, GET, HEAD, PUT, DELETE, PATCH, OPTIONS } = instructorPostRoute(handleExpire);
