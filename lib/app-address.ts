import { isIP } from "node:net";

/**
 * The app's one address is APP_URL: the issuer (RFC 8414 §2), every redirect URI and every cookie derive
 * from it, never from the Host header. A browser that reached the app at another host or port holds
 * cookies for the wrong site and is sent to APP_URL by the first redirect, so a sign-in begun there fails
 * late and obscurely. These checks say so at start and on the page instead.
 */

/** The host (and port) a request was addressed to: X-Forwarded-Host from a TLS proxy, else Host. */
export function requestedHost(headers: Headers): string | null {
  const value = headers.get("x-forwarded-host")?.split(",")[0] ?? headers.get("host");
  return value ? value.trim().toLowerCase() : null;
}

/** Where the browser reached the app and APP_URL, when the two differ. */
export function addressMismatch(issuer: string, headers: Headers): { reached: string; appUrl: string } | null {
  const reached = requestedHost(headers);
  const app = new URL(issuer);
  if (!reached || reached === app.host) return null;
  // An explicit default port in Host (":80", ":443") is the same address.
  const defaultPort = app.protocol === "https:" ? "443" : "80";
  if (reached === `${app.host}:${defaultPort}`) return null;
  return { reached, appUrl: issuer };
}

/**
 * Start-time warnings about APP_URL's address, given this machine's addresses (os.networkInterfaces()):
 * an IP literal that is not one of them, or an http URL on a port other than the one the server listens on.
 * Either can be right behind a proxy, so these warn rather than stop.
 */
export function addressWarnings(issuer: string, port: number, localAddresses: string[]): string[] {
  const url = new URL(issuer);
  const warnings: string[] = [];
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (isIP(host) && !localAddresses.includes(host)) {
    warnings.push(
      `APP_URL ${issuer} names ${host}, which is not an address of this machine (${localAddresses.join(", ")}). ` +
        "Browsers are sent to APP_URL, so sign-ins fail unless a proxy forwards that address here. Set APP_URL to the address participants open.",
    );
  }
  const urlPort = Number(url.port || (url.protocol === "https:" ? 443 : 80));
  if (url.protocol === "http:" && urlPort !== port) {
    warnings.push(
      `APP_URL ${issuer} is on port ${urlPort}, but this server listens on ${port}. Unless a proxy forwards that port here, set PORT=${urlPort} or change APP_URL.`,
    );
  }
  return warnings;
}
