import type { useAppProps } from 'antd/es/app/context';
import useMessage from 'antd/es/message/useMessage';
import useModal from 'antd/es/modal/useModal';
import useNotification from 'antd/es/notification/useNotification';
import { type ReactNode, useEffect } from 'react';

/**
 * antd's message, notification and modal hooks with the holders they render — what antd's `<App>` mounts —
 * in a chunk of their own, which `LazyApp` loads and mounts with the first message, notification or dialog.
 */
export default function FeedbackHost(props: { onReady(api: useAppProps): void }): ReactNode {
  const [message, messageHolder] = useMessage();
  const [notification, notificationHolder] = useNotification();
  const [modal, modalHolder] = useModal();
  const { onReady } = props;
  useEffect(() => onReady({ message, notification, modal }), [message, notification, modal, onReady]);
  return (
    <>
      {modalHolder}
      {messageHolder}
      {notificationHolder}
    </>
  );
}
