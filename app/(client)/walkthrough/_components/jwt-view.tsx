import { decodeToken, explainClaim, explainHeader, TIME_CLAIMS, type TokenKind } from "@/lib/client/core/jwt";
import { clockTime } from "@/app/_components/clock-time";
import { ValueTable } from "./step-section";

const show = (name: string, value: unknown) => {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  if (!TIME_CLAIMS.has(name) || typeof value !== "number") return text;
  // Seconds since 1970 (RFC 7519 §2, NumericDate), and the moment as a person reads it.
  const iso = new Date(value * 1000).toISOString();
  return `${value} (${iso.slice(0, 10)}, ${clockTime(iso)})`;
};

/** A JWT decoded: header and claims, each with one line of explanation; the signature stays masked. */
export function JwtView({ token, kind, title }: { token: string; kind: TokenKind; title: string }) {
  const decoded = decodeToken(token);
  if (!decoded) return <p>{title}: not a JWT.</p>;
  return (
    <div className="space-y-3">
      <ValueTable
        caption={`${title}: header`}
        rows={Object.entries(decoded.header).map(([name, value]) => ({
          name,
          value: show(name, value),
          meaning: explainHeader(name, kind),
        }))}
      />
      <ValueTable
        caption={`${title}: claims`}
        rows={Object.entries(decoded.claims).map(([name, value]) => ({
          name,
          value: show(name, value),
          meaning: explainClaim(name, kind),
        }))}
      />
      <p className="text-base text-slate-700">
        Signature: <code className="font-mono">{decoded.signature}</code> (masked: with it, the token could be used).
      </p>
    </div>
  );
}
