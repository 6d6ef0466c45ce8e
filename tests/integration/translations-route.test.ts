import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import { loader as rootLoader } from "~/root";
import { loader } from "~/routes/locales.$lng";
import {
  compressedNamespacesJson,
  keepNamespacesOf,
  keptTranslationAnswers,
  LOCALES_DIR,
  namespaces as allNamespaces,
  TRANSLATION_ANSWERS_KEPT,
  translationVersion,
} from "~/i18n.server";
import { call, makeRequest, unwrap } from "../setup/helpers";

const get = async (url: string, lng: string, headers: Record<string, string> = {}) => (await call(loader, makeRequest(url, { headers }), { lng })) as Response;
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

describe("a page's translations, compressed once", () => {
  const brotli4 = (text: string) => zlib.brotliCompressSync(Buffer.from(text), { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } }).length;

  it("go Brotli- or gzip-compressed at the highest level, decoding to the same JSON, made once", async () => {
    const namespaces = ["errorPage", "layout", "nav", "reports"];
    keepNamespacesOf("ar", namespaces); // what rendering a page with these namespaces does (entry.server.tsx)
    const url = `/locales/ar?ns=${namespaces.join(",")}&v=${translationVersion("ar")}`;
    const plain = await (await get(url, "ar", { "Accept-Encoding": "identity" })).text();
    expect(JSON.parse(plain)).toEqual(Object.fromEntries(namespaces.map((ns) => [ns, file("ar", ns)])));

    const br = await get(url, "ar", { "Accept-Encoding": "gzip, deflate, br, zstd" });
    expect(br.headers.get("Content-Encoding")).toBe("br");
    expect(br.headers.get("Vary")).toBe("Accept-Encoding");
    expect(br.headers.get("Cache-Control")).toBe("public, max-age=31536000, immutable");
    const brBytes = Buffer.from(await br.arrayBuffer());
    expect(zlib.brotliDecompressSync(brBytes).toString("utf8")).toBe(plain);
    // smaller than what compression on the fly (quality 4) sends
    expect(brBytes.length).toBeLessThan(brotli4(plain) * 0.9);

    const gzip = await get(url, "ar", { "Accept-Encoding": "gzip, deflate" });
    expect(gzip.headers.get("Content-Encoding")).toBe("gzip");
    expect(zlib.gunzipSync(Buffer.from(await gzip.arrayBuffer())).toString("utf8")).toBe(plain);

    // compressed the first time it was asked for, then kept: the same bytes
    expect(compressedNamespacesJson("ar", namespaces, "br")).toBe(compressedNamespacesJson("ar", namespaces, "br"));
    // identity, as asked
    expect((await get(url, "ar", { "Accept-Encoding": "identity" })).headers.get("Content-Encoding")).toBeNull();
  });

  it("only for a set a page was rendered with, under the current version; the rest is left to compression on the fly", async () => {
    keepNamespacesOf("fr", ["layout", "nav"]);
    const version = translationVersion("fr");
    const asked = { "Accept-Encoding": "br" };
    expect((await get(`/locales/fr?ns=layout,nav&v=${version}`, "fr", asked)).headers.get("Content-Encoding")).toBe("br");
    // a set no page shows (the texts missing after a navigation, a made-up list)
    const other = await get(`/locales/fr?ns=nav,roster&v=${version}`, "fr", asked);
    expect(other.status).toBe(200);
    expect(other.headers.get("Content-Encoding")).toBeNull();
    expect(await other.json()).toEqual({ nav: file("fr", "nav"), roster: file("fr", "roster") });
    // an older version: today's texts, revalidated, not kept
    const old = await get("/locales/fr?ns=layout,nav&v=0123456789ab", "fr", asked);
    expect(old.headers.get("Content-Encoding")).toBeNull();
    expect(old.headers.get("Cache-Control")).toBe("no-cache");
  });

  it("keep at most TRANSLATION_ANSWERS_KEPT sets, however many are asked for", async () => {
    // a stranger asking for every pair of namespaces in every language adds nothing
    const before = keptTranslationAnswers();
    let asked = 0;
    for (const lng of ["en", "fr", "es", "ar"]) {
      for (let i = 0; i < 40; i++) {
        const pair = [allNamespaces[i], allNamespaces[(i + 7) % allNamespaces.length]].sort();
        const response = await get(`/locales/${lng}?ns=${pair.join(",")}&v=${translationVersion(lng)}`, lng, { "Accept-Encoding": "br" });
        expect(response.status).toBe(200);
        asked++;
      }
    }
    expect(asked).toBe(160);
    expect(keptTranslationAnswers()).toBe(before);
    // pages with more sets than the bound: the least recently used make way
    const first = ["errorPage", "layout", "nav", "people"];
    keepNamespacesOf("es", first);
    expect(compressedNamespacesJson("es", first, "br")).not.toBeNull();
    for (let i = 0; i < TRANSLATION_ANSWERS_KEPT + 50; i++) keepNamespacesOf("es", ["layout", "nav", `made-up-${i}`]);
    expect(keptTranslationAnswers()).toBe(TRANSLATION_ANSWERS_KEPT);
    expect(compressedNamespacesJson("es", first, "br")).toBeNull();
    // a set whose namespaces do not exist is never compressed (and its address answers 404)
    expect(compressedNamespacesJson("es", ["layout", "nav", `made-up-${TRANSLATION_ANSWERS_KEPT + 49}`], "br")).toBeNull();
  });
});
