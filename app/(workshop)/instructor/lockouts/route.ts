import { handleLiftLockout } from "@/lib/workshop/instructor/handlers";
import { instructorPostRoute } from "@/lib/workshop/instructor/route";

/** Lifts one sign-in lockout; lib/workshop/instructor/lockouts.ts. */
export const { POST, GET, HEAD, PUT, DELETE, PATCH, OPTIONS } = instructorPostRoute(handleLiftLockout);
