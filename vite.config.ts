import { vitePlugin as remix } from "@remix-run/dev";
import tailwindcss from "@tailwindcss/vite";
import { defineConfig } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";
import remixConfig from "./remix.config.js";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

export default defineConfig(({ isSsrBuild }) => ({
  plugins: [tailwindcss(), remix(remixConfig), tsconfigPaths()],
  build: {
    target: "es2022",
    // The browser bundle: the form schemas (lib/schemas/*, lib/forms.ts) are zod calls at the top
    // level of their modules, used only by actions on the server. Building a schema changes nothing
    // else, so a schema module nothing in the browser uses can go; without this, every route whose
    // action imports one sent the whole of zod (56 kB) to the browser.
    rollupOptions: isSsrBuild
      ? {}
      : {
          treeshake: {
            moduleSideEffects: (id: string) => !/\/app\/lib\/(schemas\/[^/]+|forms)\.ts$/.test(id),
          },
        },
  },
  server: { port: Number(process.env.PORT ?? 3000) },
}));
