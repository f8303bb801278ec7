import { startSignIn } from "@/lib/client/nextauth/sign-in";

/** Step 1: the "Sign in with next-auth" form posts here; the answer sends the browser to the authorization server. */
export const POST = (request: Request) => startSignIn(request);
