"use client";
import { useEffect } from "react";

/** Where the typed username waits for the page after a refused sign-in: this tab only. */
export const USERNAME_KEY = "authcode-lab:sign-in-username";

/**
 * After a refused sign-in, puts back what was typed as the username, so that a typo in the password
 * does not cost the username too. It never leaves the browser: kept in this tab's sessionStorage when
 * the form is sent, read once by the next sign-in page, and removed there (and by every other page of
 * the app, KeepNothingTyped), since what was typed may be a password one field too early. The server
 * stores none of it (lib/authorization-server/interaction.ts).
 */
export function KeepUsername({ refused }: { refused: boolean }) {
  useEffect(() => {
    const input = document.getElementById("username");
    if (!(input instanceof HTMLInputElement) || !input.form) return;
    const typed = take();
    if (refused && typed && !input.value) input.value = typed;
    const form = input.form;
    const remember = () => {
      try {
        sessionStorage.setItem(USERNAME_KEY, input.value.slice(0, 64));
      } catch {
        /* storage off: nothing kept */
      }
    };
    form.addEventListener("submit", remember);
    return () => form.removeEventListener("submit", remember);
  }, [refused]);
  return null;
}

/** On every other page: nothing typed on the sign-in page outlives the next page. */
export function KeepNothingTyped() {
  useEffect(() => void take(), []);
  return null;
}

function take(): string | null {
  try {
    const typed = sessionStorage.getItem(USERNAME_KEY);
    sessionStorage.removeItem(USERNAME_KEY);
    return typed;
  } catch {
    return null;
  }
}
