import { DeleteOutlined, PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Space } from 'antd';
import { lazy, Suspense, useRef, useState } from 'react';
import type { FileValue, WidgetProps } from '../types.js';
import { emptyToUndefined, fieldOf, formatBytes, fwContext, isLocked } from './common.js';

// antd's Image (preview, zoom) only when there is an image to show; until it has loaded, plain thumbnails.
const PreviewGroup = lazy(() => import('./thumbnails.js'));
const PreviewImage = lazy(() => import('./thumbnails.js').then((m) => ({ default: m.Thumbnail })));

function Thumbnail(props: { src: string; alt: string }) {
  const plain = <img src={props.src} alt={props.alt} width={96} height={96} style={{ objectFit: 'cover' }} />;
  return (
    <Suspense fallback={plain}>
      <PreviewImage src={props.src} alt={props.alt} />
    </Suspense>
  );
}

/** Whether a MIME type matches an accept list (`image/*`, `application/pdf`). */
export function acceptsType(
  type: string,
  accept: readonly string[] | undefined,
  imageOnly: boolean,
): boolean {
  const t = type.toLowerCase();
  if (imageOnly && !t.startsWith('image/')) return false;
  if (!accept || accept.length === 0) return true;
  return accept.some((a) => {
    const p = a.toLowerCase();
    return p.endsWith('/*') ? t.startsWith(p.slice(0, -1)) : t === p;
  });
}

function FilesInput(props: WidgetProps & { imageOnly: boolean }) {
  const ctx = fwContext(props);
  const { t, services } = ctx;
  const field = fieldOf(props);
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<string[]>([]);
  const files: FileValue[] = Array.isArray(props.value) ? (props.value as FileValue[]) : [];
  const accept = field.accept ?? (props.options.accept as string[] | undefined);
  const maxSize = field.maxSize ?? (props.options.maxSize as number | undefined);
  const maxCount = Math.min(field.max ?? 50, 50);
  const locked = isLocked(props);

  const pick = async (list: FileList | null) => {
    if (!list || list.length === 0) return;
    const errs: string[] = [];
    const ok: File[] = [];
    for (const f of Array.from(list)) {
      if (!acceptsType(f.type, accept, props.imageOnly)) {
        errs.push(t('widget.wrongType', { name: f.name, accept: (accept ?? ['image/*']).join(', ') }));
      } else if (maxSize !== undefined && f.size > maxSize) {
        errs.push(t('widget.tooLarge', { name: f.name, max: formatBytes(maxSize) }));
      } else ok.push(f);
    }
    const room = maxCount - files.length;
    if (ok.length > room) {
      errs.push(t('widget.tooMany', { max: maxCount }));
      ok.splice(Math.max(room, 0));
    }
    setBusy(true);
    const uploaded: FileValue[] = [];
    for (const f of ok) {
      try {
        const r = await services.uploadFile(f);
        uploaded.push({ id: r.id, name: r.name, size: r.size, type: r.type, url: r.url });
      } catch {
        errs.push(t('widget.uploadFailed', { name: f.name }));
      }
    }
    setBusy(false);
    setProblems(errs);
    if (uploaded.length > 0) props.onChange([...files, ...uploaded]);
    if (input.current) input.current.value = '';
  };

  const remove = (id: string) => props.onChange(emptyToUndefined(files.filter((f) => f.id !== id)));

  const thumbs = (
    <div className="fw-thumbs">
      {files.map((f) => (
        <figure key={f.id} className="fw-thumb">
          {f.url ? <Thumbnail src={f.url} alt={f.name} /> : <span>{f.name}</span>}
          {!locked && (
            <Button
              size="small"
              danger
              icon={<DeleteOutlined />}
              aria-label={`${t('widget.remove')} ${f.name}`}
              onClick={() => remove(f.id)}
            />
          )}
        </figure>
      ))}
    </div>
  );

  return (
    <div className={props.imageOnly ? 'fw-images' : 'fw-files'}>
      {props.imageOnly ? (
        files.length > 0 && (
          <Suspense fallback={thumbs}>
            <PreviewGroup>{thumbs}</PreviewGroup>
          </Suspense>
        )
      ) : (
        <ul className="fw-file-list">
          {files.map((f) => (
            <li key={f.id}>
              <PaperClipOutlined />{' '}
              {f.url ? (
                <a href={f.url} target="_blank" rel="noopener noreferrer">
                  {f.name}
                </a>
              ) : (
                f.name
              )}{' '}
              <span className="fw-muted">{formatBytes(f.size)}</span>
              {!locked && (
                <Button
                  type="text"
                  size="small"
                  danger
                  icon={<DeleteOutlined />}
                  aria-label={`${t('widget.remove')} ${f.name}`}
                  onClick={() => remove(f.id)}
                />
              )}
            </li>
          ))}
        </ul>
      )}
      {!locked && files.length < maxCount && (
        <Space>
          <input
            ref={input}
            id={props.id}
            type="file"
            hidden
            multiple={maxCount - files.length > 1}
            accept={props.imageOnly ? (accept ?? ['image/*']).join(',') : accept?.join(',')}
            capture={props.imageOnly ? 'environment' : undefined}
            data-testid={`${props.id}-file`}
            onChange={(e) => void pick(e.target.files)}
          />
          <Button
            icon={<UploadOutlined />}
            loading={busy}
            onClick={() => input.current?.click()}
            className="fw-touch"
          >
            {busy ? t('widget.uploading') : props.imageOnly ? t('widget.uploadImage') : t('widget.upload')}
          </Button>
        </Space>
      )}
      {problems.length > 0 && (
        <Alert type="error" showIcon role="alert" title={problems.join('; ')} style={{ marginTop: 8 }} />
      )}
    </div>
  );
}

/** Attachments (附件): uploaded through the server with size and type limits. */
export function AttachmentWidget(props: WidgetProps) {
  return <FilesInput {...props} imageOnly={false} />;
}

/** Images (图片): camera capture on phones, thumbnails with preview. */
export function ImageWidget(props: WidgetProps) {
  return <FilesInput {...props} imageOnly />;
}
