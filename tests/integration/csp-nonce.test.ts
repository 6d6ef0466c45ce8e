import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as health from "~/routes/healthz";
import { startRouteServer } from "../setup/route-server";

let base: string;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ base, close } = await startRouteServer({ healthz: health }));
});
afterAll(async () => await close());

/** server/app.ts: every response carries its own CSP nonce (16 random bytes), never one seen before. */
describe("CSP nonces", () => {
  it("are 16 random bytes, different on every response, also across blocks of random bytes", async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 600; i++) {
      const response = await fetch(`${base}/healthz`);
      await response.arrayBuffer();
      const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(response.headers.get("content-security-policy") ?? "")?.[1];
      expect(nonce).toBeDefined();
      expect(Buffer.from(nonce!, "base64")).toHaveLength(16);
      seen.add(nonce!);
    }
    expect(seen.size).toBe(600);
  });
});
