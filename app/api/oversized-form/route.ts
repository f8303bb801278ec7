import { oversizedFormResponse } from "@/lib/oversized-actions";

/** Where lib/oversized-actions.ts sends a server action too large to read: 413 (or 411), body unread. */
export const POST = (request: Request) => oversizedFormResponse(request);
