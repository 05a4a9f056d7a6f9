export { AnalysisDialog } from './AnalysisDialog.js';
export { FormDesigner, sampleServices } from './FormDesigner.js';
export { FormulaEditor } from './FormulaEditor.js';
export * from './model.js';
export { PropertyPanel } from './PropertyPanel.js';
export { ShowRuleEditor } from './ShowRuleEditor.js';
export type { AnalysedChange, EntityChangeAnalysis, FormDesignerProps } from './types.js';
