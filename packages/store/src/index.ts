export { CACHE_CHANNEL, type CacheBus, type CacheTopic, noCacheBus, startCacheBus } from './cache-bus.js';
export type { ScopeFn, StoreOptions } from './context.js';
export { type Db, type OpenDbOptions, openDb, pgErrorInfo } from './db.js';
export { createEntityTableSql, entityIndexes, type IndexDef } from './ddl.js';
export { DataDirLockedError } from './drivers/lock.js';
export type { AnalysedChange, EntityAnalysis, StoredEntity } from './entities.js';
export { entityTable, isEntityKey, isFieldKey, isWorkspaceKey, workspaceSchema } from './ident.js';
export { ensureWorkspace, type MigrateResult, migrate } from './migrate.js';
export type { Migration } from './migrations/index.js';
export {
  type AuditContext,
  type AuditEvent,
  type AuditEventInput,
  type AuditQuery,
  type DeactivateInput,
  type Department,
  type HandoverHook,
  type HandoverResult,
  type HandoverTransfer,
  type Member,
  type MemberStatus,
  type OrgApi,
  orgApi,
  type Role,
  recordAuditEvent,
} from './org.js';
export {
  loadAccess,
  parseTokenScopes,
  type Queryable,
  resolveAccess,
  withAccess,
} from './permissions/access.js';
export {
  type Access,
  type ActionLimit,
  type DataScope,
  describeEntityAccess,
  ENTITY_ACTIONS,
  type EntityAccess,
  type EntityAction,
  type EntityRule,
  entityAccess,
  type FieldAccess,
  PRESET_RULES,
  PRESETS,
  type Preset,
  parseRolePermissions,
  type RolePermissions,
  SCOPE_TYPES,
  type TokenScopes,
} from './permissions/model.js';
export { SqlParams } from './query/params.js';
export type {
  AggregateOptions,
  AggregateResult,
  HistoryEntry,
  ListOptions,
  ListResult,
  WriteOptions,
  WriteSource,
} from './records.js';
export { MAX_BULK } from './records.js';
export { foldSearchText, queryTokens, searchDocument, textTokens } from './search.js';
export { createStore, type Store } from './store.js';
export type { Principal } from './types.js';
export { isUuid, uuidv7 } from './uuid.js';
export type {
  AnyDefinition,
  DefinitionDetail,
  DefinitionKind,
  DefinitionSummary,
  DefinitionsApi,
  DefinitionVersion,
} from './workflow/definitions.js';
export { loadDirectory } from './workflow/directory.js';
export {
  backoffMs,
  cancelJob,
  type EnqueueInput,
  enqueueJob,
  type Job,
  type JobRow,
  type JobStatus,
  toJob,
} from './workflow/jobs.js';
export {
  type AutomationRunView,
  createWorkflowRuntime,
  type HistoryItem,
  type InstanceView,
  type JobHandler,
  type NotificationView,
  refusalError,
  type TaskAction,
  type TaskListItem,
  type TaskView,
  type WorkflowRuntime,
  type WorkflowRuntimeOptions,
} from './workflow/runtime.js';
export { DEFAULT_WORKSPACE, type Workspace } from './workspaces.js';
