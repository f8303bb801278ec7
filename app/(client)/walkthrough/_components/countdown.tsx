"use client";

import { useEffect, useState } from "react";

const format = (seconds: number) => {
  const s = Math.max(0, seconds);
  return s >= 60 ? `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s` : `${s} s`;
};

/**
 * A live countdown to `until` (or, without it, the time since `since`). It starts from the server's
 * clock (`now`), so the first render matches the server's HTML, then ticks every second.
 */
export function Countdown({ label, now, until, since, expiredText = "expired" }: {
  label: string; now: string; until?: string; since?: string; expiredText?: string;
}) {
  const [current, setCurrent] = useState(() => Date.parse(now));
  useEffect(() => {
    const timer = setInterval(() => setCurrent(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  if (until) {
    const left = Math.ceil((Date.parse(until) - current) / 1000);
    return (
      <span role="timer" aria-label={label} className={`font-mono font-semibold tabular-nums ${left > 0 ? "text-slate-900" : "text-red-700"}`}>
        {left > 0 ? `${format(left)} left` : expiredText}
      </span>
    );
  }
  const ago = Math.floor((current - Date.parse(since ?? now)) / 1000);
  return <span role="timer" aria-label={label} className="font-mono font-semibold tabular-nums">{format(ago)} ago</span>;
}
