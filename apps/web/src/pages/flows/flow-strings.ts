import { flowResources } from '@formwork/ui/flow';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * Registers the designer's `flow` namespace on the app's i18next instance. Called by the lazily loaded
 * admin pages before they render the designer or its editors, so the strings arrive with that chunk and
 * staff never download them.
 */
export function useFlowStrings(): void {
  const { i18n } = useTranslation();
  useState(() => {
    for (const l of ['zh-CN', 'en'] as const) {
      if (!i18n.hasResourceBundle(l, 'flow'))
        i18n.addResourceBundle(l, 'flow', flowResources[l].flow, true, true);
    }
    return true;
  });
}
