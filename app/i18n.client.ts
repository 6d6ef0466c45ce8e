import i18next, { type BackendModule, type ReadCallback } from "i18next";
import { initReactI18next } from "react-i18next";
import { fallbackLocale, i18nConfig, translationsUrl } from "./i18n";

type Pending = { ns: string; callback: ReadCallback }[];

/**
 * An i18next backend that fetches namespaces from the server (app/routes/locales.$lng.ts). The
 * namespaces i18next asks for together (a page's, after a navigation) go in one request, under
 * the catalogue's version so that the browser keeps the answer for good.
 */
class TranslationsBackend implements BackendModule<{ version: string }> {
  static type = "backend" as const;
  type = "backend" as const;
  private version = "";
  private pending = new Map<string, Pending>();

  init(_services: unknown, options: { version?: string }) {
    this.version = options.version ?? "";
  }

  read(lng: string, ns: string, callback: ReadCallback) {
    let batch = this.pending.get(lng);
    if (!batch) {
      batch = [];
      this.pending.set(lng, batch);
      queueMicrotask(() => void this.fetchBatch(lng));
    }
    batch.push({ ns, callback });
  }

  private async fetchBatch(lng: string) {
    const batch = this.pending.get(lng) ?? [];
    this.pending.delete(lng);
    const namespaces = [...new Set(batch.map((r) => r.ns))].sort();
    try {
      const response = await fetch(translationsUrl(lng, namespaces, this.version));
      // `true` asks i18next to try again later (a lost connection); a refusal is final
      if (!response.ok) throw Object.assign(new Error(`translations: ${response.status}`), { retry: response.status >= 500 });
      const bundles = (await response.json()) as Record<string, object>;
      for (const { ns, callback } of batch) callback(null, bundles[ns] ?? {});
    } catch (error) {
      const retry = (error as { retry?: boolean }).retry ?? true;
      for (const { callback } of batch) callback(error as Error, retry);
    }
  }
}

/**
 * Starts i18next in the browser with the namespaces the server rendered the page with: the page
 * preloads them (`<link rel="preload" data-translations>` in root.tsx), so hydration finds exactly
 * the server's texts. The namespaces of later pages come through the backend.
 */
export async function startTranslations() {
  const lng = document.documentElement.lang || fallbackLocale;
  const link = document.querySelector<HTMLLinkElement>("link[data-translations]");
  const url = link ? new URL(link.href) : null;
  let bundles: Record<string, object> = {};
  if (url) {
    try {
      const response = await fetch(url);
      if (response.ok) bundles = (await response.json()) as Record<string, object>;
    } catch {
      // the backend fetches what is missing when the page renders
    }
  }
  await i18next
    .use(initReactI18next)
    .use(TranslationsBackend)
    .init({
      ...i18nConfig,
      lng,
      // every key exists in every language (tests/unit/i18n-catalogues.test.ts): no English copy
      fallbackLng: false,
      ns: Object.keys(bundles),
      resources: { [lng]: bundles },
      partialBundledLanguages: true,
      // a page's namespaces in one request, not in batches of ten
      maxParallelReads: 100,
      backend: { version: url?.searchParams.get("v") ?? "" },
    });
}
