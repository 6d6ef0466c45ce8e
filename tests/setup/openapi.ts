import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { OPENAPI } from "~/lib/openapi";

/**
 * Validate an API response against the OpenAPI document: the operation of `path` (as written in
 * the document, e.g. "/events") and `method` must describe the response's status, and its body must
 * match the schema given for its content type. Throws with the validator's errors otherwise.
 */
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ $id: "openapi.json", components: OPENAPI.components });

type Operation = { responses: Record<string, { content?: Record<string, { schema: unknown }> }> };

function rewriteRefs(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(rewriteRefs);
  if (schema && typeof schema === "object") {
    return Object.fromEntries(
      Object.entries(schema).map(([k, v]) => [k, k === "$ref" && typeof v === "string" && v.startsWith("#/") ? `openapi.json${v}` : rewriteRefs(v)]),
    );
  }
  return schema;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a response body as JSON, checked against the document
export async function expectMatchesOpenApi(path: string, method: "get" | "post" | "patch" | "put" | "delete", response: Response): Promise<any> {
  const operation = (OPENAPI.paths as unknown as Record<string, Record<string, Operation>>)[path]?.[method];
  if (!operation) throw new Error(`the OpenAPI document has no ${method.toUpperCase()} ${path}`);
  const described = operation.responses[String(response.status)];
  if (!described) throw new Error(`${method.toUpperCase()} ${path}: status ${response.status} is not in the OpenAPI document`);
  if (response.status === 304 || response.status === 204) return null;
  const type = (response.headers.get("Content-Type") ?? "").split(";")[0].trim();
  const content = described.content?.[type];
  if (!content) throw new Error(`${method.toUpperCase()} ${path} ${response.status}: content type ${type} is not in the OpenAPI document`);
  const body = await response.clone().json();
  const validate = ajv.compile(rewriteRefs(content.schema) as object);
  if (!validate(body)) throw new Error(`${method.toUpperCase()} ${path} ${response.status} does not match the OpenAPI document: ${ajv.errorsText(validate.errors)}`);
  return body;
}

/** Validate a webhook body Convene sent against the document's `webhooks` entry of its type; returns the parsed body. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a webhook body as JSON, checked against the document
export function expectWebhookMatchesOpenApi(body: string): any {
  const parsed = JSON.parse(body);
  const entry = (OPENAPI.webhooks as Record<string, { post: { requestBody: { content: Record<string, { schema: unknown }> } } }>)[parsed.type];
  if (!entry) throw new Error(`the OpenAPI document has no webhook ${parsed.type}`);
  const validate = ajv.compile(rewriteRefs(entry.post.requestBody.content["application/json"].schema) as object);
  if (!validate(parsed)) throw new Error(`the ${parsed.type} webhook does not match the OpenAPI document: ${ajv.errorsText(validate.errors)}`);
  return parsed;
}
