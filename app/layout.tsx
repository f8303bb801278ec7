import type { Metadata } from "next";
import Link from "next/link";
import { headers } from "next/headers";
import { connection } from "next/server";
import { addressMismatch } from "@/lib/app-address";
import { getConfig } from "@/lib/config";
import { LAB_MODE_BANNER } from "@/lib/http";
import "./globals.css";
import { KeepNothingTyped } from "./(authorization-server)/login/keep-username";

export const metadata: Metadata = {
  title: { default: "authcode-lab", template: "%s · authcode-lab" },
  description: "The OAuth 2.0 authorization code grant with all three roles, for real.",
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // LAB_MODE and WORKSHOP_MODE are the running server's, not the build's: every page renders per request.
  await connection();
  const {
    issuer,
    labMode,
    workshop: { enabled: workshop },
  } = getConfig();
  const mismatch = addressMismatch(issuer, await headers());
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">
        {labMode && (
          <div
            role="region"
            aria-label="Lab mode"
            className="border-b-4 border-amber-600 bg-amber-100 px-4 py-3 text-center text-lg font-semibold text-amber-950"
          >
            {LAB_MODE_BANNER} For a classroom only; see the{" "}
            <Link href="/lab" className="underline">
              attack lab
            </Link>
            .
          </div>
        )}
        {mismatch && (
          <div
            role="region"
            aria-label="Wrong address"
            className="border-b-4 border-red-700 bg-red-50 px-4 py-3 text-center text-lg text-red-950"
          >
            You opened this app at <strong>{mismatch.reached}</strong>, but its address (APP_URL) is <strong>{mismatch.appUrl}</strong>.
            Sign-in sends you there and fails from here:{" "}
            <a href={`${mismatch.appUrl}/`} className="font-semibold underline">
              open {mismatch.appUrl}
            </a>{" "}
            instead.
          </div>
        )}
        <header className="border-b border-slate-200 bg-white">
          <nav aria-label="Main" className="mx-auto flex max-w-5xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
            <Link href="/" className="text-lg font-semibold text-slate-900">
              authcode-lab
            </Link>
            <Link href="/learn" className="text-blue-800 underline-offset-4 hover:underline">
              Learn
            </Link>
            <Link href="/walkthrough" className="text-blue-800 underline-offset-4 hover:underline">
              Walkthrough
            </Link>
            <Link href="/app" className="text-blue-800 underline-offset-4 hover:underline">
              next-auth client
            </Link>
            <Link href="/lab" className="text-blue-800 underline-offset-4 hover:underline">
              Lab
            </Link>
            <Link href="/self-check" className="text-blue-800 underline-offset-4 hover:underline">
              Self-check
            </Link>
            <Link href="/clients/new" className="text-blue-800 underline-offset-4 hover:underline">
              Register a client
            </Link>
            <Link href="/grants" className="text-blue-800 underline-offset-4 hover:underline">
              Your grants
            </Link>
            {workshop && (
              <Link href="/instructor" className="text-blue-800 underline-offset-4 hover:underline">
                Instructor
              </Link>
            )}
          </nav>
        </header>
        <main className="mx-auto max-w-5xl px-4 py-8">{children}</main>
        <KeepNothingTyped />
      </body>
    </html>
  );
}
