"use server";

import { headers } from "next/headers";
import { registerFromForm, type RegistrationFormResult } from "@/lib/authorization-server/registration";
import { requestContext } from "@/lib/server-context";

/** The page's form: registers the client (RFC 7591, the same function as POST /oauth/register). */
export async function registerClientFromPage(previous: RegistrationFormResult | null, form: FormData): Promise<RegistrationFormResult> {
  void previous;
  return registerFromForm(await requestContext(), await headers(), form);
}
