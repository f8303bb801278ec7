import { expect, test, type Browser } from "@playwright/test";
import { lookup } from "node:dns/promises";
import http from "node:http";
import { hostname, networkInterfaces } from "node:os";
import { flowPanel, signInWithNextAuth } from "../support/nextauth";
import { USERS } from "../support/oauth";
import { freePort, startServer, type TestServer } from "../support/server";
import { startTlsProxy, type TlsProxy } from "../support/tls-proxy";
import { authorize, press, startRun } from "../support/walkthrough";

/**
 * Every role at any APP_URL: an IPv6 literal, this machine's hostname, its network (LAN) address, and
 * https behind a reverse proxy that terminates TLS. At each, next-auth signs in and calls the API, and the
 * walkthrough exchanges its code: both fail if a redirect URI, a cookie or a redirect is built from
 * anything but APP_URL (the main suite runs on 127.0.0.1). A browser that reached the app at another
 * address is told so on the page.
 */

test.describe.configure({ mode: "serial" });

const lanAddress = Object.values(networkInterfaces())
  .flat()
  .find((i) => i && i.family === "IPv4" && !i.internal)?.address;
const machineName = hostname();

type Site = { name: string; appUrl: string; server: TestServer; proxy?: TlsProxy };
const sites: Site[] = [];

test.beforeAll(async () => {
  test.setTimeout(240_000);
  const resolves = await lookup(machineName).then(
    () => true,
    () => false,
  );
  const [v6Port, namePort, lanPort, tlsPort, behindPort] = await Promise.all([1, 2, 3, 4, 5].map(() => freePort()));
  const proxy = resolves ? await startTlsProxy(machineName, `http://127.0.0.1:${behindPort}`, tlsPort) : undefined;
  const starts: Promise<Site>[] = [
    startServer({}, { host: "[::1]", port: v6Port }).then((server) => ({ name: "an IPv6 literal", appUrl: server.baseURL, server })),
  ];
  if (resolves) {
    starts.push(
      startServer({}, { host: machineName, port: namePort }).then((server) => ({
        name: "this machine's hostname",
        appUrl: server.baseURL,
        server,
      })),
    );
    const appUrl = `https://${machineName}:${tlsPort}`;
    starts.push(
      startServer({ APP_URL: appUrl, NODE_EXTRA_CA_CERTS: proxy!.certFile }, { host: "127.0.0.1", port: behindPort }).then((server) => ({
        name: "https behind a TLS-terminating proxy",
        appUrl,
        server,
        proxy,
      })),
    );
  }
  if (lanAddress)
    starts.push(
      startServer({}, { host: lanAddress, port: lanPort }).then((server) => ({
        name: "the network address",
        appUrl: server.baseURL,
        server,
      })),
    );
  sites.push(...(await Promise.all(starts)));
  test.info().annotations.push({ type: "addresses", description: sites.map((s) => s.appUrl).join(", ") });
});

test.afterAll(async () => {
  await Promise.all(
    sites.map(async (s) => {
      await s.server.stop();
      await s.proxy?.stop();
    }),
  );
});

async function newPage(browser: Browser) {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  return { context, page: await context.newPage() };
}

test("next-auth signs in and calls the API at every address", async ({ browser }) => {
  expect(sites.length, "at least the IPv6 site started").toBeGreaterThan(0);
  for (const site of sites) {
    await test.step(site.name, async () => {
      const { context, page } = await newPage(browser);
      await signInWithNextAuth(page, USERS.alice, { origin: site.appUrl });
      expect(new URL(page.url()).origin, "back on APP_URL, not localhost").toBe(site.appUrl);
      await expect(page.getByRole("heading", { name: "Signed in as Alice Example" })).toBeVisible();
      await page.getByRole("button", { name: "Call the API" }).click();
      await expect(page.getByRole("heading", { name: "GET /api/me: 200" })).toBeVisible();
      await expect(flowPanel(page)).toContainText("Resource server validated the token and served");
      if (site.appUrl.startsWith("https:")) {
        const names = (await context.cookies(site.appUrl)).map((c) => c.name);
        expect(
          names.some((n) => n.startsWith("__Host-authjs.session-token")),
          `__Host- session cookie in ${names}`,
        ).toBe(true);
      }
      await expect(page.getByRole("region", { name: "Wrong address" })).toHaveCount(0);
      await context.close();
    });
  }
});

test("the walkthrough exchanges its code at every address", async ({ browser }) => {
  for (const site of sites) {
    await test.step(site.name, async () => {
      const { context, page } = await newPage(browser);
      await startRun(page, site.appUrl);
      await authorize(page);
      expect(new URL(page.url()).origin).toBe(site.appUrl);
      await press(page, "Exchange the code for tokens");
      await expect(page.getByRole("status").filter({ hasText: "The ID token is valid" })).toBeVisible();
      await context.close();
    });
  }
});

/** A request with a Host header of our choosing (fetch cannot set Host). */
function withHost(url: string, host: string, method = "GET", headers: Record<string, string> = {}) {
  return new Promise<{ status: number; location?: string; body: string }>((resolve, reject) => {
    const req = http.request(url, { method, headers: { ...headers, host } }, (res) => {
      let body = "";
      res.on("data", (chunk) => {
        body += chunk;
      });
      res.on("end", () => resolve({ status: res.statusCode!, location: res.headers.location, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

test("next-auth's URLs come from APP_URL, never from the Host header", async () => {
  const { server, appUrl } = sites[0];
  const providers = await withHost(`${server.baseURL}/api/auth/providers`, "evil.example");
  expect(JSON.parse(providers.body)["authcode-lab"].callbackUrl).toBe(`${appUrl}/api/auth/callback/authcode-lab`);
  const signIn = await withHost(`${server.baseURL}/app/sign-in`, "evil.example", "POST", { "sec-fetch-site": "same-origin" });
  expect(signIn.status).toBe(303);
  const location = new URL(signIn.location!);
  expect(location.origin).toBe(appUrl);
  expect(location.searchParams.get("redirect_uri")).toBe(`${appUrl}/api/auth/callback/authcode-lab`);
});

test("a browser at another address than APP_URL is told so on the page, with a link to APP_URL", async ({ browser }) => {
  const site = sites[0];
  const elsewhere = site.appUrl.replace("[::1]", "127.0.0.1");
  const { context, page } = await newPage(browser);
  await page.goto(`${elsewhere}/app`);
  const banner = page.getByRole("region", { name: "Wrong address" });
  await expect(banner).toContainText(`You opened this app at ${new URL(elsewhere).host}, but its address (APP_URL) is ${site.appUrl}`);
  await banner.getByRole("link", { name: `open ${site.appUrl}` }).click();
  await expect(page).toHaveURL(`${site.appUrl}/`);
  await expect(banner).toHaveCount(0);
  await context.close();
});
