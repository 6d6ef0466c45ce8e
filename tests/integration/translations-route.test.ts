import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loader as rootLoader } from "~/root";
import { loader } from "~/routes/locales.$lng";
import { LOCALES_DIR, translationVersion } from "~/i18n.server";
import { call, makeRequest, unwrap } from "../setup/helpers";

const get = async (url: string, lng: string) => (await call(loader, makeRequest(url), { lng })) as Response;
const file = (lng: string, ns: string) => JSON.parse(fs.readFileSync(path.join(LOCALES_DIR, lng, `${ns}.json`), "utf8"));

/**
 * /locales/<lng>?ns=a,b&v=<version>: the namespaces a browser asks for, exactly as the files say
 * (what the server renders with), cached for good under the language's current version.
 */
describe("the translations a browser fetches", () => {
  it("are the asked namespaces of one language, as in their files, cached for good under the current version", async () => {
    const version = translationVersion("ar");
    expect(version).toMatch(/^[0-9a-f]{12}$/);
    const response = await get(`/locales/ar?ns=nav,roster&v=${version}`, "ar");
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("application/json; charset=utf-8");
    expect(response.headers.get("Cache-Control")).toBe("public, max-age=31536000, immutable");
    const body = await response.json();
    expect(Object.keys(body)).toEqual(["nav", "roster"]);
    expect(body).toEqual({ nav: file("ar", "nav"), roster: file("ar", "roster") });
    // Arabic's six plural forms travel as they are
    expect(Object.keys(body.roster).filter((k) => k.startsWith("summaryWomen_"))).toHaveLength(6);
  });

  it("under another version (a page opened before a deployment) are today's texts, not cached for good", async () => {
    const response = await get("/locales/fr?ns=nav&v=0123456789ab", "fr");
    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control")).toBe("no-cache");
    expect(await response.json()).toEqual({ nav: file("fr", "nav") });
  });

  it("each language has its own version", () => {
    const versions = ["en", "fr", "es", "ar"].map(translationVersion);
    expect(new Set(versions).size).toBe(4);
  });

  it("refuse what is not a language or a namespace, or a namespace twice", async () => {
    for (const [url, lng] of [
      ["/locales/de?ns=nav", "de"],
      ["/locales/ar?ns=nav,nav", "ar"],
      ["/locales/ar?ns=", "ar"],
      ["/locales/ar", "ar"],
      ["/locales/ar?ns=../../../package", "ar"],
      ["/locales/ar?ns=__proto__", "ar"],
      ["/locales/ar?ns=constructor", "ar"],
      ["/locales/ar?ns=nav,missing", "ar"],
      ["/locales/catalogue.ts?ns=nav", "catalogue.ts"],
    ]) {
      expect((await get(url, lng)).status, url).toBe(404);
    }
  });

  it("the page says which version to ask for: its language's", async () => {
    const { data } = unwrap(await rootLoader({ request: makeRequest("/login", { headers: { "Accept-Language": "es" } }), params: {}, context: {} } as never));
    expect(data.locale).toBe("es");
    expect(data.translations).toBe(translationVersion("es"));
  });
});
