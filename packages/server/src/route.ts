import type { Locale, Message } from '@formwork/metadata';
import type { Context } from 'hono';
import type { AppEnv, Principal } from './types.js';

/** A JSON Schema (draft 2020-12) object. */
export type JsonSchema = { [key: string]: unknown };

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ResponseSpec {
  description: string;
  /** Response body schema; omitted = no body. */
  schema?: JsonSchema;
  headers?: Record<string, { description: string; schema: JsonSchema }>;
}

/** What a handler receives: the inputs already validated against the route's schemas. */
export interface RouteRequest<P, Q, B> {
  c: Context<AppEnv>;
  params: P;
  query: Q;
  body: B;
  /** The authenticated user; always set on `auth: 'user'` routes. */
  principal: Principal;
  /** The workspace key (X-Workspace, default `default`), verified to exist on `workspace: true` routes. */
  ws: string;
  requestId: string;
  locale: Locale;
}

/** A handler answers a Response, or a status + JSON body (+ headers). */
export type RouteResult =
  | Response
  | { status?: 200 | 201 | 202 | 204; body?: unknown; headers?: Record<string, string> };

export interface RouteDefinition<P = Record<string, string>, Q = Record<string, unknown>, B = unknown> {
  method: HttpMethod;
  /** OpenAPI-style path: `/api/entities/{entity}/records/{id}`. */
  path: string;
  operationId: string;
  /** `en` becomes the OpenAPI `summary`, `zh-CN` goes to `x-summary-zh`. */
  summary: Message;
  description?: string;
  tags: string[];
  /** `optional`: anonymous callers are served too; a caller with a credential is authenticated. */
  auth: 'none' | 'user' | 'optional';
  /** Only administrators may call it (403 FORBIDDEN otherwise). */
  admin?: boolean;
  /** Record an audit event with this action (e.g. `schema.entity.update`) when the call succeeds. */
  audit?: string;
  /** The route works inside the X-Workspace workspace (validated; unknown → 404 WORKSPACE_NOT_FOUND). */
  workspace?: boolean;
  /** JSON Schemas of the inputs. Path and query values are strings coerced to the schema's types. */
  params?: JsonSchema;
  query?: JsonSchema;
  body?: JsonSchema;
  /**
   * A non-JSON request body (e.g. `multipart/form-data`) the handler reads itself; documented in OpenAPI
   * with this content type and schema. Not validated by the middleware.
   */
  rawBody?: { contentType: string; schema: JsonSchema; description?: string };
  /** Extra request headers documented in OpenAPI (e.g. If-Match). */
  headers?: Array<{ name: string; description: string; schema: JsonSchema }>;
  /** Maximum body size in bytes (default: the app's bodyLimitBytes). */
  bodyLimitBytes?: number;
  responses: Record<string, ResponseSpec>;
  // Method syntax on purpose: parameters are then bivariant, so routes with different input types share a table.
  handler(req: RouteRequest<P, Q, B>): Promise<RouteResult>;
}

/** A route with its input types erased, as kept in the route table. */
export type AnyRoute = RouteDefinition<unknown, unknown, unknown>;

/**
 * Declares a route once: the same object drives request validation, the handler and the OpenAPI document.
 * The type parameters describe what the schemas accept (validation guarantees them at run time).
 */
export function defineRoute<P = Record<string, string>, Q = Record<string, unknown>, B = unknown>(
  route: RouteDefinition<P, Q, B>,
): AnyRoute {
  return route;
}

/** `/api/entities/{entity}` → `/api/entities/:entity` (Hono's syntax). */
export function toHonoPath(path: string): string {
  return path.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, ':$1');
}
