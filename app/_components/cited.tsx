import { citations } from "@/lib/oauth/rfc-links";

/** A text whose citations ("RFC 6750 §3.1", "OpenID Connect Core §3.1.3.7") link to the cited section. */
export function Cited({ text }: { text: string }) {
  return (
    <>
      {citations(text).map((part, i) =>
        part.href ? (
          <a key={i} href={part.href} className="text-blue-800 underline">
            {part.text}
          </a>
        ) : (
          <span key={i}>{part.text}</span>
        ),
      )}
    </>
  );
}
