import "server-only";
import NextAuth from "next-auth";
import { getConfig } from "../config";
import { nextAuthConfig } from "./nextauth/config";

/**
 * The production-style client (`/app`): Auth.js v5 with the authorization server as an OpenID Connect
 * provider. The configuration is built lazily, per request, from the validated configuration (lib/config.ts).
 */
export const { handlers, auth, signIn, signOut, unstable_update } = NextAuth(() => nextAuthConfig(getConfig()));
