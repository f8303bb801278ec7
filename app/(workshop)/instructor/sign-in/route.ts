import { handleSignIn } from "@/lib/workshop/instructor/handlers";
import { instructorPostRoute } from "@/lib/workshop/instructor/route";

/** The instructor's password (workshop mode); lib/workshop/instructor/session.ts. */
export const { POST, GET, HEAD, PUT, DELETE, PATCH, OPTIONS } = instructorPostRoute(handleSignIn);
