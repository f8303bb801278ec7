import type { ServerMetadata } from "@/lib/client/core/discovery";
import { explainParameter, explainScope } from "@/lib/client/core/parameters";
import type { StoredRun } from "@/lib/client/walkthrough/run-store";
import { ScopePicker } from "./scope-picker";
import { StepSection, ValueTable, type StepMark } from "./step-section";
import { clockTime } from "@/app/_components/clock-time";
import { Time } from "@/app/_components/time";

/** Step 1: the values the client made for this request, the scopes, and the authorization URL. */
export function StepAuthorize({
  run,
  metadata,
  clientId,
  redirectUri,
  current,
  finished,
}: {
  run: StoredRun;
  metadata?: ServerMetadata;
  clientId: string;
  redirectUri: string;
  current: StepMark;
  finished: boolean;
}) {
  const { data } = run;
  const locked = !!data.callback;
  return (
    <StepSection
      id="step-1"
      number="1"
      title="The client sends the browser to the authorization server"
      current={current}
      done={
        finished
          ? `the browser went to the authorization server${data.sentAt ? ` at ${clockTime(data.sentAt)}` : ""}, asking for ${data.scopes.join(" ")}.`
          : undefined
      }
    >
      <p>
        The client&apos;s server made four random values for this run and keeps them. Three travel in the authorization URL; the{" "}
        <strong>code_verifier</strong> stays on the server until step 4.
      </p>
      <ValueTable
        caption="Generated for this run"
        rows={[
          { name: "state", value: data.state, meaning: explainParameter("state") },
          {
            name: "code_verifier",
            value: data.codeVerifier,
            meaning:
              "32 random bytes, base64url: the secret half of PKCE. It is kept on the client's server and sent only with the code, in step 4 (RFC 7636 §4.1). Shown here for learning; a real client never shows it.",
          },
          {
            name: "code_challenge",
            value: data.codeChallenge,
            meaning:
              "BASE64URL(SHA-256(code_verifier)), method S256: the public half, sent now. Whoever redeems the code must know the verifier (RFC 7636 §4.2).",
          },
          { name: "nonce", value: data.nonce, meaning: explainParameter("nonce") },
          {
            name: "correlation id",
            value: run.correlationId,
            meaning:
              "Not a protocol parameter: derived from code_challenge, it names this run's events at every role (the sequence diagram below).",
          },
        ]}
      />
      {metadata ? (
        <ScopePicker
          run={run.id}
          endpoint={metadata.authorization_endpoint}
          locked={locked}
          request={{ clientId, redirectUri, state: data.state, nonce: data.nonce, codeChallenge: data.codeChallenge }}
          scopes={(metadata.scopes_supported ?? data.scopes).map((name) => ({ name, description: explainScope(name) }))}
          selected={data.scopes}
          prompt={data.prompt}
        />
      ) : (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-red-800">
          The authorization server&apos;s metadata is unavailable, so the authorization URL cannot be built.
        </p>
      )}
      {locked && (
        <p className="rounded-md bg-slate-100 p-3">
          This request has been answered. Its state and PKCE pair are used up: <strong>Start over</strong> for a new one.
        </p>
      )}
      {data.sentAt && !data.callback && (
        <p>
          The browser was sent to the authorization server at <Time iso={data.sentAt} />. You can send it again if you came back without
          finishing.
        </p>
      )}
    </StepSection>
  );
}
