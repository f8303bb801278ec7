import { handleSignOut } from "@/lib/workshop/instructor/handlers";
import { instructorPostRoute } from "@/lib/workshop/instructor/route";

/** Ends the instructor's session. */
export const { POST, GET, HEAD, PUT, DELETE, PATCH, OPTIONS } = instructorPostRoute(handleSignOut);
