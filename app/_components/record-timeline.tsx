"use client";

import { useEffect, useState } from "react";
import type { RecordState } from "@/lib/oauth/flow-state";
import { clockTime } from "./clock-time";

const TONE: Record<RecordState["state"], string> = {
  issued: "text-green-800",
  consumed: "text-slate-800",
  rotated: "text-slate-800",
  revoked: "text-red-800",
  expired: "text-amber-900",
};

/**
 * One record's states over time, oldest first, as the authorization server reported them. Its expiry
 * needs no new request: once `expiresAt` passes on the server's clock (`now` at render, then ticking),
 * the record shows it expired, exactly as the server's own check (expiresAt <= now) would.
 */
export function RecordTimeline({
  label,
  states,
  expiresAt,
  now,
}: {
  label: string;
  states: RecordState[];
  expiresAt: string;
  now: string;
}) {
  const [current, setCurrent] = useState(() => Date.parse(now));
  useEffect(() => {
    const skew = Date.parse(now) - Date.now();
    const timer = setInterval(() => setCurrent(Date.now() + skew), 1000);
    return () => clearInterval(timer);
  }, [now]);
  const shown =
    states.some((s) => s.state === "expired") || Date.parse(expiresAt) > current
      ? states
      : [
          states[0],
          ...[...states.slice(1), { state: "expired" as const, at: expiresAt }].sort((a, b) => Date.parse(a.at) - Date.parse(b.at)),
        ];
  return (
    <ol aria-label={label} className="flex flex-wrap gap-x-2 gap-y-1">
      {shown.map((s, i) => (
        <li key={`${s.state}-${i}`} className="whitespace-nowrap">
          {i > 0 && (
            <span aria-hidden="true" className="mr-2 text-slate-500">
              →
            </span>
          )}
          <span className={`font-semibold ${TONE[s.state]}`}>{s.state}</span>{" "}
          <time dateTime={s.at} className="font-mono text-base tabular-nums text-slate-700">
            {clockTime(s.at)}
          </time>
          {s.cause && <span className="text-slate-700"> (by {s.cause})</span>}
        </li>
      ))}
    </ol>
  );
}
