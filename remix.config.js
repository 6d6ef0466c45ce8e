/**
 * Remix options, imported by vite.config.ts (`remix(remixConfig)`).
 * @type {import("@remix-run/dev").VitePluginConfig}
 */
export default {
  ignoredRouteFiles: ["**/.*", "**/*.test.{ts,tsx}"],
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    // v3_lazyRouteDiscovery is off: with ~70 routes the whole route manifest is one small cached
    // file, and finding each page's part of it cost every page render 0.3 ms (three route matchings)
    v3_lazyRouteDiscovery: false,
    v3_singleFetch: true,
  },
};
