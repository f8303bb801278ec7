/**
 * Links to the sections the app cites, so every error or check it shows can be followed to its source:
 * "RFC 6749 §4.1.2" → rfc-editor.org's section anchor; "OpenID Connect Core §3.1.3.7" → openid.net's.
 */

const RFC = /\bRFC (\d{4})(?: §(\d+(?:\.\d+)*))?/;
const OIDC = /\bOpenID Connect Core §(\d+(?:\.\d+)*)/;
/** A further section of the RFC cited just before it: "RFC 6749 §4.1.2, §10.5". */
const MORE = /(?<=, )§(\d+(?:\.\d+)*)/;
const ANY = new RegExp(`${RFC.source}|${OIDC.source}|${MORE.source}`, "g");

/** The URL of a cited section ("RFC 6750 §3.1"), or undefined if the text cites none. */
export function rfcHref(reference: string): string | undefined {
  const oidc = OIDC.exec(reference);
  if (oidc) return `https://openid.net/specs/openid-connect-core-1_0.html#rfc.section.${oidc[1]}`;
  const rfc = RFC.exec(reference);
  if (!rfc) return undefined;
  return `https://www.rfc-editor.org/rfc/rfc${rfc[1]}${rfc[2] ? `#section-${rfc[2]}` : ""}`;
}

export type TextPart = { text: string; href?: string };

/** A text cut into plain parts and cited sections, each citation with its link. */
export function citations(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  let rfc: string | undefined;
  for (const match of text.matchAll(ANY)) {
    if (match[0].startsWith("§") && !rfc) continue;
    if (match.index > last) parts.push({ text: text.slice(last, match.index) });
    if (match[1]) rfc = match[1];
    else if (!match[0].startsWith("§")) rfc = undefined;
    parts.push({ text: match[0], href: match[0].startsWith("§") ? rfcHref(`RFC ${rfc} ${match[0]}`) : rfcHref(match[0]) });
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts;
}
