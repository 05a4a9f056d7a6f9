import { theme } from 'antd';
import type { KeyboardEvent, ReactNode } from 'react';

export type NavItem =
  | { key: string; label: ReactNode; type?: undefined }
  | { type: 'group'; key: string; label: ReactNode; children: { key: string; label: ReactNode }[] };

/**
 * The shell's side navigation, in the look of antd's inline `Menu` (40 px rounded items, the selected one in
 * the primary colour on its light background, grey group titles). It is a flat list of links in groups, so it
 * is drawn with plain elements (with the menu roles): antd's Menu (with its overflow, sub-menu and popup machinery, ~19 kB gzipped)
 * would otherwise be part of every page.
 */
export function NavMenu(props: {
  items: readonly (NavItem | null | undefined | false)[];
  selectedKey: string;
  onClick(key: string): void;
}): ReactNode {
  const { token } = theme.useToken();
  const item = (it: { key: string; label: ReactNode }) => {
    const selected = it.key === props.selectedKey;
    return (
      <div
        key={it.key}
        role="menuitem"
        tabIndex={0}
        aria-current={selected ? 'page' : undefined}
        className={`fw-nav-item${selected ? ' fw-nav-item-selected' : ''}`}
        data-menu-id={it.key}
        onClick={() => props.onClick(it.key)}
        onKeyDown={(e: KeyboardEvent) => {
          if (e.key === 'Enter' || e.key === ' ') {
            e.preventDefault();
            props.onClick(it.key);
          }
        }}
      >
        <span className="fw-nav-label">{it.label}</span>
      </div>
    );
  };
  const css = `
.fw-nav{margin:0;padding:0;font-size:${token.fontSize}px;color:${token.colorText};background:${token.colorBgContainer}}
.fw-nav-item{box-sizing:border-box;height:40px;line-height:40px;margin:4px;width:calc(100% - 8px);padding-inline:24px 16px;border-radius:${token.borderRadiusLG}px;cursor:pointer;overflow:hidden;white-space:nowrap;text-overflow:ellipsis;outline:none;transition:background ${token.motionDurationSlow},color ${token.motionDurationSlow}}
.fw-nav-item:hover{background:${token.colorBgTextHover}}
.fw-nav-item:focus-visible{outline:${token.lineWidthFocus}px solid ${token.colorPrimaryBorder};outline-offset:1px}
.fw-nav-item-selected,.fw-nav-item-selected:hover{background:${token.colorPrimaryBg};color:${token.colorPrimary}}
.fw-nav-label{overflow:hidden;text-overflow:ellipsis}
.fw-nav-group-title{padding:8px 16px;line-height:${token.lineHeight};color:${token.colorTextDescription};font-size:${token.fontSize}px}
`;
  return (
    <nav>
      <style>{css}</style>
      <div role="menu" className="fw-nav">
        {props.items.map((it) =>
          !it ? null : it.type === 'group' ? (
            <div key={it.key}>
              <div className="fw-nav-group-title">{it.label}</div>
              {it.children.map(item)}
            </div>
          ) : (
            item(it)
          ),
        )}
      </div>
    </nav>
  );
}
