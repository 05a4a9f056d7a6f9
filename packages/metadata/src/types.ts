/**
 * The metadata contract shared by every package. Definitions are plain JSON so they can be stored,
 * diffed, shipped in templates and edited by designers.
 */

export type Locale = 'zh-CN' | 'en';
export const LOCALES: readonly Locale[] = ['zh-CN', 'en'];

/** A user-visible text: one string for both languages, or one per language. */
export type I18nText = string | { 'zh-CN'?: string; en?: string };

/** A message that exists in both languages (what the platform itself says). */
export type Message = { 'zh-CN': string; en: string };

export type FieldTypeName =
  | 'text'
  | 'longText'
  | 'richText'
  | 'number'
  | 'amount'
  | 'percent'
  | 'date'
  | 'datetime'
  | 'select'
  | 'multiSelect'
  | 'boolean'
  | 'member'
  | 'department'
  | 'phone'
  | 'email'
  | 'url'
  | 'autoNumber'
  | 'formula'
  | 'relation'
  | 'lookup'
  | 'subform'
  | 'attachment'
  | 'image'
  | 'location'
  | 'signature'
  | 'rating'
  | 'tags';

export interface FieldOption {
  value: string;
  label?: I18nText;
  /** CSS colour shown on tags and kanban cards. */
  color?: string;
}

export interface FieldDefinition {
  /** Stable key: `^[a-z][a-zA-Z0-9_]{0,62}$`. Values are stored under this key. */
  key: string;
  type: FieldTypeName;
  label?: I18nText;
  description?: I18nText;
  required?: boolean;
  /** No two live records may share the normalised value (enforced by a unique index). */
  unique?: boolean;
  /** Give the field an expression index (filters and sorts on it are fast). */
  indexed?: boolean;
  /** Used by duplicate detection (查重). */
  dedupe?: boolean;
  /** A constant default, or `{ formula: "TODAY()" }`; `$user` / `$department` / `$today` / `$now` placeholders. */
  defaultValue?: unknown;
  // constraints, interpreted by the field type
  min?: number;
  max?: number;
  minLength?: number;
  maxLength?: number;
  /** text: a regular expression the value must match; autoNumber: the number template (`HT-{yyyyMMdd}-{0000}`). */
  pattern?: string;
  /** Decimal places for number / amount / percent. */
  precision?: number;
  /** ISO currency code for amounts (default CNY). */
  currency?: string;
  /** select / multiSelect */
  options?: FieldOption[];
  /** formula: the expression, e.g. `qty * price` or `SUM(items.amount)`. */
  formula?: string;
  /** relation: the target entity key; `multiple` allows many. */
  target?: string;
  multiple?: boolean;
  /** lookup: the relation field of this entity and the field of the related record to show. */
  relation?: string;
  targetField?: string;
  /** subform: the child row fields. */
  fields?: FieldDefinition[];
  /** attachment / image: maximum size in bytes and accepted MIME types. */
  maxSize?: number;
  accept?: string[];
  /** Free UI hints (width, placeholder, section…), passed through to the UI schema. */
  ui?: Record<string, unknown>;
  /**
   * Show/hide rule (显隐规则): a formula over the record; the field is shown only while it is TRUE. A hidden
   * field is not required and its value is not submitted. Top-level fields only.
   */
  visibleWhen?: string;
  /** relation: data linkage (数据联动) — fields copied from the picked record when the relation changes. */
  fill?: FieldFill[];
}

/** One data-linkage copy: the related record's field `from` → this record's (or subform row's) field `to`. */
export interface FieldFill {
  from: string;
  to: string;
}

/** A titled group of fields on the form, laid out in 1–4 columns (one column on phones). */
export interface FormSection {
  key: string;
  label?: I18nText;
  columns?: 1 | 2 | 3 | 4;
  /** Top-level field keys, in display order. */
  fields: string[];
  /** Shown folded until opened. */
  collapsed?: boolean;
}

/** The form layout of an entity; fields in no section come first, in definition order. */
export interface FormLayout {
  sections: FormSection[];
}

/** A rule across fields: `formula` must evaluate to true, otherwise `message` is reported on `field`. */
export interface EntityRule {
  key: string;
  formula: string;
  message: I18nText;
  /** The field the error is shown on; omitted = the whole record. */
  field?: string;
}

export interface EntityDefinition {
  /** Stable key: `^[a-z][a-z0-9_]{0,47}$` (it names a table). */
  key: string;
  label?: I18nText;
  description?: I18nText;
  fields: FieldDefinition[];
  rules?: EntityRule[];
  /** The field shown as the record's title (default: the first text field). */
  titleField?: string;
  /** Sections and columns of the form (display only). */
  layout?: FormLayout;
}

/** A system field every record has. */
export type SystemFieldKey = 'id' | 'createdAt' | 'updatedAt' | 'createdBy' | 'ownerId' | 'version';

// ---------------------------------------------------------------------------------------------
// Filters, sorts

export type FilterOp =
  | 'eq'
  | 'ne'
  | 'in'
  | 'nin'
  | 'gt'
  | 'gte'
  | 'lt'
  | 'lte'
  | 'between'
  | 'contains'
  | 'startsWith'
  | 'isEmpty'
  | 'isNotEmpty'
  | 'period';

export const FILTER_OPS: readonly FilterOp[] = [
  'eq',
  'ne',
  'in',
  'nin',
  'gt',
  'gte',
  'lt',
  'lte',
  'between',
  'contains',
  'startsWith',
  'isEmpty',
  'isNotEmpty',
  'period',
];

export interface FilterLeaf {
  field: string;
  op: FilterOp;
  value?: unknown;
}
export type FilterNode = { and: FilterNode[] } | { or: FilterNode[] } | { not: FilterNode } | FilterLeaf;

/** `today, thisWeek, thisMonth, thisQuarter, thisYear, lastNDays:<n>` */
export type PeriodValue =
  | 'today'
  | 'thisWeek'
  | 'thisMonth'
  | 'thisQuarter'
  | 'thisYear'
  | `lastNDays:${number}`;

export interface SortItem {
  field: string;
  direction: 'asc' | 'desc';
}

// ---------------------------------------------------------------------------------------------
// Validation results: expected failures are values, not exceptions.

export interface Issue {
  /** Dotted path of the field: `phone`, `items.0.qty`; empty for the whole record or request. */
  field: string;
  /** Stable rule code: `required`, `type`, `minLength`, `pattern`, `unknownField`, `enum`, … */
  code: string;
  /** The readable message in both languages, already naming the field by its label. */
  message: Message;
  params?: Record<string, unknown>;
}

export type Result<T> = { ok: true; value: T } | { ok: false; issues: Issue[] };
