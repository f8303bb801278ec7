"use client";

import { useState } from "react";
import { authorizationUrl, type AuthorizationUrlInput } from "@/lib/client/core/authorization-url";
import { explainParameter } from "@/lib/client/core/parameters";
import { buttonClass } from "./action-button";

type Props = {
  run: string;
  endpoint: string;
  request: Omit<AuthorizationUrlInput, "scopes" | "prompt">;
  scopes: { name: string; description: string }[];
  selected: string[];
  prompt: string[];
  /** The run already has its response: the request cannot change any more. */
  locked: boolean;
  /** The run pushes its request first (RFC 9126): the URL below is the pushed form's content, not the link. */
  pushed: boolean;
};

const PROMPTS = [
  { value: "login", label: "Ask the user to sign in again (prompt=login)" },
  { value: "consent", label: "Ask for consent again (prompt=consent)" },
];

/**
 * Step 1's form: the learner ticks scopes and sees the authorization URL change as they do (the same
 * function builds it on the server). Submitting sends the browser there through the client's server,
 * which records the step; without JavaScript, "Update the authorization URL" shows the new URL.
 */
export function ScopePicker({ run, endpoint, request, scopes, selected, prompt, locked, pushed }: Props) {
  const [chosen, setChosen] = useState(selected);
  const [prompts, setPrompts] = useState(prompt);
  const url = authorizationUrl(endpoint, {
    ...request,
    scopes: scopes.map((s) => s.name).filter((s) => chosen.includes(s)),
    prompt: prompts,
  });
  const toggle = (list: string[], value: string, on: boolean) => (on ? [...list, value] : list.filter((v) => v !== value));
  return (
    <form id="authorize-form" method="post" action="/walkthrough/action" className="space-y-4">
      <input type="hidden" name="run" value={run} />
      <fieldset disabled={locked} className="rounded-lg border border-slate-300 p-4">
        <legend className="px-1 font-semibold">Scopes: what the client asks for</legend>
        <ul className="grid gap-2 sm:grid-cols-2">
          {scopes.map((s) => (
            <li key={s.name} className="flex items-start gap-2">
              <input
                id={`scope-${s.name}`}
                type="checkbox"
                name="scope"
                value={s.name}
                checked={chosen.includes(s.name)}
                onChange={(e) => setChosen(toggle(chosen, s.name, e.target.checked))}
                aria-describedby={`scope-${s.name}-help`}
                className="mt-1.5 size-5"
              />
              <span>
                <label htmlFor={`scope-${s.name}`} className="font-mono font-semibold">
                  {s.name}
                </label>
                <span id={`scope-${s.name}-help`} className="block text-base text-slate-600">
                  {s.description}
                </span>
              </span>
            </li>
          ))}
        </ul>
      </fieldset>
      <fieldset disabled={locked} className="rounded-lg border border-slate-300 p-4">
        <legend className="px-1 font-semibold">Optional: ask the user again</legend>
        <p className="text-base text-slate-600">
          The authorization server remembers your sign-in and your consent; without these, it may skip its pages.
        </p>
        {PROMPTS.map((p) => (
          <div key={p.value} className="mt-2 flex items-center gap-2">
            <input
              id={`prompt-${p.value}`}
              type="checkbox"
              name="prompt"
              value={p.value}
              checked={prompts.includes(p.value)}
              onChange={(e) => setPrompts(toggle(prompts, p.value, e.target.checked))}
              className="size-5"
            />
            <label htmlFor={`prompt-${p.value}`}>{p.label}</label>
          </div>
        ))}
      </fieldset>
      <figure>
        <figcaption className="font-semibold">
          {pushed
            ? "The authorization request's parameters: with PAR, the client's server POSTs them to the authorization server (back channel); the browser never carries them"
            : "The authorization URL (the request of step 1, sent through the browser)"}
        </figcaption>
        <p className="mt-1 break-all rounded-md bg-slate-100 p-3 font-mono text-base">{url}</p>
        <details className="mt-2">
          <summary className="cursor-pointer font-semibold">Each parameter of the URL explained</summary>
          <dl className="mt-2 space-y-1 text-base">
            {[...new URL(url).searchParams].map(([name, value]) => (
              <div key={name}>
                <dt className="font-mono font-semibold">{name}</dt>
                <dd className="ml-4">
                  <span className="break-all font-mono">{value}</span>
                  <span className="block text-slate-600">{explainParameter(name)}</span>
                </dd>
              </div>
            ))}
          </dl>
        </details>
      </figure>
      {!locked && (
        <div className="flex flex-wrap gap-3">
          <button type="submit" name="intent" value="authorize" className={buttonClass("primary")}>
            {pushed
              ? "Push the request, then send the browser to the authorization server"
              : "Send the browser to the authorization server"}
          </button>
          <button type="submit" name="intent" value="preview" className={buttonClass("secondary")}>
            Update the authorization URL
          </button>
        </div>
      )}
    </form>
  );
}
