import type { Locale } from '@formwork/metadata';
import { Alert, Button, Form, Input, Typography } from 'antd';
import { type ReactNode, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, createApi } from '../api.js';
import { LanguageSwitch } from '../components/LanguageSwitch.js';
import { navigate, queryParam, useLocation } from '../router.js';
import { AuthCard } from './LoginPage.js';

// Its own chunk (App.tsx loads it for `/invite` only): antd's Form stays out of the login page and the shell.
/**
 * `/invite?token=…` — the link an administrator hands to an invited member: set a password (the server's
 * policy applies; its messages show under the field), then sign in.
 */
export default function AcceptInvitationPage(props: {
  locale: Locale;
  setLocale(l: Locale): void;
}): ReactNode {
  const { t } = useTranslation('web');
  const path = useLocation();
  const token = queryParam(path, 'token') ?? '';
  const api = useMemo(() => createApi({ locale: props.locale }), [props.locale]);
  const [form] = Form.useForm<{ name?: string; password: string; confirm: string }>();
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (values: { name?: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      const user = await api.auth.acceptInvitation({
        token,
        password: values.password,
        ...(values.name?.trim() ? { name: values.name.trim() } : {}),
      });
      setDone(user.email);
    } catch (e) {
      if (e instanceof ApiError) {
        const pw = e.fields.filter((f) => f.field === 'password');
        if (pw.length) form.setFields([{ name: 'password', errors: pw.map((f) => f.message) }]);
        else setError(e.fields[0]?.message ?? e.message);
      } else setError(t('errors.network'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div
      style={{ minHeight: '100%', display: 'grid', placeItems: 'center', background: '#f5f7fa', padding: 16 }}
      data-testid="accept-invitation"
    >
      <AuthCard maxWidth={420}>
        <div
          style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', marginBottom: 16 }}
        >
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t('invite.title')}
          </Typography.Title>
          <LanguageSwitch locale={props.locale} setLocale={props.setLocale} />
        </div>
        {done ? (
          <>
            <Alert
              type="success"
              showIcon
              title={t('invite.done', { email: done })}
              style={{ marginBottom: 16 }}
            />
            <Button type="primary" block onClick={() => navigate('/login', { replace: true })}>
              {t('invite.toLogin')}
            </Button>
          </>
        ) : !token ? (
          <Alert type="error" showIcon title={t('invite.noToken')} />
        ) : (
          <>
            <Typography.Paragraph type="secondary">{t('invite.hint')}</Typography.Paragraph>
            {error && (
              <Alert
                type="error"
                showIcon
                title={error}
                style={{ marginBottom: 16 }}
                data-testid="invite-error"
              />
            )}
            <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
              <Form.Item name="name" label={t('invite.name')}>
                <Input autoComplete="name" />
              </Form.Item>
              <Form.Item
                name="password"
                label={t('invite.password')}
                extra={t('invite.policy')}
                rules={[{ required: true, message: t('login.passwordRequired') }]}
              >
                <Input.Password autoComplete="new-password" />
              </Form.Item>
              <Form.Item
                name="confirm"
                label={t('invite.confirm')}
                dependencies={['password']}
                rules={[
                  { required: true, message: t('invite.confirmRequired') },
                  ({ getFieldValue }) => ({
                    validator: (_, v) =>
                      !v || v === getFieldValue('password')
                        ? Promise.resolve()
                        : Promise.reject(new Error(t('invite.mismatch'))),
                  }),
                ]}
              >
                <Input.Password autoComplete="new-password" />
              </Form.Item>
              <Button type="primary" htmlType="submit" block loading={busy}>
                {t('invite.submit')}
              </Button>
            </Form>
          </>
        )}
      </AuthCard>
    </div>
  );
}
