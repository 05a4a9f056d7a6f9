import {
  DeleteOutlined,
  HolderOutlined,
  PlusOutlined,
  RedoOutlined,
  SaveOutlined,
  UndoOutlined,
} from '@ant-design/icons';
import {
  closestCenter,
  DndContext,
  type DragEndEvent,
  KeyboardSensor,
  PointerSensor,
  useDraggable,
  useDroppable,
  useSensor,
  useSensors,
} from '@dnd-kit/core';
import {
  SortableContext,
  sortableKeyboardCoordinates,
  useSortable,
  verticalListSortingStrategy,
} from '@dnd-kit/sortable';
import {
  type EntityDefinition,
  type FieldDefinition,
  type FieldTypeName,
  fieldTypes,
  type Locale,
  localize,
} from '@formwork/metadata';
import { Alert, Button, Space, Tabs, Tooltip } from 'antd';
import type { TFunction } from 'i18next';
import { type KeyboardEvent, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { FormRenderer } from '../form/FormRenderer.js';
import type { FormServices } from '../form/types.js';
import { AnalysisDialog } from './AnalysisDialog.js';
import {
  canRedo,
  canUndo,
  canvasBlocks,
  type DesignerCommand,
  type DesignerState,
  designerProblems,
  designerReducer,
  dropCommand,
  initialDesignerState,
  isDirty,
  type Place,
  paletteGroups,
  placeOf,
  sampleRecord,
} from './model.js';
import { PropertyPanel } from './PropertyPanel.js';
import { designerT } from './strings.js';
import { DESIGNER_CSS } from './styles.js';
import type { EntityChangeAnalysis, FormDesignerProps } from './types.js';

type Dispatch = (cmd: DesignerCommand) => void;
const LOOSE = '__loose__';

function PaletteItem({
  name,
  locale,
  t,
  onAdd,
}: {
  name: FieldTypeName;
  locale: Locale;
  t: TFunction;
  onAdd(): void;
}) {
  const { attributes, listeners, setNodeRef, isDragging } = useDraggable({
    id: `palette:${name}`,
    data: { palette: name },
  });
  const label = fieldTypes[name].label[locale];
  return (
    <li>
      <button
        ref={setNodeRef}
        type="button"
        className={`fw-palette-item${isDragging ? ' fw-dragging' : ''}`}
        data-type={name}
        {...attributes}
        {...listeners}
        aria-label={t('designer.addField', { type: label })}
        onClick={onAdd}
        onKeyDown={(e) => {
          if (e.key === 'Enter' || e.key === ' ') {
            e.preventDefault();
            onAdd();
          }
        }}
      >
        <PlusOutlined /> {label}
      </button>
    </li>
  );
}

function CanvasField({
  field,
  section,
  state,
  dispatch,
  locale,
  t,
  problems,
}: {
  field: FieldDefinition;
  section: string | null;
  state: DesignerState;
  dispatch: Dispatch;
  locale: Locale;
  t: TFunction;
  problems: number;
}) {
  const { attributes, listeners, setNodeRef, transform, transition, isDragging } = useSortable({
    id: field.key,
    data: { section },
  });
  const selected = state.selection.kind === 'field' && state.selection.key === field.key;
  const label = localize(field.label, locale, field.key);
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.target !== e.currentTarget) return;
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      dispatch({ type: 'select', selection: { kind: 'field', key: field.key } });
    } else if (e.altKey && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) {
      e.preventDefault();
      const at = placeOf(state.entity, field.key);
      if (at)
        dispatch({
          type: 'moveField',
          key: field.key,
          to: { section: at.section, index: at.index + (e.key === 'ArrowUp' ? -1 : 1) },
        });
    } else if (e.key === 'Delete' || e.key === 'Backspace') {
      e.preventDefault();
      dispatch({ type: 'removeField', key: field.key });
    }
  };
  return (
    <div
      ref={setNodeRef}
      role="option"
      aria-selected={selected}
      tabIndex={0}
      data-canvas-field={field.key}
      className={`fw-canvas-field${selected ? ' fw-selected' : ''}${isDragging ? ' fw-dragging' : ''}${problems > 0 ? ' fw-has-problem' : ''}`}
      style={{
        transform: transform
          ? `translate3d(${Math.round(transform.x)}px, ${Math.round(transform.y)}px, 0)`
          : undefined,
        transition,
      }}
      onClick={() => dispatch({ type: 'select', selection: { kind: 'field', key: field.key } })}
      onKeyDown={onKeyDown}
    >
      <button
        type="button"
        className="fw-drag-handle"
        {...attributes}
        {...listeners}
        aria-label={t('designer.dragHandle', { label })}
        tabIndex={-1}
      >
        <HolderOutlined />
      </button>
      <span className="fw-canvas-label">
        {label}
        {field.required ? <span className="fw-required"> *</span> : null}
      </span>
      <span className="fw-muted fw-canvas-type">
        {fieldTypes[field.type].label[locale]}
        {field.visibleWhen ? ' · 👁' : ''}
        {field.type === 'subform' ? ` · ${(field.fields ?? []).length}` : ''}
      </span>
      {problems > 0 && <span className="fw-error">⚠ {problems}</span>}
      <Tooltip title={t('designer.removeField')}>
        <Button
          type="text"
          size="small"
          danger
          icon={<DeleteOutlined />}
          aria-label={`${t('designer.removeField')} ${label}`}
          onClick={(e) => {
            e.stopPropagation();
            dispatch({ type: 'removeField', key: field.key });
          }}
        />
      </Tooltip>
    </div>
  );
}

