// A middleware that holds every response to the OpenAPI document the client was generated
// from: the status must be one the operation documents, the content type one listed for that
// status, and a JSON body must validate against the documented schema (JSON Schema 2020-12, as
// OpenAPI 3.1 uses). A response that does not conform makes the call reject, naming what differs.
import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import type { Middleware } from "openapi-fetch";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Operation = { responses?: Record<string, { content?: Record<string, unknown> }> };

const SPEC_ID = "newslit-openapi";

/** The middleware for the spec at `specPath` (the checked-in `openapi/openapi.json`). */
export function conformance(specPath: URL): Middleware {
  const spec = JSON.parse(readFileSync(specPath, "utf8")) as {
    paths: Record<string, Record<string, Operation>>;
  };
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  // ajv-formats is CommonJS: the plugin is both module.exports and its `default`.
  addFormatsModule.default(ajv);
  // OpenAPI's numeric and binary formats say how a value is stored, not what it may be.
  for (const format of ["int32", "int64", "float", "double", "binary"]) ajv.addFormat(format, true);
  ajv.addSchema({ ...spec, $id: SPEC_ID });

  const pointer = (...parts: string[]): string =>
    parts.map((p) => p.replaceAll("~", "~0").replaceAll("/", "~1")).join("/");

  return {
    async onResponse({ request, response, schemaPath }) {
      const method = request.method.toLowerCase();
      const where = `${request.method} ${schemaPath} → ${response.status}`;
      const responses = spec.paths[schemaPath]?.[method]?.responses;
      if (responses === undefined) throw new Error(`${where}: the spec has no such operation`);
      const status = String(response.status);
      const documented = responses[status] !== undefined ? status : "default";
      const content = responses[documented]?.content;
      if (responses[documented] === undefined) throw new Error(`${where}: status not in the spec`);
      const type = (response.headers.get("Content-Type") ?? "").split(";")[0]!.trim();
      if (content === undefined) {
        if ((await response.clone().text()).length > 0) throw new Error(`${where}: a body the spec does not document`);
        return undefined;
      }
      if (content[type] === undefined) {
        throw new Error(`${where}: content type ${type || "(none)"}, the spec lists ${Object.keys(content).join(", ")}`);
      }
      if (!type.endsWith("json")) return undefined;
      const body = (await response.clone().json()) as Json;
      const ref = `${SPEC_ID}#/${pointer("paths", schemaPath, method, "responses", documented, "content", type, "schema")}`;
      const validate = ajv.getSchema(ref);
      if (validate === undefined) throw new Error(`${where}: no schema at ${ref}`);
      if (!validate(body)) {
        throw new Error(`${where}: the body does not match the spec: ${ajv.errorsText(validate.errors)}`);
      }
      return undefined;
    },
  };
}
