import type { MessageInstance } from 'antd/es/message/interface';
import useMessage from 'antd/es/message/useMessage';
import { type ReactNode, useEffect } from 'react';

/**
 * antd's message hook and the holder it renders: a chunk of its own, mounted by `MessageApp` with the
 * first message a screen shows.
 */
export default function MessageHost(props: { onReady(api: MessageInstance): void }): ReactNode {
  const [api, holder] = useMessage();
  const { onReady } = props;
  useEffect(() => onReady(api), [api, onReady]);
  return holder;
}
