export { departmentHeads, inDepartment, resolveAssignees, resolveRule } from './assignees.js';
export {
  type Automation,
  type AutomationAction,
  type AutomationParseContext,
  type AutomationTrigger,
  dateTriggerTime,
  matchAutomation,
  type PlanContext,
  type PlanResult,
  parseAutomation,
  planAutomation,
  type RecordChange,
} from './automation.js';
export {
  type Blueprint,
  type BlueprintCheckContext,
  type BlueprintStage,
  type BlueprintTransition,
  checkBlueprint,
  checkStageMove,
  enterStage,
  parseBlueprint,
  type StageEnv,
  type StageHistoryEntry,
  type StageMoveRefusal,
  type StageMoveRefusalCode,
  type StageMoveRequest,
  type StageMoveResult,
  stageSlaExpired,
  stageTimerKey,
  type TimeInStage,
  timeInStage,
} from './blueprint.js';
export { checkFlow, type FlowCheckContext } from './check-flow.js';
export { type CompiledFlow, type CompileOptions, compileFlow } from './compile.js';
export { type CronCheck, checkCron, nextCronTime } from './cron.js';
export { addDuration, durationMs } from './duration.js';
export type { FlowContext, NodeRun, Seat, TimerInfo } from './engine.js';
export {
  contractEndAutomation,
  contractReviewFlow,
  exampleAutomations,
  exampleBlueprints,
  exampleFlows,
  leadAssignmentAutomation,
  opportunityBlueprint,
  orderApprovalFlow,
  weeklyExportAutomation,
} from './examples.js';
export { type MatchContext, matchFilter } from './match-filter.js';
export { REFUSAL_MESSAGES } from './messages.js';
export { parseFlowDefinition } from './parse-flow.js';
export { automationSchema, blueprintSchema, flowDefinitionSchema, type JsonSchema } from './schema.js';
export {
  accessOfField,
  activeNodes,
  fieldAccessAt,
  type InstanceSnapshot,
  type NodeFieldAccess,
  openTasks,
  RECORD_NOT_LOADED,
  RecordNotLoaded,
  restoreSnapshot,
  SNAPSHOT_VERSION,
  type StartOptions,
  type StepResult,
  startInstance,
  step,
} from './step.js';
export * from './types.js';
export { evaluateSet, evaluateSource, renderMessage, renderTemplate, type ValueContext } from './values.js';
