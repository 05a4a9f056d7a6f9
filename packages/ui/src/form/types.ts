import type { EntityDefinition, FieldDefinition, Issue, JsonSchema, Locale } from '@formwork/metadata';
import type { TFunction } from 'i18next';
import type { ComponentType } from 'react';
import type { FormRuntime } from './runtime.js';

/** A stored file as attachment / image fields hold it (the server's upload answer). */
export interface FileValue {
  id: string;
  name: string;
  size: number;
  type: string;
  url?: string;
}

/** A location value: latitude, longitude and an optional address. */
export interface LocationValue {
  lat: number;
  lng: number;
  address?: string;
}

/** Everything the form needs from outside: search, related records, uploads, the member and the clock. */
export interface FormServices {
  searchRecords(
    entity: string,
    q: string,
  ): Promise<{ id: string; label: string; record: Record<string, unknown> }[]>;
  getRecord(entity: string, id: string): Promise<Record<string, unknown>>;
  searchMembers(q: string): Promise<{ id: string; name: string }[]>;
  searchDepartments(q: string): Promise<{ id: string; name: string }[]>;
  uploadFile(file: File): Promise<{ id: string; name: string; size: number; type: string; url: string }>;
  findDuplicates?(entity: string, candidate: Record<string, unknown>): Promise<Record<string, unknown>[]>;
  /** Optional: the address of a position (filled into location fields). */
  reverseGeocode?(lat: number, lng: number): Promise<string>;
  /** Optional: the URL of a stored file id (to show a saved signature). */
  fileUrl?(id: string): string;
  currentUser: { id: string; name: string; departmentId?: string };
  now(): Date;
  /** IANA time zone for TODAY() and dates (default: the browser's). */
  timeZone?: string;
}

export type FieldAccess = 'editable' | 'readOnly' | 'hidden';

export interface FormRendererProps {
  entity: EntityDefinition;
  value?: Record<string, unknown>;
  locale: Locale;
  services: FormServices;
  mode?: 'create' | 'edit' | 'view';
  /** Field errors from the API, shown on the right fields in the user's language. */
  serverIssues?: Issue[];
  fieldAccess?: Record<string, FieldAccess>;
  onChange?(value: Record<string, unknown>): void;
  onSubmit(value: Record<string, unknown>): Promise<void> | void;
  submitLabel?: string;
}

/** What every Formwork widget reads from `registry.formContext` (one stable object per form). */
export interface FormworkContext {
  entity: EntityDefinition;
  locale: Locale;
  services: FormServices;
  runtime: FormRuntime;
  t: TFunction;
  mode: 'create' | 'edit' | 'view';
  /** Names a member / department id already seen (so a picker can label its value). */
  names: Map<string, string>;
}

/** The `ui:options` keys Formwork adds for its widgets. */
export interface FormworkUiOptions {
  /** The field definition the widget renders. */
  fw: FieldDefinition;
  [k: string]: unknown;
}

/**
 * A widget's options: the `ui:options` of its UI schema merged with its other `ui:*` keys, prefix removed
 * (`ui:placeholder` → `placeholder`) — what rjsf's `getUiOptions` gives.
 */
export type WidgetOptions = { [key: string]: unknown };

/**
 * The props of a form widget. The same names and meanings as rjsf's `WidgetProps` (the subset Formwork's
 * renderer provides), so a widget written for rjsf's contract works here and the other way round.
 */
export interface WidgetProps {
  /** The input's DOM id (`root_<field>`; `root_<subform>_<row>_<column>` in a subform). */
  id: string;
  /** The field key. */
  name: string;
  label: string;
  hideLabel?: boolean;
  value: unknown;
  required?: boolean;
  disabled?: boolean;
  readonly?: boolean;
  autofocus?: boolean;
  placeholder?: string;
  /** The JSON Schema of the value. */
  schema: JsonSchema;
  uiSchema?: JsonSchema;
  options: WidgetOptions;
  registry: WidgetRegistry;
  /** Error messages on this value, in the user's language. */
  rawErrors?: string[];
  /** A new value (`undefined` clears it). */
  onChange(value: unknown): void;
  onBlur(id: string, value: unknown): void;
  onFocus(id: string, value: unknown): void;
}

/** A widget: a plain function component. */
export type Widget = ComponentType<WidgetProps>;

/** Widgets by their `ui:widget` name. */
export type RegistryWidgetsType = Record<string, Widget>;

/** What widgets find in `props.registry`: the widget registry (subforms render cells with it) and the form. */
export interface WidgetRegistry {
  widgets: RegistryWidgetsType;
  formContext: FormworkContext;
}
