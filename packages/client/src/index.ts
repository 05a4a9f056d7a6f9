export { ApiError, type ApiErrorBody, type FieldError } from './api-error.js';
export {
  type AnalysedChange,
  type ApiTokenInfo,
  type BulkResult,
  type ChangeAnalysis,
  type ClientOptions,
  createClient,
  type DuplicateMatch,
  type EntityInfo,
  type FormworkClient,
  type HistoryEntry,
  type ListOptions,
  type LoginResult,
  type Page,
  type RecordData,
  type User,
  type Workspace,
} from './client.js';
