import type { Metadata } from "next";
import { cookies } from "next/headers";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { instructorCookieName, isInstructor } from "@/lib/workshop/instructor/session";
import { requestContext } from "@/lib/server-context";

export const metadata: Metadata = { title: "Reset the workshop", referrer: "same-origin" };

/**
 * The reset's confirmation step: a page of its own (not a confirm() dialog), reachable and answerable by
 * keyboard and screen reader, whose button alone sends `confirm=reset`.
 */
export default async function ResetPage() {
  const ctx = await requestContext();
  if (!ctx.config.workshop.enabled) notFound();
  if (!(await isInstructor(ctx, (await cookies()).get(instructorCookieName(ctx.config.secureCookies))?.value))) redirect("/instructor");
  return (
    <div className="mx-auto max-w-2xl space-y-4 rounded-xl border border-red-200 bg-white p-8">
      <h1 className="text-2xl font-semibold">Reset the workshop&apos;s data?</h1>
      <p>This erases, for every participant:</p>
      <ul className="list-disc pl-6">
        <li>every walkthrough run and flow event (the live view becomes empty);</li>
        <li>every authorization code, access token and refresh token (the ones in use stop working);</li>
        <li>every sign-in and consent at the authorization server, and the API&apos;s notes;</li>
        <li>the lifetimes set in the instructor view.</li>
      </ul>
      <p>
        It keeps the demo users, the signing keys, the clients participants registered, and your instructor sign-in. It cannot be undone.
      </p>
      <form method="post" action="/instructor/reset/confirm" className="flex flex-wrap gap-4">
        <input type="hidden" name="confirm" value="reset" />
        <button
          type="submit"
          className="inline-flex items-center rounded-md bg-red-700 px-4 py-2 text-base font-semibold text-white hover:bg-red-800"
        >
          Yes, erase the workshop&apos;s data
        </button>
        <Link href="/instructor" className="inline-flex items-center rounded-md border border-slate-500 px-4 py-2 text-base font-semibold">
          Cancel
        </Link>
      </form>
    </div>
  );
}
