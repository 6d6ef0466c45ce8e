import { OPENAPI } from "~/lib/openapi";

/** /api/v1/openapi.json: the API's OpenAPI 3.1 description (public: it holds no data). */
export function loader() {
  return new Response(JSON.stringify(OPENAPI), { headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "public, max-age=300" } });
}
