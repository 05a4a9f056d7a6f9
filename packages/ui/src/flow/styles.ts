/** The flow designer's own styles (React Flow's come from `@xyflow/react/dist/style.css`). */
export const FLOW_CSS = `
.fw-flow-designer { display: flex; flex-direction: column; border: 1px solid #f0f0f0; border-radius: 8px; background: #fff; min-height: 480px; }
.fw-flow-toolbar { display: flex; align-items: center; justify-content: space-between; gap: 8px; padding: 8px 12px; border-bottom: 1px solid #f0f0f0; flex-wrap: wrap; }
.fw-flow-host-actions { display: flex; gap: 8px; flex-wrap: wrap; }
.fw-flow-body { flex: 1; display: flex; min-height: 0; }
.fw-flow-palette { width: 168px; flex: none; border-inline-end: 1px solid #f0f0f0; padding: 8px; overflow: auto; }
.fw-flow-palette h4, .fw-flow-section h4 { margin: 4px 0 8px; font-size: 13px; color: rgba(0,0,0,0.65); }
.fw-flow-palette ul { list-style: none; margin: 0; padding: 0; display: grid; gap: 4px; }
.fw-flow-palette-item { width: 100%; text-align: start; display: flex; gap: 6px; align-items: center; padding: 6px 8px; border: 1px dashed #d9d9d9; border-radius: 6px; background: #fafafa; cursor: grab; font-size: 13px; }
.fw-flow-palette-item:hover, .fw-flow-palette-item:focus-visible { border-color: #1677ff; color: #1677ff; outline: none; }
.fw-flow-canvas { flex: 1; min-width: 0; position: relative; }
.fw-flow-panel { width: 360px; flex: none; border-inline-start: 1px solid #f0f0f0; padding: 12px; overflow: auto; }
.fw-flow-panel-head { display: flex; justify-content: space-between; gap: 8px; align-items: flex-start; margin-bottom: 8px; }
.fw-flow-section { border-top: 1px solid #f5f5f5; padding-top: 8px; margin-top: 8px; display: grid; gap: 8px; }
.fw-flow-prop { display: grid; gap: 4px; }
.fw-flow-prop-label { font-size: 13px; color: rgba(0,0,0,0.75); }
.fw-flow-help { font-size: 12px; color: rgba(0,0,0,0.45); }
.fw-flow-meta { display: flex; justify-content: space-between; gap: 8px; font-size: 13px; color: rgba(0,0,0,0.65); }
.fw-flow-rules, .fw-flow-actions, .fw-flow-set { display: grid; gap: 6px; }
.fw-flow-rule, .fw-flow-action { display: grid; gap: 4px; padding: 6px; background: #fafafa; border-radius: 6px; }
.fw-flow-action { border: 1px solid #f0f0f0; }
.fw-flow-fieldset { border: 0; margin: 0; padding: 0; min-width: 0; }
.fw-flow-duration { display: flex; flex-wrap: wrap; gap: 4px; border: 0; margin: 0; padding: 0; }
.fw-flow-access-table { width: 100%; border-collapse: collapse; font-size: 13px; }
.fw-flow-access-table th { text-align: start; font-weight: 500; color: rgba(0,0,0,0.55); padding: 4px 0; }
.fw-flow-access-table td { padding: 3px 0; border-top: 1px solid #f5f5f5; }
.fw-flow-linklike { border: 0; background: none; padding: 0; color: inherit; text-align: start; cursor: pointer; }
.fw-flow-linklike:hover { text-decoration: underline; }
.fw-flow-outs, .fw-flow-branches { margin: 0; padding-inline-start: 18px; display: grid; gap: 4px; font-size: 13px; }
.fw-flow-outs li, .fw-flow-branches li { display: flex; justify-content: space-between; align-items: center; gap: 4px; }
.fw-flow-node { position: relative; background: #fff; border: 1px solid #d9d9d9; border-top: 4px solid #1677ff; border-radius: 8px; padding: 6px 10px 8px; box-shadow: 0 1px 2px rgba(0,0,0,0.06); font-size: 12px; }
.fw-flow-node.fw-selected { box-shadow: 0 0 0 2px #1677ff55; border-color: #1677ff; }
.fw-flow-node-start { border-top-color: #52c41a; }
.fw-flow-node-approval { border-top-color: #fa8c16; }
.fw-flow-node-fillIn { border-top-color: #13c2c2; }
.fw-flow-node-condition { border-top-color: #722ed1; }
.fw-flow-node-parallelSplit, .fw-flow-node-parallelJoin { border-top-color: #2f54eb; }
.fw-flow-node-cc { border-top-color: #1677ff; }
.fw-flow-node-action { border-top-color: #eb2f96; }
.fw-flow-node-wait { border-top-color: #faad14; }
.fw-flow-node-subFlow { border-top-color: #597ef7; }
.fw-flow-end-approved { border-top-color: #52c41a; }
.fw-flow-end-rejected { border-top-color: #ff4d4f; }
.fw-flow-end-cancelled { border-top-color: #8c8c8c; }
.fw-flow-node.fw-has-error { border-color: #ff4d4f; background: #fff2f0; }
.fw-flow-node.fw-has-warning { border-color: #faad14; }
.fw-flow-node-kind { color: rgba(0,0,0,0.45); display: flex; gap: 4px; align-items: center; }
.fw-flow-node-title { font-size: 14px; font-weight: 500; color: rgba(0,0,0,0.88); overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.fw-flow-node-summary { color: rgba(0,0,0,0.55); overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.fw-flow-node-badge { position: absolute; top: -10px; right: -10px; min-width: 20px; height: 20px; border-radius: 10px; color: #fff; font-size: 12px; line-height: 20px; text-align: center; padding: 0 5px; }
.fw-flow-node-badge.fw-error { background: #ff4d4f; }
.fw-flow-node-badge.fw-warning { background: #faad14; }
.fw-flow-exits { display: flex; justify-content: space-around; font-size: 10px; color: #52c41a; margin-top: 2px; }
.fw-flow-exits .fw-rejected { color: #fa8c16; }
.fw-handle-rejected.react-flow__handle { background: #fa8c16; }
.fw-handle-approved.react-flow__handle { background: #52c41a; }
.fw-flow-designer .react-flow__handle { width: 10px; height: 10px; }
.fw-flow-issues .ant-alert { padding: 4px 8px; font-size: 12px; }
@media (max-width: 900px) {
  .fw-flow-body { flex-direction: column; }
  .fw-flow-palette { width: auto; border-inline-end: 0; border-bottom: 1px solid #f0f0f0; }
  .fw-flow-palette ul { grid-template-columns: repeat(auto-fill, minmax(130px, 1fr)); }
  .fw-flow-canvas { min-height: 420px; }
  .fw-flow-panel { width: auto; border-inline-start: 0; border-top: 1px solid #f0f0f0; }
}
`;
