export { type AppConfig, type CreateAppOptions, createApp, type FormworkApp } from './app.js';
export type { ApiTokenInfo, AuthService, PublicUser } from './auth.js';
export { errorResponse, toDomainError } from './error-handler.js';
export {
  createWorkflowRunner,
  type ExternalHandler,
  JobRunner,
  type JobRunnerOptions,
  type MailConfig,
  mailConfigFromEnv,
  PermanentJobError,
  signWebhook,
  verifyWebhook,
  type WorkflowRunnerOptions,
} from './jobs/index.js';
export { localeFromHeader } from './locale.js';
export { createJsonLogger, createMemoryLogger, type LogFields, type Logger, silentLogger } from './logger.js';
export { buildOpenApi, type EntitySchemas } from './openapi.js';
export { hashPassword, needsRehash, verifyPassword } from './password.js';
export {
  type AnyRoute,
  defineRoute,
  type HttpMethod,
  type JsonSchema,
  type ResponseSpec,
  type RouteDefinition,
  type RouteRequest,
  type RouteResult,
} from './route.js';
export { parseJsonSafe } from './safe-json.js';
export { createServer, type RunningServer } from './server.js';
export { serveWebApp, type WebAppOptions } from './static.js';
export type { AppEnv, DbPort, ListOptions, ListResult, Principal, StorePort, WriteOptions } from './types.js';
