/** The designer's CSS: three panes on desktop, stacked on narrow screens. */
export const DESIGNER_CSS = `
.fw-designer { display: flex; flex-direction: column; gap: 8px; }
.fw-designer-toolbar { display: flex; justify-content: space-between; align-items: center; gap: 8px; flex-wrap: wrap; }
.fw-designer-title { font-size: 18px; }
.fw-designer-panes { display: grid; grid-template-columns: 200px minmax(0, 1fr) 340px; gap: 12px; align-items: start; }
.fw-designer-palette, .fw-designer-properties { border: 1px solid #f0f0f0; border-radius: 8px; padding: 8px 12px; max-height: calc(100vh - 140px); overflow: auto; position: sticky; top: 8px; }
.fw-designer h2 { font-size: 15px; margin: 4px 0 8px; }
.fw-designer h3 { font-size: 13px; color: rgba(0,0,0,.55); margin: 8px 0 4px; }
.fw-designer-palette ul { list-style: none; margin: 0; padding: 0; display: grid; grid-template-columns: 1fr; gap: 4px; }
.fw-palette-item { width: 100%; text-align: start; border: 1px solid #d9d9d9; background: #fff; border-radius: 6px; padding: 6px 8px; cursor: grab; }
.fw-palette-item:focus-visible, .fw-canvas-field:focus-visible, .fw-section-head:focus-visible { outline: 2px solid #1677ff; outline-offset: 2px; }
.fw-designer-canvas { min-width: 0; border: 1px solid #f0f0f0; border-radius: 8px; padding: 0 12px 12px; }
.fw-canvas-section { margin-bottom: 12px; }
.fw-section-head { display: block; width: 100%; text-align: start; font-weight: 600; background: #fafafa; border: 1px solid #f0f0f0; border-radius: 6px; padding: 6px 8px; margin-bottom: 4px; cursor: pointer; }
.fw-canvas-block { min-height: 44px; border: 1px dashed transparent; border-radius: 6px; padding: 2px; }
.fw-canvas-block.fw-over { border-color: #1677ff; background: #e6f4ff; }
.fw-canvas-empty { padding: 12px; text-align: center; }
.fw-canvas-field { display: flex; align-items: center; gap: 8px; border: 1px solid #e5e5e5; background: #fff; border-radius: 6px; padding: 8px; margin-bottom: 4px; cursor: pointer; min-height: 44px; }
.fw-canvas-field.fw-selected, .fw-section-head.fw-selected { border-color: #1677ff; box-shadow: 0 0 0 1px #1677ff; }
.fw-canvas-field.fw-has-problem { border-color: #ff4d4f; }
.fw-canvas-field.fw-dragging, .fw-palette-item.fw-dragging { opacity: .5; }
.fw-drag-handle { cursor: grab; color: rgba(0,0,0,.45); touch-action: none; background: none; border: 0; padding: 4px; }
.fw-show-rule { border: 0; padding: 0; margin: 0; min-width: 0; }
.fw-canvas-label { flex: 1; min-width: 0; }
.fw-canvas-type { font-size: 12px; }
.fw-designer .fw-required, .fw-designer .fw-error { color: #cf1322; }
.fw-designer .fw-muted { color: rgba(0,0,0,.45); }
.fw-designer .fw-help { color: rgba(0,0,0,.5); font-size: 12px; }
.fw-prop { display: block; margin: 0 0 10px; border: 0; padding: 0; }
.fw-prop-label { display: block; font-weight: 500; margin-bottom: 4px; }
.fw-props-title { font-size: 14px; color: inherit; }
.fw-columns { padding-inline-start: 20px; }
.fw-problem-list { margin: 0; padding-inline-start: 18px; }
@media (max-width: 1000px) {
  .fw-designer-panes { grid-template-columns: minmax(0, 1fr); }
  .fw-designer-palette, .fw-designer-properties { position: static; max-height: none; }
  .fw-designer-palette ul { grid-template-columns: repeat(auto-fill, minmax(120px, 1fr)); }
}
`;
