import Link from "next/link";

/** The four lanes of the flow, left to right. */
const LANES = [
  { id: "browser", name: "User's browser", role: "the user" },
  { id: "client", name: "Client app server", role: "client" },
  { id: "as", name: "Authorization server", role: "authorization server" },
  { id: "rs", name: "Resource server", role: "resource server (API)" },
] as const;
type Lane = (typeof LANES)[number]["id"];

/** One message from lane to lane; a front-channel step is two of them, through the browser. */
type Hop = { from: Lane; to: Lane; label?: string };
type Step = { n: number; hops: Hop[]; channel: "front" | "back"; title: string; text: string };

/**
 * The seven steps of the seed, each an arrow between two lanes, or two: a front-channel message is a
 * redirect the browser follows, so it is drawn through the browser's lifeline (steps 1 and 3).
 */
const STEPS: Step[] = [
  {
    n: 1,
    hops: [
      { from: "client", to: "browser", label: "302 redirect" },
      { from: "browser", to: "as", label: "GET /oauth/authorize" },
    ],
    channel: "front",
    title: "Authorization request",
    text: "The client sends the user's browser to the authorization server, with its client_id, redirect_uri, scope, state and PKCE challenge.",
  },
  {
    n: 2,
    hops: [{ from: "as", to: "browser" }],
    channel: "front",
    title: "Login and consent",
    text: "The authorization server authenticates the user and asks for consent.",
  },
  {
    n: 3,
    hops: [
      { from: "as", to: "browser", label: "302 to the redirect URI" },
      { from: "browser", to: "client", label: "GET /callback?code=…" },
    ],
    channel: "front",
    title: "Redirect with a code",
    text: "It redirects the browser back to the client's registered redirect URI with a one-time, short-lived code.",
  },
  {
    n: 4,
    hops: [{ from: "client", to: "as" }],
    channel: "back",
    title: "Code exchange",
    text: "The client's server exchanges the code, with its client ID and secret and the PKCE verifier, for tokens.",
  },
  {
    n: 5,
    hops: [{ from: "as", to: "client" }],
    channel: "back",
    title: "Tokens",
    text: "The authorization server returns an access token and, optionally, a refresh token (and an ID token).",
  },
  {
    n: 6,
    hops: [{ from: "client", to: "rs" }],
    channel: "back",
    title: "API call",
    text: "The client calls the protected API with the access token in the Authorization header.",
  },
  {
    n: 7,
    hops: [{ from: "rs", to: "client" }],
    channel: "back",
    title: "Validated and served",
    text: "The resource server validates the token and serves the request; when it expires, the client uses the refresh token.",
  },
];

const column = (lane: Lane) => LANES.findIndex((l) => l.id === lane) + 1;

/** One hop: a line from lane centre to lane centre, half a lane in from each end of its span. */
function HopLine({ hop, front }: { hop: Hop; front: boolean }) {
  const a = column(hop.from);
  const b = column(hop.to);
  const rightward = b > a;
  const inset = `${50 / (Math.abs(b - a) + 1)}%`;
  return (
    <div className="grid grid-cols-4 items-center gap-x-2">
      <div style={{ gridColumnStart: Math.min(a, b), gridColumnEnd: Math.max(a, b) + 1, paddingInline: inset }} className="relative">
        <div className={`flex items-center ${rightward ? "" : "flex-row-reverse"}`}>
          <span className={`h-0 flex-1 border-t-[3px] ${front ? "border-dashed border-amber-600" : "border-solid border-blue-700"}`} />
          <span className={`text-lg leading-none ${front ? "text-amber-600" : "text-blue-700"}`}>{rightward ? "▶" : "◀"}</span>
        </div>
        {hop.label && <p className="text-center font-mono text-xs text-slate-700">{hop.label}</p>}
      </div>
    </div>
  );
}

/** A step: its hops one under the other (through the browser for the front channel), then its title. */
function Arrow({ step }: { step: Step }) {
  const front = step.channel === "front";
  const lanes = [step.hops[0].from, ...step.hops.map((h) => h.to)].map(column);
  return (
    <div aria-hidden="true" data-step={step.n}>
      {step.hops.map((hop) => (
        <HopLine key={`${hop.from}-${hop.to}`} hop={hop} front={front} />
      ))}
      <div className="grid grid-cols-4 gap-x-2">
        <p
          style={{ gridColumnStart: Math.min(...lanes), gridColumnEnd: Math.max(...lanes) + 1 }}
          className="mt-1 text-center text-sm font-semibold text-slate-800 md:text-base"
        >
          {step.n}. {step.title}
          {front && " (via the browser)"}
        </p>
      </div>
    </div>
  );
}

/** The lanes a step passes through, in order, by name: "Client app server → User's browser → Authorization server". */
const path = (step: Step) => [step.hops[0].from, ...step.hops.map((h) => h.to)].map((lane) => LANES[column(lane) - 1].name).join(" → ");

