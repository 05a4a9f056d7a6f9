import type { Locale } from '@formwork/metadata';
import { ConfigProvider, theme } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

const LANGUAGES: ReadonlyArray<{ value: Locale; label: string }> = [
  { value: 'zh-CN', label: '中文' },
  { value: 'en', label: 'English' },
];

/**
 * The language picker of the login page and the header: the browser's own `<select>` (its keyboard, its
 * screen-reader support, the phone's native picker) drawn in antd Select's closed look — border, radius,
 * height, colours and arrow from the theme. Every page shows it, so it does not bring antd's Select (a chunk
 * of its own that only some screens need).
 */
export function LanguageSwitch(props: { locale: Locale; setLocale(l: Locale): void }): ReactNode {
  const { t } = useTranslation('web');
  const { token } = theme.useToken();
  const { componentSize } = ConfigProvider.useConfig();
  const large = componentSize === 'large';
  const small = componentSize === 'small';
  const height = large ? token.controlHeightLG : small ? token.controlHeightSM : token.controlHeight;
  const radius = large ? token.borderRadiusLG : small ? token.borderRadiusSM : token.borderRadius;
  // The arrow of antd's Select (DownOutlined) as a background, in the theme's arrow colour.
  const arrow = `url("data:image/svg+xml,${encodeURIComponent(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="64 64 896 896" fill="${token.colorTextQuaternary}"><path d="M884 256h-75c-5.1 0-9.9 2.5-12.9 6.6L512 654.2 227.9 262.6c-3-4.1-7.8-6.6-12.9-6.6h-75c-6.5 0-10.3 7.4-6.5 12.7l352.6 486.1c12.8 17.6 39 17.6 51.7 0l352.6-486.1c3.9-5.3.1-12.7-6.4-12.7z"/></svg>`,
  )}")`;
  const css = `
.fw-language{appearance:none;-webkit-appearance:none;box-sizing:border-box;width:112px;height:${height}px;margin:0;padding:0 ${token.paddingSM + 18}px 0 ${token.paddingSM - token.lineWidth}px;border:${token.lineWidth}px solid ${token.colorBorder};border-radius:${radius}px;background:${token.colorBgContainer} ${arrow} no-repeat right ${token.paddingSM - token.lineWidth}px center/12px 12px;color:${token.colorText};font-family:inherit;font-size:${large ? token.fontSizeLG : token.fontSize}px;line-height:${height - 2 * token.lineWidth}px;cursor:pointer;transition:border-color ${token.motionDurationMid}}
.fw-language:hover{border-color:${token.colorPrimaryHover}}
.fw-language:focus-visible{outline:0;border-color:${token.colorPrimary};box-shadow:0 0 0 ${token.controlOutlineWidth}px ${token.controlOutline}}
`;
  return (
    <>
      <style>{css}</style>
      <select
        className="fw-language"
        aria-label={t('language')}
        data-testid="language"
        value={props.locale}
        onChange={(e) => props.setLocale(e.target.value as Locale)}
      >
        {LANGUAGES.map((l) => (
          <option key={l.value} value={l.value} lang={l.value}>
            {l.label}
          </option>
        ))}
      </select>
    </>
  );
}
