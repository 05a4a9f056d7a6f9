import { Checkbox, Form, Input, Modal } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * The "save view" dialog of `SavedViewBar`: a name and, for administrators, "shared". Its own module, loaded
 * when the user first saves a view, so antd's Form (and its validator) is not part of the record list.
 */
export default function SaveViewDialog(p: {
  open: boolean;
  busy: boolean;
  canShare: boolean;
  onClose(): void;
  onSave(input: { name: string; shared: boolean }): Promise<void>;
}): ReactNode {
  const { t } = useTranslation('views');
  const [form] = Form.useForm<{ name: string; shared: boolean }>();
  return (
    <Modal
      open={p.open}
      title={t('saveView')}
      okButtonProps={{ loading: p.busy }}
      onCancel={p.onClose}
      onOk={async () => {
        let values: { name: string; shared: boolean };
        try {
          values = await form.validateFields();
        } catch {
          return; // the form shows what is missing
        }
        await p.onSave({ name: values.name.trim(), shared: values.shared === true });
        form.resetFields();
      }}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" initialValues={{ name: '', shared: false }}>
        <Form.Item
          name="name"
          label={t('viewName')}
          rules={[{ required: true, whitespace: true, message: t('viewNameRequired') }]}
        >
          <Input maxLength={100} autoFocus />
        </Form.Item>
        {p.canShare && (
          <Form.Item name="shared" valuePropName="checked">
            <Checkbox>{t('shareView')}</Checkbox>
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
