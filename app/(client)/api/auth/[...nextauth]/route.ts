import { handlers } from "@/lib/client/auth";
export const { GET, POST } = handlers;
