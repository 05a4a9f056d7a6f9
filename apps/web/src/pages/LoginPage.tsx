import type { Locale } from '@formwork/metadata';
import { Alert, Button, ConfigProvider, Input, theme } from 'antd';
import { type CSSProperties, type ReactNode, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, createApi, type Session } from '../api.js';
import { LanguageSwitch } from '../components/LanguageSwitch.js';
import { PageTitle } from '../components/PageTitle.js';

/**
 * The white box of the login and invitation pages — antd `Card`'s look (radius, hairline border, padding)
 * without `Card`, which would bring antd's Tabs and Skeleton into the first page a user downloads.
 */
export function AuthCard(props: { maxWidth: number; children: ReactNode }): ReactNode {
  const { token } = theme.useToken();
  return (
    <div
      style={{
        width: '100%',
        maxWidth: props.maxWidth,
        background: token.colorBgContainer,
        border: `${token.lineWidth}px solid ${token.colorBorderSecondary}`,
        borderRadius: token.borderRadiusLG,
        padding: token.paddingLG,
        boxSizing: 'border-box',
      }}
    >
      {props.children}
    </div>
  );
}

/**
 * One labelled field of the login form, laid out like a vertical antd `Form.Item` (label above, the message
 * under the input in the error colour). The login page validates two required fields, so it does without
 * antd's `Form` (and its validation library) — the first page stays small.
 */
function LoginField(props: {
  id: string;
  label: string;
  error: string | null;
  children: ReactNode;
}): ReactNode {
  const { token } = theme.useToken();
  const { componentSize } = ConfigProvider.useConfig();
  // A vertical antd form's label: as tall as a control of the form's size, 8 px above the control.
  const labelHeight =
    componentSize === 'large'
      ? token.controlHeightLG
      : componentSize === 'small'
        ? token.controlHeightSM
        : token.controlHeight;
  const label: CSSProperties = {
    display: 'block',
    paddingBottom: token.paddingXS,
    color: token.colorText,
    fontSize: token.fontSize,
    lineHeight: `${labelHeight}px`,
  };
  return (
    // Like antd's form item, the message takes the place of the space under the field: nothing moves.
    <div style={{ marginBottom: props.error ? 0 : token.marginLG }}>
      <label htmlFor={props.id} style={label}>
        {props.label}
      </label>
      {props.children}
      {props.error && (
        <div
          id={`${props.id}-error`}
          role="alert"
          style={{
            minHeight: token.marginLG,
            color: token.colorError,
            fontSize: token.fontSize,
            lineHeight: token.lineHeight,
          }}
        >
          {props.error}
        </div>
      )}
    </div>
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
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  // Which required field is empty: shown once the user submitted or left the field, like antd's Form.
  const [touched, setTouched] = useState({ email: false, password: false });
  const emailError = touched.email && !email.trim() ? t('login.emailRequired') : null;
  const passwordError = touched.password && !password ? t('login.passwordRequired') : null;
  const submit = async () => {
    setTouched({ email: true, password: true });
    if (!email.trim() || !password) return;
    setBusy(true);
    setError(null);
    try {
      props.onLogin(await api.auth.login(email.trim(), password));
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
      <AuthCard maxWidth={400}>
        <div
          style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', marginBottom: 16 }}
        >
          <PageTitle>{t('login.title')}</PageTitle>
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
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <LoginField id="login-email" label={t('login.email')} error={emailError}>
            <Input
              id="login-email"
              type="email"
              autoComplete="username"
              inputMode="email"
              value={email}
              status={emailError ? 'error' : undefined}
              aria-invalid={emailError ? true : undefined}
              aria-describedby={emailError ? 'login-email-error' : undefined}
              onChange={(e) => setEmail(e.target.value)}
              onBlur={() => setTouched((s) => ({ ...s, email: true }))}
            />
          </LoginField>
          <LoginField id="login-password" label={t('login.password')} error={passwordError}>
            <Input.Password
              id="login-password"
              autoComplete="current-password"
              value={password}
              status={passwordError ? 'error' : undefined}
              aria-invalid={passwordError ? true : undefined}
              aria-describedby={passwordError ? 'login-password-error' : undefined}
              onChange={(e) => setPassword(e.target.value)}
              onBlur={() => setTouched((s) => ({ ...s, password: true }))}
            />
          </LoginField>
          <Button type="primary" htmlType="submit" block loading={busy}>
            {t('login.submit')}
          </Button>
        </form>
      </AuthCard>
    </div>
  );
}
