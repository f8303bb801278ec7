"use client";

import { useSyncExternalStore } from "react";

const subscribe = (tick: () => void) => {
  const timer = setInterval(tick, 1000);
  return () => clearInterval(timer);
};
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** The access token's remaining lifetime, counted down (its expiry time only, not the token). */
export function ExpiresIn({ expiresAt }: { expiresAt: number }) {
  const now = useSyncExternalStore(subscribe, nowSeconds, () => null);
  const at = new Date(expiresAt * 1000).toISOString().slice(11, 19);
  if (now === null) return <span>expires at {at} UTC</span>;
  const left = expiresAt - now;
  return <span>{left > 0 ? `expires in ${left} s (at ${at} UTC)` : `expired at ${at} UTC: the next API call refreshes it`}</span>;
}
