"use client";

import { useEffect, useState } from "react";

const format = (seconds: number) => {
  const s = Math.max(0, seconds);
  return s >= 60 ? `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s` : `${s} s`;
};

/**
 * A live countdown to `until` (or, without it, the time since `since`), on the server's clock: it starts
 * from the server's `now`, so the first render matches the server's HTML, then ticks every second by the
 * browser's clock plus the difference seen at mount (a laptop whose clock is off still counts right). With
 * `skewSeconds`, the time past `until` during which the API still accepts the token is counted too.
 */
export function Countdown({
  label,
  now,
  until,
  since,
  expiredText = "expired",
  skewSeconds = 0,
}: {
  label: string;
  now: string;
  until?: string;
  since?: string;
  expiredText?: string;
  skewSeconds?: number;
}) {
  const [current, setCurrent] = useState(() => Date.parse(now));
  useEffect(() => {
    const offset = Date.parse(now) - Date.now();
    const timer = setInterval(() => setCurrent(Date.now() + offset), 1000);
    return () => clearInterval(timer);
  }, [now]);
  if (until) {
    const left = Math.ceil((Date.parse(until) - current) / 1000);
    const grace = left + skewSeconds;
    return (
      <span
        role="timer"
        aria-label={label}
        className={`font-mono font-semibold tabular-nums ${left > 0 ? "text-slate-900" : grace > 0 ? "text-amber-800" : "text-red-700"}`}
      >
        {left > 0
          ? `${format(left)} left`
          : grace > 0
            ? `expired; the API still accepts it for ${format(grace)} more (clock skew)`
            : expiredText}
      </span>
    );
  }
  const ago = Math.floor((current - Date.parse(since ?? now)) / 1000);
  return (
    <span role="timer" aria-label={label} className="font-mono font-semibold tabular-nums">
      {format(ago)} ago
    </span>
  );
}
