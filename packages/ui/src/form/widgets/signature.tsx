import { Alert, Button, Space } from 'antd';
import { useEffect, useRef, useState } from 'react';
import type { WidgetProps } from '../types.js';
import { fwContext, isLocked } from './common.js';

const urls = new Map<string, string>();

function canvasBlob(canvas: HTMLCanvasElement): Promise<Blob> {
  return new Promise((resolve, reject) => {
    if (typeof canvas.toBlob === 'function') {
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('empty canvas'))), 'image/png');
      return;
    }
    const data = canvas.toDataURL('image/png');
    const bytes = atob(data.split(',')[1] ?? '');
    const arr = new Uint8Array(bytes.length);
    for (let i = 0; i < bytes.length; i++) arr[i] = bytes.charCodeAt(i);
    resolve(new Blob([arr], { type: 'image/png' }));
  });
}

/**
 * Handwritten signature (手写签名): drawn with a finger, pen or mouse on a canvas, saved as a PNG through
 * `uploadFile`; the field stores the file id.
 */
export function SignatureWidget(props: WidgetProps) {
  const { t, services } = fwContext(props);
  const canvas = useRef<HTMLCanvasElement>(null);
  const drawing = useRef(false);
  const [inked, setInked] = useState(false);
  const [editing, setEditing] = useState(typeof props.value !== 'string');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | undefined>();
  const locked = isLocked(props);
  const id = typeof props.value === 'string' ? props.value : undefined;
  const src = id ? (id.startsWith('data:') ? id : (urls.get(id) ?? services.fileUrl?.(id))) : undefined;

  useEffect(() => {
    if (typeof props.value !== 'string') setEditing(true);
  }, [props.value]);

  const point = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const c = e.currentTarget;
    const r = c.getBoundingClientRect();
    const sx = r.width > 0 ? c.width / r.width : 1;
    const sy = r.height > 0 ? c.height / r.height : 1;
    return { x: (e.clientX - r.left) * sx, y: (e.clientY - r.top) * sy };
  };

  const clear = () => {
    const c = canvas.current;
    c?.getContext('2d')?.clearRect(0, 0, c.width, c.height);
    setInked(false);
  };

  const save = async () => {
    const c = canvas.current;
    if (!c || !inked) return;
    setBusy(true);
    setProblem(undefined);
    try {
      const blob = await canvasBlob(c);
      const file = new File([blob], `signature-${services.now().getTime()}.png`, { type: 'image/png' });
      const r = await services.uploadFile(file);
      urls.set(r.id, r.url);
      props.onChange(r.id);
      setEditing(false);
    } catch {
      setProblem(t('widget.uploadFailed', { name: t('widget.signatureSaved') }));
    } finally {
      setBusy(false);
    }
  };

  if (!editing || locked) {
    return (
      <div className="fw-signature" id={props.id}>
        {src ? (
          <img src={src} alt={props.label} className="fw-signature-image" />
        ) : (
          <span className="fw-muted">{id ? t('widget.signatureSaved') : t('form.empty')}</span>
        )}
        {!locked && (
          <Button
            className="fw-touch"
            onClick={() => {
              setEditing(true);
              setInked(false);
            }}
          >
            {t('widget.resign')}
          </Button>
        )}
      </div>
    );
  }

  return (
    <div className="fw-signature" id={props.id}>
      <canvas
        ref={canvas}
        width={600}
        height={200}
        className="fw-signature-pad"
        aria-label={t('widget.signHere')}
        role="img"
        style={{ touchAction: 'none' }}
        onPointerDown={(e) => {
          const ctx = e.currentTarget.getContext('2d');
          if (!ctx) return;
          drawing.current = true;
          e.currentTarget.setPointerCapture?.(e.pointerId);
          const p = point(e);
          ctx.lineWidth = 3;
          ctx.lineCap = 'round';
          ctx.lineJoin = 'round';
          ctx.strokeStyle = '#111';
          ctx.beginPath();
          ctx.moveTo(p.x, p.y);
        }}
        onPointerMove={(e) => {
          if (!drawing.current) return;
          const ctx = e.currentTarget.getContext('2d');
          if (!ctx) return;
          const p = point(e);
          ctx.lineTo(p.x, p.y);
          ctx.stroke();
          if (!inked) setInked(true);
        }}
        onPointerUp={() => {
          drawing.current = false;
        }}
        onPointerLeave={() => {
          drawing.current = false;
        }}
      />
      <div className="fw-muted">{t('widget.signHere')}</div>
      <Space style={{ marginTop: 8 }}>
        <Button onClick={clear} className="fw-touch">
          {t('widget.clear')}
        </Button>
        <Button
          type="primary"
          disabled={!inked}
          loading={busy}
          onClick={() => void save()}
          className="fw-touch"
        >
          {t('widget.saveSignature')}
        </Button>
      </Space>
      {problem && <Alert type="error" showIcon role="alert" title={problem} style={{ marginTop: 8 }} />}
    </div>
  );
}
