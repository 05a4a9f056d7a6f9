import type { Locale } from '@formwork/metadata';
import { Alert, Button, Card, Form, Input, Select, Typography } from 'antd';
import { type ReactNode, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, createApi, type Session } from '../api.js';

export function LanguageSwitch(props: { locale: Locale; setLocale(l: Locale): void }): ReactNode {
  const { t } = useTranslation('web');
  return (
    <Select
      aria-label={t('language')}
      data-testid="language"
      value={props.locale}
      style={{ width: 112 }}
      onChange={props.setLocale}
      options={[
        { value: 'zh-CN', label: '中文' },
        { value: 'en', label: 'English' },
      ]}
    />
  );
}

export function LoginPage(props: {
  locale: Locale;
  setLocale(l: Locale): void;
  onLogin(s: Session): void;
}): ReactNode {
  const { t } = useTranslation('web');
  const api = useMemo(() => createApi({ locale: props.locale }), [props.locale]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (values: { email: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      const r = await api.client.auth.login(values.email.trim(), values.password);
      props.onLogin({ token: r.token, expiresAt: r.expiresAt, user: r.user });
    } catch (e) {
      setError(e instanceof ApiError ? e.message : t('errors.network'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div
      style={{ minHeight: '100%', display: 'grid', placeItems: 'center', background: '#f5f7fa', padding: 16 }}
    >
      <Card style={{ width: '100%', maxWidth: 400 }}>
        <div
          style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', marginBottom: 16 }}
        >
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t('login.title')}
          </Typography.Title>
          <LanguageSwitch locale={props.locale} setLocale={props.setLocale} />
        </div>
        {error && (
          <Alert
            type="error"
            showIcon
            message={t('login.failed')}
            description={error}
            style={{ marginBottom: 16 }}
          />
        )}
        <Form layout="vertical" onFinish={submit} requiredMark={false}>
          <Form.Item
            name="email"
            label={t('login.email')}
            rules={[{ required: true, message: t('login.emailRequired') }]}
          >
            <Input type="email" autoComplete="username" inputMode="email" />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('login.password')}
            rules={[{ required: true, message: t('login.passwordRequired') }]}
          >
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            {t('login.submit')}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
