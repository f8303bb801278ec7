/**
 * The address of the socket a request came in on. Next.js hands route handlers and server actions a
 * Web `Request` without it: `next start` only fills in X-Forwarded-For with it when the client sent none
 * (next/dist/server/base-server.js), so a client that sends the header chooses its own address. Node's
 * `http.server.request.start` diagnostics channel sees each request with its socket before Next.js
 * does; there the address is written into a request header whose name holds a random token of this
 * process, which no client can know, send or overwrite.
 */
const HEADER = Symbol.for("authcode-lab.peer-address-header");
type WithHeader = typeof globalThis & { [HEADER]?: string };

type Subscribe = (name: string, listener: (message: unknown) => void) => void;

/**
 * Subscribes once per process (instrumentation-node.ts passes `node:diagnostics_channel`'s `subscribe`,
 * so that this module imports nothing of Node's and stays safe to import anywhere).
 */
export function recordPeerAddresses(subscribe: Subscribe): void {
  const g = globalThis as WithHeader;
  if (g[HEADER]) return;
  const name = `x-authcode-lab-peer-${crypto.randomUUID()}`;
  subscribe("http.server.request.start", (message) => {
    const { request, socket } = message as { request: { headers: Record<string, unknown> }; socket: { remoteAddress?: string } };
    request.headers[name] = socket.remoteAddress ?? "";
  });
  g[HEADER] = name;
}

/**
 * The socket's address of a request seen by `recordPeerAddresses`, IPv4-mapped IPv6 written as IPv4;
 * undefined when it was not seen (a unit test, or a request that arrived before the subscription).
 */
export function peerAddress(headers: Headers): string | undefined {
  const name = (globalThis as WithHeader)[HEADER];
  const address = name ? headers.get(name) : null;
  if (!address) return undefined;
  return address.startsWith("::ffff:") && address.includes(".") ? address.slice(7) : address;
}
