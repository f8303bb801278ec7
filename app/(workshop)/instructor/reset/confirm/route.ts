import { handleReset } from "@/lib/workshop/instructor/handlers";
import { instructorPostRoute } from "@/lib/workshop/instructor/route";

/** The workshop reset, once confirmed on /instructor/reset; lib/seed.ts. */
export const { POST, GET, HEAD, PUT, DELETE, PATCH, OPTIONS } = instructorPostRoute(handleReset);
