import { theme } from 'antd';
import type { CSSProperties, ReactNode } from 'react';

/**
 * A page or card heading in antd `Typography.Title level={3}`'s look (heading size, weight and colour from
 * the theme), and secondary text in `Typography.Text type="secondary"`'s colour. Plain elements: antd's
 * Typography (ellipsis measuring, copy and edit) is not needed for a heading, and the login page, the
 * shell, the home page and the record list would all download it.
 */
export function PageTitle(props: { children: ReactNode; style?: CSSProperties }): ReactNode {
  const { token } = theme.useToken();
  return (
    <h3
      style={{
        margin: 0,
        color: token.colorTextHeading,
        fontWeight: token.fontWeightStrong,
        fontSize: token.fontSizeHeading3,
        lineHeight: token.lineHeightHeading3,
        ...props.style,
      }}
    >
      {props.children}
    </h3>
  );
}

export function SecondaryText(props: { children: ReactNode }): ReactNode {
  const { token } = theme.useToken();
  return <span style={{ color: token.colorTextSecondary }}>{props.children}</span>;
}