function CanvasBlock({
  id,
  label,
  fields,
  children,
  empty,
}: {
  id: string;
  label: string;
  fields: FieldDefinition[];
  children: React.ReactNode;
  empty: string;
}) {
  const { setNodeRef, isOver } = useDroppable({
    id: `block:${id}`,
    data: { section: id === LOOSE ? null : id },
  });
  return (
    <div
      ref={setNodeRef}
      className={`fw-canvas-block${isOver ? ' fw-over' : ''}`}
      role="listbox"
      aria-label={label}
    >
      <SortableContext items={fields.map((f) => f.key)} strategy={verticalListSortingStrategy}>
        {children}
      </SortableContext>
      {fields.length === 0 && <div className="fw-muted fw-canvas-empty">{empty}</div>}
    </div>
  );
}

let cssInjected = false;

/**
 * The form designer: a palette of field types, the canvas (drag to add and reorder, sections with columns),
 * the property panel and a live preview with sample data in the real FormRenderer. Saving runs the server's
 * change analysis and asks before a destructive change. Undo/redo (Ctrl+Z / Ctrl+Y), keyboard operable.
 */
export function FormDesigner(props: FormDesignerProps) {
  const { locale, knownEntities } = props;
  const t = designerT(locale);
  const [state, dispatch] = useReducer(designerReducer, props.entity, initialDesignerState);
  const [tab, setTab] = useState<'design' | 'preview'>('design');
  const [analysis, setAnalysis] = useState<EntityChangeAnalysis | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const loaded = useRef(props.entity);

  useEffect(() => {
    if (cssInjected || typeof document === 'undefined') return;
    cssInjected = true;
    const style = document.createElement('style');
    style.dataset.formwork = 'designer';
    style.textContent = DESIGNER_CSS;
    document.head.appendChild(style);
  }, []);

  useEffect(() => {
    if (loaded.current !== props.entity && props.entity) {
      loaded.current = props.entity;
      dispatch({ type: 'load', entity: props.entity });
    }
  }, [props.entity]);

  const problems = useMemo(() => designerProblems(state.entity), [state.entity]);
  const problemCount = (key: string) => {
    const i = state.entity.fields.findIndex((f) => f.key === key);
    return problems.filter((p) => p.field === `fields.${i}` || p.field.startsWith(`fields.${i}.`)).length;
  };
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 5 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const allEntities = useMemo(() => {
    const others = knownEntities.filter((e) => e.key !== state.entity.key);
    return [...others, state.entity];
  }, [knownEntities, state.entity]);

  const insertionPlace = (): Place | undefined => {
    const sel = state.selection;
    if (sel.kind === 'field') {
      const at = placeOf(state.entity, sel.key);
      if (at) return { section: at.section, index: at.index + 1 };
    }
    if (sel.kind === 'section') {
      const s = state.entity.layout?.sections.find((x) => x.key === sel.key);
      return { section: sel.key, index: s?.fields.length ?? 0 };
    }
    return undefined;
  };

  const add = (name: FieldTypeName, place?: Place) => {
    const to = place ?? insertionPlace();
    dispatch({ type: 'addField', fieldType: name, knownEntities: allEntities, ...(to ? { place: to } : {}) });
  };

  const onDragEnd = (e: DragEndEvent) => {
    const over = e.over;
    if (!over) return;
    const overData = over.data.current as { section?: string | null } | undefined;
    const palette = (e.active.data.current as { palette?: FieldTypeName } | undefined)?.palette;
    const cmd = dropCommand(
      state.entity,
      palette ? { palette } : { field: String(e.active.id) },
      String(over.id).startsWith('block:')
        ? { block: overData?.section ?? null }
        : { field: String(over.id) },
      allEntities,
    );
    if (cmd) dispatch(cmd);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const target = e.target as HTMLElement;
    const typing = target.closest('input, textarea, [contenteditable="true"]') !== null;
    if (typing || !(e.ctrlKey || e.metaKey)) return;
    const k = e.key.toLowerCase();
    if (k === 'z' && !e.shiftKey) {
      e.preventDefault();
      dispatch({ type: 'undo' });
    } else if (k === 'y' || (k === 'z' && e.shiftKey)) {
      e.preventDefault();
      dispatch({ type: 'redo' });
    }
  };

  const save = async () => {
    setError(null);
    if (problems.length > 0) {
      setError(t('designer.invalid'));
      return;
    }
    if (props.entity === null) {
      await commit(false);
      return;
    }
    setBusy(true);
    try {
      setAnalysis(await props.analyse(state.entity));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const commit = async (confirmDestructive: boolean) => {
    const next = state.entity;
    setBusy(true);
    try {
      await props.onSave(next, confirmDestructive);
      dispatch({ type: 'markSaved', entity: next });
      setAnalysis(null);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setAnalysis(null);
    } finally {
      setBusy(false);
    }
  };

  const blocks = canvasBlocks(state.entity);
  const previewServices = useMemo(() => sampleServices(allEntities), [allEntities]);
  const today = previewServices.now().toISOString().slice(0, 10);

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: the designer root handles the undo/redo shortcuts
    <div className="fw-designer" onKeyDown={onKeyDown} lang={locale}>
      <div className="fw-designer-toolbar" role="toolbar" aria-label={t('designer.canvas')}>
        <strong className="fw-designer-title">
          {localize(state.entity.label, locale, state.entity.key) || t('designer.untitled')}
        </strong>
        <Space wrap>
          <Tooltip title="Ctrl+Z">
            <Button
              icon={<UndoOutlined />}
              disabled={!canUndo(state)}
              onClick={() => dispatch({ type: 'undo' })}
            >
              {t('designer.undo')}
            </Button>
          </Tooltip>
          <Tooltip title="Ctrl+Y">
            <Button
              icon={<RedoOutlined />}
              disabled={!canRedo(state)}
              onClick={() => dispatch({ type: 'redo' })}
            >
              {t('designer.redo')}
            </Button>
          </Tooltip>
          <Button
            type="primary"
            icon={<SaveOutlined />}
            loading={busy}
            disabled={!isDirty(state)}
            onClick={() => void save()}
          >
            {busy ? t('designer.saving') : t('designer.save')}
          </Button>
        </Space>
      </div>
      {error && (
        <Alert
          type="error"
          showIcon
          role="alert"
          title={error}
          closable
          onClose={() => setError(null)}
          style={{ margin: '8px 0' }}
        />
      )}
      {problems.length > 0 && (
        <Alert
          type="warning"
          showIcon
          title={t('designer.problems')}
          description={
            <ul className="fw-problem-list">
              {problems.slice(0, 8).map((p) => (
                <li key={`${p.field}|${p.code}`}>{p.message[locale]}</li>
              ))}
            </ul>
          }
          style={{ margin: '8px 0' }}
        />
      )}
      <DndContext sensors={sensors} collisionDetection={closestCenter} onDragEnd={onDragEnd}>
        <div className="fw-designer-panes">
          <nav className="fw-designer-palette" aria-label={t('designer.palette')}>
            <h2>{t('designer.palette')}</h2>
            {paletteGroups().map((g) => (
              <section key={g.category}>
                <h3>{g.category === 'basic' ? t('designer.basic') : t('designer.advanced')}</h3>
                <ul>
                  {g.types.map((ty) => (
                    <PaletteItem
                      key={ty.name}
                      name={ty.name}
                      locale={locale}
                      t={t}
                      onAdd={() => add(ty.name)}
                    />
                  ))}
                </ul>
              </section>
            ))}
          </nav>
          <main className="fw-designer-canvas" aria-label={t('designer.canvas')}>
            <Tabs
              activeKey={tab}
              onChange={(k) => setTab(k as 'design' | 'preview')}
              items={[
                {
                  key: 'design',
                  label: t('designer.design'),
                  children: (
                    <div>
                      <p className="fw-muted fw-keyboard-help">{t('designer.keyboardHelp')}</p>
                      <Button
                        size="small"
                        type="link"
                        onClick={() => dispatch({ type: 'select', selection: { kind: 'entity' } })}
                      >
                        {t('designer.entityProps')}
                      </Button>
                      {blocks.map((b) => {
                        const id = b.section?.key ?? LOOSE;
                        return (
                          <section key={id} className="fw-canvas-section" data-section={id}>
                            {b.section ? (
                              <button
                                type="button"
                                className={`fw-section-head${state.selection.kind === 'section' && state.selection.key === id ? ' fw-selected' : ''}`}
                                onClick={() =>
                                  dispatch({ type: 'select', selection: { kind: 'section', key: id } })
                                }
                              >
                                {localize(b.section.label, locale, b.section.key)}
                                <span className="fw-muted">
                                  {' '}
                                  · {t('designer.columns')} {b.section.columns ?? 1}
                                </span>
                              </button>
                            ) : (
                              (state.entity.layout?.sections.length ?? 0) > 0 && (
                                <div className="fw-muted">{t('designer.noSection')}</div>
                              )
                            )}
                            <CanvasBlock
                              id={id}
                              label={
                                b.section
                                  ? localize(b.section.label, locale, b.section.key)
                                  : t('designer.noSection')
                              }
                              fields={b.fields}
                              empty={t('designer.emptyCanvas')}
                            >
                              {b.fields.map((f) => (
                                <CanvasField
                                  key={f.key}
                                  field={f}
                                  section={b.section?.key ?? null}
                                  state={state}
                                  dispatch={dispatch}
                                  locale={locale}
                                  t={t}
                                  problems={problemCount(f.key)}
                                />
                              ))}
                            </CanvasBlock>
                          </section>
                        );
                      })}
                      <Button icon={<PlusOutlined />} onClick={() => dispatch({ type: 'addSection' })}>
                        {t('designer.addSection')}
                      </Button>
                    </div>
                  ),
                },
                {
                  key: 'preview',
                  label: t('designer.preview'),
                  children:
                    tab === 'preview' ? (
                      problems.length > 0 ? (
                        <Alert type="warning" showIcon title={t('designer.invalid')} />
                      ) : (
                        <div data-testid="fw-preview">
                          <p className="fw-muted">{t('designer.sampleData')}</p>
                          <FormRenderer
                            key={JSON.stringify(state.entity)}
                            entity={state.entity}
                            locale={locale}
                            services={previewServices}
                            mode="create"
                            value={sampleRecord(state.entity, today)}
                            onSubmit={() => undefined}
                          />
                        </div>
                      )
                    ) : null,
                },
              ]}
            />
          </main>
          <aside className="fw-designer-properties" aria-label={t('designer.properties')}>
            <h2>{t('designer.properties')}</h2>
            <PropertyPanel
              state={state}
              dispatch={dispatch}
              issues={problems}
              locale={locale}
              t={t}
              knownEntities={allEntities}
              isNew={props.entity === null}
            />
          </aside>
        </div>
      </DndContext>
      {analysis && (
        <AnalysisDialog
          analysis={analysis}
          locale={locale}
          t={t}
          busy={busy}
          onCancel={() => setAnalysis(null)}
          onConfirm={() => void commit(analysis.destructive)}
        />
      )}
    </div>
  );
}

/** Services for the preview: sample records of the known entities, nothing leaves the browser. */
export function sampleServices(entities: EntityDefinition[]): FormServices {
  const now = new Date();
  const records = (key: string) => {
    const e = entities.find((x) => x.key === key);
    if (!e) return [];
    return [1, 2, 3].map((n) => {
      const r = sampleRecord(e, now.toISOString().slice(0, 10));
      const id = `00000000-0000-4000-8000-00000000000${n}`;
      const title =
        e.titleField && typeof r[e.titleField] === 'string'
          ? String(r[e.titleField])
          : `${localize(e.label, 'zh-CN', e.key)} ${n}`;
      return { id, label: title, record: { ...r, id } };
    });
  };
  return {
    searchRecords: async (entity, q) =>
      records(entity).filter((r) => r.label.toLowerCase().includes(q.toLowerCase())),
    getRecord: async (entity, id) => records(entity).find((r) => r.id === id)?.record ?? {},
    searchMembers: async () => [{ id: '00000000-0000-4000-8000-0000000000aa', name: '张三 Zhang San' }],
    searchDepartments: async () => [{ id: '00000000-0000-4000-8000-0000000000bb', name: '销售部 Sales' }],
    uploadFile: async (file) => ({
      id: `preview${file.size}`,
      name: file.name,
      size: file.size,
      type: file.type,
      url: typeof URL.createObjectURL === 'function' ? URL.createObjectURL(file) : '',
    }),
    currentUser: {
      id: '00000000-0000-4000-8000-0000000000aa',
      name: '张三 Zhang San',
      departmentId: '00000000-0000-4000-8000-0000000000bb',
    },
    now: () => now,
  };
}
