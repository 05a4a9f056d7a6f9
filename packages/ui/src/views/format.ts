import { type FieldDefinition, type Locale, localize } from '@formwork/metadata';

/**
 * Text of a field value as a list cell or a history entry shows it. Pure; the names of members,
 * departments and related records come from `names` (id → name) when the caller knows them.
 */

export interface FormatContext {
  locale: Locale;
  /** Display names by id (members, departments, related records). */
  names?: ReadonlyMap<string, string>;
  /** IANA time zone for date-times (default: the browser's). */
  timeZone?: string;
}

const CURRENCY_SYMBOL: Record<string, string> = {
  CNY: '¥',
  USD: '$',
  EUR: '€',
  GBP: '£',
  JPY: '¥',
  HKD: 'HK$',
};

function words(locale: Locale) {
  return locale === 'zh-CN'
    ? {
        yes: '是',
        no: '否',
        rows: (n: number) => `${n} 行`,
        files: (n: number) => `${n} 个文件`,
        signed: '已签名',
        sep: '、',
      }
    : {
        yes: 'Yes',
        no: 'No',
        rows: (n: number) => `${n} ${n === 1 ? 'row' : 'rows'}`,
        files: (n: number) => `${n} ${n === 1 ? 'file' : 'files'}`,
        signed: 'Signed',
        sep: ', ',
      };
}

// Intl formatters are slow to create and cheap to reuse: a list draws thousands of cells while scrolling.
const numberFormats = new Map<number | undefined, Intl.NumberFormat>();
const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

/** `1234567.5` → `1,234,567.50` with `precision` decimals (grouping by thousands in both languages). */
export function formatNumber(n: number, precision?: number): string {
  let f = numberFormats.get(precision);
  if (!f) {
    f = new Intl.NumberFormat('en-US', {
      ...(precision !== undefined
        ? { minimumFractionDigits: precision, maximumFractionDigits: precision }
        : {}),
      maximumFractionDigits: precision ?? 10,
    });
    numberFormats.set(precision, f);
  }
  return f.format(n);
}

// What a date-time shows depends on its minute alone (time zones are whole minutes apart): the texts of the
// minutes seen last are kept, so the records of one import or one day cost one formatting, not one each.
const minuteTexts = new Map<string, string>();
const MINUTE_TEXTS_MAX = 2000;

/** `2026-11-23T02:05:00Z` → `2026-11-23 10:05` in the time zone. */
export function formatDateTime(iso: string, timeZone?: string): string {
  const d = new Date(iso);
  const ms = d.getTime();
  if (Number.isNaN(ms)) return iso;
  const key = `${timeZone ?? ''}|${Math.floor(ms / 60_000)}`;
  const known = minuteTexts.get(key);
  if (known !== undefined) return known;
  let f = dateTimeFormats.get(timeZone ?? '');
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      ...(timeZone ? { timeZone } : {}),
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    dateTimeFormats.set(timeZone ?? '', f);
  }
  const parts = f.formatToParts(d);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  const text = `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
  if (minuteTexts.size >= MINUTE_TEXTS_MAX) minuteTexts.clear();
  minuteTexts.set(key, text);
  return text;
}

function optionLabel(field: FieldDefinition, value: unknown, locale: Locale): string {
  const o = field.options?.find((x) => x.value === value);
  return o ? localize(o.label, locale, o.value) : String(value);
}

function nameOf(id: unknown, ctx: FormatContext): string {
  if (typeof id !== 'string') return String(id);
  return ctx.names?.get(id) ?? `${id.slice(0, 8)}…`;
}

export function formatValue(field: FieldDefinition, value: unknown, ctx: FormatContext): string {
  if (value === null || value === undefined || value === '') return '';
  if (Array.isArray(value) && value.length === 0) return '';
  const w = words(ctx.locale);
  switch (field.type) {
    case 'number':
      return typeof value === 'number' ? formatNumber(value, field.precision) : String(value);
    case 'amount': {
      if (typeof value !== 'number') return String(value);
      const symbol = CURRENCY_SYMBOL[field.currency ?? 'CNY'] ?? `${field.currency ?? ''} `;
      const text = formatNumber(Math.abs(value), field.precision ?? 2);
      return `${value < 0 ? '-' : ''}${symbol}${text}`;
    }
    case 'percent':
      return typeof value === 'number' ? `${formatNumber(value, field.precision)}%` : String(value);
    case 'rating': {
      const max = field.max ?? 5;
      const n = typeof value === 'number' ? Math.max(0, Math.min(max, Math.round(value))) : 0;
      return '★'.repeat(n) + '☆'.repeat(max - n);
    }
    case 'datetime':
      return typeof value === 'string' ? formatDateTime(value, ctx.timeZone) : String(value);
    case 'boolean':
      return value === true ? w.yes : value === false ? w.no : String(value);
    case 'select':
      return optionLabel(field, value, ctx.locale);
    case 'multiSelect':
      return Array.isArray(value)
        ? value.map((v) => optionLabel(field, v, ctx.locale)).join(w.sep)
        : String(value);
    case 'tags':
      return Array.isArray(value) ? value.join(w.sep) : String(value);
    case 'member':
    case 'department':
    case 'relation':
      return Array.isArray(value) ? value.map((v) => nameOf(v, ctx)).join(w.sep) : nameOf(value, ctx);
    case 'subform':
      return Array.isArray(value) ? w.rows(value.length) : '';
    case 'attachment':
    case 'image': {
      if (!Array.isArray(value)) return '';
      const names = value
        .map((f) => (f && typeof f === 'object' ? String((f as { name?: unknown }).name ?? '') : ''))
        .filter(Boolean);
      return names.length <= 2 ? names.join(w.sep) : `${w.files(value.length)}`;
    }
    case 'location': {
      const v = value as { lat?: number; lng?: number; address?: string };
      if (v.address) return v.address;
      return typeof v.lat === 'number' && typeof v.lng === 'number'
        ? `${v.lat.toFixed(5)}, ${v.lng.toFixed(5)}`
        : '';
    }
    case 'signature':
      return w.signed;
    case 'richText':
      return typeof value === 'string'
        ? value
            .replace(/<[^>]*>/g, ' ')
            .replace(/\s+/g, ' ')
            .trim()
        : '';
    default:
      if (typeof value === 'string') return value;
      if (typeof value === 'number') return formatNumber(value);
      if (typeof value === 'boolean') return value ? w.yes : w.no;
      return JSON.stringify(value);
  }
}

/** The option colour of a select value (for tags). */
export function optionColor(field: FieldDefinition, value: unknown): string | undefined {
  return field.options?.find((o) => o.value === value)?.color;
}
