export type {
  AssigneeRule,
  Automation,
  AutomationAction,
  AutomationTrigger,
  Blueprint,
  BlueprintStage,
  BlueprintTransition,
  FlowDefinition,
  FlowEdge,
  FlowNode,
  HistoryAction,
  NodeKind,
  TaskKind,
  TaskStatus,
} from '@formwork/workflow';
export { ActionsEditor } from './actions-editor.js';
export {
  conditionText,
  type Directory,
  durationText,
  edgeText,
  fieldLabel,
  filterText,
  type NamedOption,
  nodeSummary,
  nodeTitle,
  rulesText,
} from './describe.js';
export {
  AssigneeRulesEditor,
  type DesignerEnv,
  DurationInput,
  FieldAccessEditor,
  FlowEditorsProvider,
  LabelEditor,
  Prop,
  Section,
} from './editors.js';
export { FlowDesigner, type FlowDesignerApi, type FlowDesignerProps } from './FlowDesigner.js';
export { type FlowStrings, flowResources } from './i18n.js';
export * from './model.js';
