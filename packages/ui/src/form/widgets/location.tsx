import { EnvironmentOutlined } from '@ant-design/icons';
import { Alert, Button, Input, Space } from 'antd';
import { useState } from 'react';
import type { LocationValue, WidgetProps } from '../types.js';
import { fwContext, isLocked } from './common.js';

function asLocation(v: unknown): LocationValue | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  return typeof o.lat === 'number' && typeof o.lng === 'number'
    ? { lat: o.lat, lng: o.lng, ...(typeof o.address === 'string' ? { address: o.address } : {}) }
    : undefined;
}

/** Location (定位): the browser's position (by finger on phones) plus an address, filled when possible. */
export function LocationWidget(props: WidgetProps) {
  const { t, services } = fwContext(props);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | undefined>();
  const value = asLocation(props.value);
  const locked = isLocked(props);

  const locate = () => {
    const geo = typeof navigator === 'undefined' ? undefined : navigator.geolocation;
    if (!geo) {
      setProblem(t('widget.locationUnsupported'));
      return;
    }
    setBusy(true);
    setProblem(undefined);
    geo.getCurrentPosition(
      (pos) => {
        const lat = Math.round(pos.coords.latitude * 1e6) / 1e6;
        const lng = Math.round(pos.coords.longitude * 1e6) / 1e6;
        const base: LocationValue = { lat, lng, ...(value?.address ? { address: value.address } : {}) };
        props.onChange(base);
        const rg = services.reverseGeocode;
        if (rg) {
          rg.call(services, lat, lng)
            .then((address) => {
              if (address) props.onChange({ lat, lng, address });
            })
            .catch(() => undefined)
            .finally(() => setBusy(false));
        } else setBusy(false);
      },
      (err) => {
        setBusy(false);
        setProblem(t('widget.locationDenied', { reason: err.message || String(err.code) }));
      },
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
    );
  };

  return (
    <div className="fw-location" id={props.id}>
      <Space wrap>
        {!locked && (
          <Button icon={<EnvironmentOutlined />} loading={busy} onClick={locate} className="fw-touch">
            {busy ? t('widget.locating') : t('widget.locate')}
          </Button>
        )}
        {value && (
          <span className="fw-muted" title={`${t('widget.latitude')} / ${t('widget.longitude')}`}>
            {value.lat.toFixed(6)}, {value.lng.toFixed(6)}
          </span>
        )}
      </Space>
      {value && (
        <Input
          aria-label={t('widget.address')}
          placeholder={t('widget.address')}
          value={value.address ?? ''}
          readOnly={locked}
          maxLength={500}
          style={{ marginTop: 8 }}
          onChange={(e) => {
            const address = e.target.value;
            props.onChange(address === '' ? { lat: value.lat, lng: value.lng } : { ...value, address });
          }}
        />
      )}
      {problem && <Alert type="warning" showIcon role="alert" title={problem} style={{ marginTop: 8 }} />}
    </div>
  );
}
