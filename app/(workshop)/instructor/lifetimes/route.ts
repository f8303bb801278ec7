import { getConfig } from "@/lib/config";
import { handleLifetimes } from "@/lib/workshop/instructor/handlers";
import { instructorPostRoute } from "@/lib/workshop/instructor/route";

/** Sets or clears the room's code and token lifetimes; lib/workshop/instructor/lifetimes.ts. */
export const { POST, GET, HEAD, PUT, DELETE, PATCH, OPTIONS } = instructorPostRoute((request, ctx) =>
  handleLifetimes(request, ctx, getConfig()),
);
