/** One field error in `details.fields`. */
export interface FieldError {
  field: string;
  code: string;
  message: string;
  params?: Record<string, unknown>;
}

export interface ApiErrorBody {
  error: { code: string; message: string; details: Record<string, unknown> & { fields?: FieldError[] } };
}

/** A non-2xx answer of the Formwork API. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown> & { fields?: FieldError[] };
  readonly requestId: string | undefined;
  /** Seconds to wait, from Retry-After (429). */
  readonly retryAfter: number | undefined;

  constructor(
    status: number,
    code: string,
    message: string,
    details: Record<string, unknown> = {},
    extra: { requestId?: string; retryAfter?: number } = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
    this.requestId = extra.requestId;
    this.retryAfter = extra.retryAfter;
  }

  /** The field errors (empty when the error is not about fields). */
  get fields(): FieldError[] {
    return Array.isArray(this.details.fields) ? this.details.fields : [];
  }
}

function isErrorBody(v: unknown): v is ApiErrorBody {
  if (!v || typeof v !== 'object') return false;
  const e = (v as { error?: unknown }).error;
  return !!e && typeof e === 'object' && typeof (e as { code?: unknown }).code === 'string';
}

export async function toApiError(res: Response): Promise<ApiError> {
  const requestId = res.headers.get('x-request-id') ?? undefined;
  const ra = res.headers.get('retry-after');
  const retryAfter = ra !== null && /^\d+$/.test(ra) ? Number(ra) : undefined;
  const extra = { ...(requestId ? { requestId } : {}), ...(retryAfter !== undefined ? { retryAfter } : {}) };
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    body = undefined;
  }
  if (isErrorBody(body)) {
    const { code, message, details } = body.error;
    return new ApiError(
      res.status,
      code,
      message,
      details && typeof details === 'object' ? details : {},
      extra,
    );
  }
  return new ApiError(
    res.status,
    res.status >= 500 ? 'INTERNAL' : 'HTTP_ERROR',
    `HTTP ${res.status}`,
    {},
    extra,
  );
}
