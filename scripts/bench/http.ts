import { Agent, request } from "node:http";
import { createHash, randomBytes } from "node:crypto";

/** A small keep-alive HTTP client: less client-side CPU than fetch, which matters when the bench shares the cores with the server. */
export type HttpResponse = { status: number; headers: Record<string, string | string[] | undefined>; body: string };

export function httpClient(base: string, maxSockets = 16) {
  const origin = new URL(base);
  const agent = new Agent({ keepAlive: true, maxSockets });
  const send = (method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<HttpResponse> =>
    new Promise((resolve, reject) => {
      const req = request(
        {
          host: origin.hostname,
          port: origin.port,
          method,
          path,
          agent,
          headers: body === undefined ? headers : { ...headers, "Content-Length": String(Buffer.byteLength(body)) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.setTimeout(30_000, () => req.destroy(new Error(`${method} ${path}: timeout`)));
      req.end(body);
    });
  return { send, close: () => agent.destroy() };
}

export type HttpClient = ReturnType<typeof httpClient>;

/** RFC 7636 §4.1-4.2: a verifier of 43 characters and its S256 challenge. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

export const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

/** RFC 6749 §2.3.1: client_secret_basic (id and secret form-urlencoded, then base64). */
export const basicAuth = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString("base64")}`;

export function hiddenInput(html: string, name: string): string | undefined {
  for (const tag of html.match(/<input\b[^>]*>/g) ?? []) {
    if (new RegExp(`\\bname="${name}"`).test(tag)) return /\bvalue="([^"]*)"/.exec(tag)?.[1]?.replace(/&amp;/g, "&");
  }
  return undefined;
}

export const header = (response: HttpResponse, name: string): string | undefined => {
  const value = response.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
};
