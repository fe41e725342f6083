// The typed client: openapi-fetch over the types openapi-typescript generated from
// openapi/openapi.json (src/schema.d.ts; `npm run generate` rewrites it).
import createClient from "openapi-fetch";
import { conformance } from "./conformance.js";
import type { paths } from "./schema.js";

export type { paths, components } from "./schema.js";

/** A client that sends `token` as its bearer token on every request. */
export function newslit(baseUrl: string, token: string) {
  return createClient<paths>({
    baseUrl,
    headers: { Authorization: `Bearer ${token}` },
  });
}

/** `newslit`, with every response checked against the spec (see conformance.ts). */
export function checkedNewslit(baseUrl: string, token: string, specPath: URL) {
  const client = newslit(baseUrl, token);
  client.use(conformance(specPath));
  return client;
}

/** The body of a 2xx answer; anything else throws with the problem the service sent. */
export function ok<T, E>(
  result: { data: T; error?: never; response: Response } | { data?: never; error: E; response: Response },
): T {
  if (result.data === undefined) {
    const { status, url } = result.response;
    throw new Error(`${status} from ${url}: ${JSON.stringify(result.error)}`);
  }
  return result.data;
}
