export {
  allColumns,
  ColumnChooser,
  type ColumnChooserProps,
  defaultColumns,
  moveColumn,
} from './ColumnChooser.js';
export { DeferredSelect } from './deferred-select.js';
export {
  FilterBuilder,
  type FilterBuilderProps,
  isoToLocalInput,
  localInputToIso,
  type NamedOption,
} from './FilterBuilder.js';
export * from './filter-model.js';
export { type FormatContext, formatDateTime, formatNumber, formatValue, optionColor } from './format.js';
export { HistoryList, type HistoryListProps } from './HistoryList.js';
export { viewsResources } from './i18n.js';
export { nextSort, type RecordRow, RecordTable, type RecordTableProps } from './RecordTable.js';
export { SavedViewBar, type SavedViewBarProps } from './SavedViewBar.js';
export type { HistoryItem, SavedView, ViewConfig } from './types.js';
