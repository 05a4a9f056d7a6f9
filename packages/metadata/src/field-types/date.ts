import { isValidYmd } from '../calendar.js';
import { DATE_OPS, defineFieldType } from './field-type.js';

// Value shapes: date: `YYYY-MM-DD` (a civil date, no time zone); datetime: an ISO instant in UTC,
// `YYYY-MM-DDTHH:mm:ss.sssZ`. Input datetimes must carry an offset (`Z`, `+08:00`) or be epoch ms.

const DATE_INPUT = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/;

function normaliseDate(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const t = v.normalize('NFKC').trim();
  const m = DATE_INPUT.exec(t);
  if (!m) return t;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (!isValidYmd(y, mo, d)) return t;
  return `${m[1]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

const DATETIME_INPUT =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?([Zz]|[+-]\d{2}(?::?\d{2})?)$/;

function normaliseDatetime(v: unknown): unknown {
  if (typeof v === 'number') {
    if (!Number.isInteger(v) || Math.abs(v) > 253402300799999 || v < -62135596800000) return v;
    return new Date(v).toISOString();
  }
  if (typeof v !== 'string') return v;
  const t = v.trim();
  const m = DATETIME_INPUT.exec(t);
  if (!m) return t;
  const [, y, mo, d, hh, mi, ss] = m;
  if (!isValidYmd(Number(y), Number(mo), Number(d))) return t;
  if (Number(hh) > 23 || Number(mi) > 59 || Number(ss ?? '0') > 59) return t;
  const ms = Date.parse(t.replace(' ', 'T'));
  if (!Number.isFinite(ms)) return t;
  const iso = new Date(ms).toISOString();
  return /^\d{4}-/.test(iso) ? iso : t;
}

export const dateType = defineFieldType({
  name: 'date',
  label: { 'zh-CN': '日期', en: 'Date' },
  category: 'basic',
  schema: () => ({ type: 'string', format: 'date' }),
  widget: 'date',
  normalise: normaliseDate,
  operators: DATE_OPS,
  storage: 'date',
  sortable: true,
  searchable: false,
  indexable: true,
  invalidMessage: (l) => ({
    'zh-CN': `${l['zh-CN']} 不是有效的日期（YYYY-MM-DD）`,
    en: `${l.en} is not a valid date (YYYY-MM-DD)`,
  }),
});

export const datetimeType = defineFieldType({
  name: 'datetime',
  label: { 'zh-CN': '日期时间', en: 'Date and time' },
  category: 'basic',
  schema: () => ({
    type: 'string',
    format: 'date-time',
    pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z$',
  }),
  widget: 'datetime',
  normalise: normaliseDatetime,
  operators: DATE_OPS,
  storage: 'timestamptz',
  sortable: true,
  searchable: false,
  indexable: true,
  invalidMessage: (l) => ({
    'zh-CN': `${l['zh-CN']} 不是有效的日期时间`,
    en: `${l.en} is not a valid date and time`,
  }),
});
