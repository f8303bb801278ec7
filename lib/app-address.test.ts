import { describe, expect, it } from "vitest";
import { addressMismatch, addressWarnings } from "./app-address";

const headers = (init: Record<string, string>) => new Headers(init);

describe("addressMismatch", () => {
  it("is null when the browser used APP_URL's host and port", () => {
    expect(addressMismatch("http://127.0.0.1:3911", headers({ host: "127.0.0.1:3911" }))).toBeNull();
    expect(addressMismatch("http://[::1]:3911", headers({ host: "[::1]:3911" }))).toBeNull();
    expect(addressMismatch("https://lab.example", headers({ host: "LAB.example:443" }))).toBeNull();
  });

  it("names the address used and APP_URL", () => {
    expect(addressMismatch("http://127.0.0.1:3911", headers({ host: "localhost:3911" }))).toEqual({
      reached: "localhost:3911",
      appUrl: "http://127.0.0.1:3911",
    });
    expect(addressMismatch("http://laptop.local:3000", headers({ host: "laptop.local:3001" }))?.reached).toBe("laptop.local:3001");
  });

  it("prefers the proxy's X-Forwarded-Host (its first value)", () => {
    expect(addressMismatch("https://lab.example", headers({ host: "127.0.0.1:3000", "x-forwarded-host": "lab.example" }))).toBeNull();
    expect(
      addressMismatch("https://lab.example", headers({ host: "lab.example", "x-forwarded-host": "other.example, lab.example" }))?.reached,
    ).toBe("other.example");
  });
});

describe("addressWarnings", () => {
  const local = ["127.0.0.1", "::1", "192.168.1.20"];
  it("says nothing for a local address, a hostname, or https behind a proxy", () => {
    expect(addressWarnings("http://192.168.1.20:3000", 3000, local)).toEqual([]);
    expect(addressWarnings("http://[::1]:3000", 3000, local)).toEqual([]);
    expect(addressWarnings("http://laptop.local:3000", 3000, local)).toEqual([]);
    expect(addressWarnings("https://lab.example", 3000, local)).toEqual([]);
  });

  it("warns about an IP literal that is not this machine's", () => {
    expect(addressWarnings("http://10.0.0.9:3000", 3000, local)).toEqual([
      expect.stringContaining("10.0.0.9, which is not an address of this machine"),
    ]);
  });

  it("warns about plain http on a port the server does not listen on", () => {
    expect(addressWarnings("http://localhost:3911", 3000, local)).toEqual([
      expect.stringContaining("on port 3911, but this server listens on 3000"),
    ]);
    expect(addressWarnings("http://laptop.local", 3000, local)).toEqual([expect.stringContaining("on port 80")]);
  });
});
