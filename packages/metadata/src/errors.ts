import type { Issue, Locale, Message } from './types.js';

/**
 * Every error the platform reports has a stable code. The HTTP status and the default message of each
 * code live here, in one table, so the server maps errors in one place (`app.onError`).
 */
export const ERROR_CODES = {
  VALIDATION_FAILED: { status: 422, message: { 'zh-CN': '数据校验未通过', en: 'Validation failed' } },
  BAD_REQUEST: { status: 400, message: { 'zh-CN': '请求格式不正确', en: 'Malformed request' } },
  INVALID_JSON: {
    status: 400,
    message: { 'zh-CN': '请求体不是合法的 JSON', en: 'The request body is not valid JSON' },
  },
  PAYLOAD_TOO_LARGE: { status: 413, message: { 'zh-CN': '请求体过大', en: 'The request body is too large' } },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    message: { 'zh-CN': '请求体必须是 JSON', en: 'The request body must be JSON' },
  },
  UNAUTHENTICATED: { status: 401, message: { 'zh-CN': '请先登录', en: 'Authentication required' } },
  INVALID_CREDENTIALS: {
    status: 401,
    message: { 'zh-CN': '邮箱或密码不正确', en: 'Incorrect e-mail or password' },
  },
  TOO_MANY_REQUESTS: {
    status: 429,
    message: { 'zh-CN': '尝试次数过多，请稍后再试', en: 'Too many attempts, try again later' },
  },
  FORBIDDEN: {
    status: 403,
    message: { 'zh-CN': '没有权限执行此操作', en: 'You are not allowed to do this' },
  },
  NOT_FOUND: { status: 404, message: { 'zh-CN': '资源不存在', en: 'Not found' } },
  WORKSPACE_NOT_FOUND: { status: 404, message: { 'zh-CN': '工作区不存在', en: 'Workspace not found' } },
  ENTITY_NOT_FOUND: { status: 404, message: { 'zh-CN': '表单不存在', en: 'Entity not found' } },
  RECORD_NOT_FOUND: { status: 404, message: { 'zh-CN': '记录不存在', en: 'Record not found' } },
  WORKSPACE_EXISTS: {
    status: 409,
    message: { 'zh-CN': '工作区标识已被使用', en: 'Workspace key already in use' },
  },
  ENTITY_EXISTS: { status: 409, message: { 'zh-CN': '表单标识已被使用', en: 'Entity key already in use' } },
  VERSION_CONFLICT: {
    status: 409,
    message: {
      'zh-CN': '记录已被他人修改，请刷新后重试',
      en: 'The record was changed by someone else; reload and retry',
    },
  },
  UNIQUE_VIOLATION: { status: 409, message: { 'zh-CN': '存在重复的值', en: 'A value must be unique' } },
  DESTRUCTIVE_CHANGE: {
    status: 409,
    message: {
      'zh-CN': '此修改会影响已有数据，请确认后再提交',
      en: 'This change affects existing data; confirm to apply it',
    },
  },
  RECORD_NOT_DELETED: { status: 409, message: { 'zh-CN': '记录未被删除', en: 'The record is not deleted' } },
  INTERNAL: { status: 500, message: { 'zh-CN': '服务器内部错误', en: 'Internal server error' } },
} as const satisfies Record<string, { status: number; message: Message }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** An error with a stable code, optional field issues and structured details. */
export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;
  readonly issues: Issue[];
  readonly userMessage: Message;

  constructor(
    code: ErrorCode,
    details: Record<string, unknown> = {},
    issues: Issue[] = [],
    message?: Message,
  ) {
    const msg = message ?? ERROR_CODES[code].message;
    super(`${code}: ${msg.en}`);
    this.name = 'DomainError';
    this.code = code;
    this.details = details;
    this.issues = issues;
    this.userMessage = msg;
  }

  get status(): number {
    return ERROR_CODES[this.code].status;
  }

  /** The API error body, in the caller's language. */
  toBody(locale: Locale): { error: { code: ErrorCode; message: string; details: Record<string, unknown> } } {
    const details: Record<string, unknown> = { ...this.details };
    if (this.issues.length > 0) {
      details.fields = this.issues.map((i) => ({
        field: i.field,
        code: i.code,
        message: i.message[locale],
        ...(i.params ? { params: i.params } : {}),
      }));
    }
    return { error: { code: this.code, message: this.userMessage[locale], details } };
  }
}

export function isDomainError(e: unknown): e is DomainError {
  return e instanceof DomainError;
}
