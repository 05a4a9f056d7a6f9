import { theme } from 'antd';
import type { KeyboardEvent, MouseEvent, ReactNode } from 'react';

export interface NavLinkItem {
  key: string;
  label: ReactNode;
  /** Where the entry leads (the link's address: a middle click or Ctrl+click opens it in a new tab). */
  href: string;
  type?: undefined;
}

export interface NavGroup {
  type: 'group';
  key: string;
  label: ReactNode;
  children: NavLinkItem[];
}

export type NavItem = NavLinkItem | NavGroup;

/**
 * The shell's side navigation in the look of antd's inline `Menu` (40 px rounded entries, the selected one in
 * the primary colour on its light background, grey group titles), drawn with plain elements: it is a list of
 * links in groups, and antd's Menu (overflow, sub-menus, pop-ups: ~19 kB gzipped with its Tabs-sized styles)
 * would otherwise be part of every page. Entries are links (`role="menuitem"`), so Tab, Enter and a middle
 * click work as with any link; ↑ ↓ Home End move between entries as in antd's menu.
 */
export function NavMenu(props: {
  items: readonly NavItem[];
  selectedKey: string;
  /** A plain click or Enter on an entry (the app navigates without reloading). */
  onSelect(key: string): void;
  'aria-label'?: string;
}): ReactNode {
  const { token } = theme.useToken();
  const click = (e: MouseEvent<HTMLAnchorElement>, key: string) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    props.onSelect(key);
  };
  const keyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const entries = [...e.currentTarget.querySelectorAll<HTMLAnchorElement>('a[role="menuitem"]')];
    const at = entries.indexOf(document.activeElement as HTMLAnchorElement);
    const to =
      e.key === 'ArrowDown'
        ? (at + 1) % entries.length
        : e.key === 'ArrowUp'
          ? (at - 1 + entries.length) % entries.length
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? entries.length - 1
              : null;
    if (to === null || entries.length === 0) return;
    e.preventDefault();
    entries[to]?.focus();
  };
  const entry = (it: NavLinkItem) => {
    const selected = it.key === props.selectedKey;
    return (
      <a
        key={it.key}
        href={it.href}
        role="menuitem"
        aria-current={selected ? 'page' : undefined}
        className={`fw-nav-item${selected ? ' fw-nav-item-selected' : ''}`}
        data-menu-id={it.key}
        onClick={(e) => click(e, it.key)}
      >
        <span className="fw-nav-label">{it.label}</span>
      </a>
    );
  };
  const css = `
.fw-nav{font-size:${token.fontSize}px;color:${token.colorText};background:${token.colorBgContainer}}
.fw-nav-item{display:block;box-sizing:border-box;height:40px;line-height:40px;margin:4px;width:calc(100% - 8px);padding-inline:24px 16px;border-radius:${token.borderRadiusLG}px;color:${token.colorText};text-decoration:none;cursor:pointer;overflow:hidden;white-space:nowrap;text-overflow:ellipsis;outline:none;transition:background ${token.motionDurationSlow},color ${token.motionDurationSlow}}
.fw-nav-item:hover{background:${token.colorBgTextHover};color:${token.colorText}}
.fw-nav-item:focus-visible{outline:${token.lineWidthFocus}px solid ${token.colorPrimaryBorder};outline-offset:1px}
.fw-nav-item-selected,.fw-nav-item-selected:hover{background:${token.colorPrimaryBg};color:${token.colorPrimary}}
.fw-nav-group-title{padding:8px 16px;line-height:${token.lineHeight};color:${token.colorTextDescription};font-size:${token.fontSize}px}
`;
  return (
    <nav aria-label={props['aria-label']}>
      <style>{css}</style>
      <div role="menu" className="fw-nav" onKeyDown={keyDown}>
        {props.items.map((it) =>
          it.type === 'group' ? (
            // biome-ignore lint/a11y/useSemanticElements: a group of menu entries (the ARIA menu pattern), not a form's fieldset.
            <div key={it.key} role="group" aria-labelledby={`fw-nav-${it.key}`}>
              <div className="fw-nav-group-title" id={`fw-nav-${it.key}`}>
                {it.label}
              </div>
              {it.children.map(entry)}
            </div>
          ) : (
            entry(it)
          ),
        )}
      </div>
    </nav>
  );
}