export default function Home() {
  return (
    <div className="space-y-10">
      <section>
        <h1 className="text-3xl font-bold md:text-4xl">The OAuth 2.0 authorization code grant, for real</h1>
        <p className="mt-3 max-w-3xl text-lg text-slate-700">
          authcode-lab runs all three roles in one app: an authorization server, a client and a resource server. Nothing is mocked: the
          authorization server is standards-conformant and secure, so what you see here is true of production systems.
        </p>
        <div className="mt-6 flex flex-wrap gap-4">
          <Link href="/walkthrough" className="rounded-lg bg-blue-700 px-5 py-3 text-lg font-semibold text-white hover:bg-blue-800">
            Walk through the flow
          </Link>
          <Link href="/app" className="rounded-lg border-2 border-blue-700 px-5 py-3 text-lg font-semibold text-blue-800 hover:bg-blue-50">
            Sign in with next-auth
          </Link>
          <Link
            href="/learn"
            className="rounded-lg border-2 border-blue-700 px-5 py-3 text-lg font-semibold text-blue-800 hover:bg-blue-50"
          >
            Learn it in seven chapters
          </Link>
        </div>
      </section>

      <section aria-labelledby="diagram-heading" className="rounded-xl border border-slate-200 bg-white p-4 md:p-6">
        <h2 id="diagram-heading" className="text-2xl font-semibold">
          Three roles, seven steps
        </h2>
        <p className="mt-2 text-slate-700">
          <span className="font-semibold text-amber-700">Dashed amber arrows</span> are the <strong>front channel</strong>: messages carried
          by the user&apos;s browser, as redirects, where the user (and any script or extension) can see them.{" "}
          <span className="font-semibold text-blue-800">Solid blue arrows</span> are the <strong>back channel</strong>: direct
          server-to-server HTTPS, where the client can use its secret and tokens never touch the browser.
        </p>
        <p className="mt-4 text-base text-slate-700 md:hidden" id="overview-scroll-hint">
          The diagram is wider than this screen: scroll it sideways to see all four roles →
        </p>
        {/* Focusable, so a keyboard can scroll it too (WCAG 2.1.1). */}
        <div
          className="mt-6 overflow-x-auto"
          tabIndex={0}
          role="region"
          aria-label="The roles and the seven steps, as a diagram"
          aria-describedby="overview-scroll-hint"
        >
          <div className="min-w-[40rem]">
            <div className="grid grid-cols-4 gap-x-2">
              {LANES.map((lane) => (
                <div key={lane.id} className="rounded-t-lg bg-slate-800 px-2 py-3 text-center text-white">
                  <p className="font-semibold md:text-lg">{lane.name}</p>
                  <p className="text-sm text-slate-300">{lane.role}</p>
                </div>
              ))}
            </div>
            <div className="relative">
              <div className="absolute inset-0 grid grid-cols-4 gap-x-2" aria-hidden="true">
                {LANES.map((lane) => (
                  <div key={lane.id} className="flex justify-center bg-slate-50">
                    <div className="w-0 border-l-2 border-slate-300" />
                  </div>
                ))}
              </div>
              <div className="relative space-y-5 py-5">
                <p className="relative text-center text-xs font-semibold uppercase tracking-wider text-amber-700" aria-hidden="true">
                  Front channel: through the browser
                </p>
                {STEPS.filter((s) => s.channel === "front").map((s) => (
                  <Arrow key={s.n} step={s} />
                ))}
                <p
                  className="relative border-t border-slate-300 pt-4 text-center text-xs font-semibold uppercase tracking-wider text-blue-800"
                  aria-hidden="true"
                >
                  Back channel: server to server
                </p>
                {STEPS.filter((s) => s.channel === "back").map((s) => (
                  <Arrow key={s.n} step={s} />
                ))}
              </div>
            </div>
          </div>
        </div>

        <h3 className="mt-8 text-xl font-semibold">The steps</h3>
        <ol className="mt-3 space-y-3" aria-label="The seven steps">
          {STEPS.map((s) => (
            <li key={s.n} className="flex gap-3">
              <span className="flex h-8 w-8 flex-none items-center justify-center rounded-full bg-slate-800 font-bold text-white">
                {s.n}
              </span>
              <p className="text-slate-800">
                <strong>{s.title}</strong>{" "}
                <span className={s.channel === "front" ? "text-amber-800" : "text-blue-800"}>
                  ({s.channel === "front" ? "front channel" : "back channel"}: {path(s)})
                </span>
                . {s.text}
              </p>
            </li>
          ))}
        </ol>
      </section>

      <section aria-labelledby="endpoints" className="text-slate-700">
        <h2 id="endpoints" className="text-xl font-semibold text-slate-900">
          The authorization server&apos;s metadata
        </h2>
        <p className="mt-2">
          <Link className="text-blue-700 underline" href="/.well-known/openid-configuration">
            /.well-known/openid-configuration
          </Link>{" "}
          and{" "}
          <Link className="text-blue-700 underline" href="/.well-known/oauth-authorization-server">
            /.well-known/oauth-authorization-server
          </Link>{" "}
          list what it supports; the README names every endpoint and the RFC behind it.
        </p>
      </section>
    </div>
  );
}
