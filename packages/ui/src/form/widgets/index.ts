import type { RegistryWidgetsType } from '../types.js';
import { CheckboxWidget, MultiSelectWidget, SelectWidget, TagsWidget } from './choice.js';
import { DateTimeWidget, DateWidget } from './date.js';
import { AttachmentWidget, ImageWidget } from './files.js';
import { LocationWidget } from './location.js';
import { AmountWidget, NumberWidget, PercentWidget, RatingWidget } from './number.js';
import { DepartmentWidget, MemberWidget } from './people.js';
import { AutoNumberWidget, FormulaWidget, LookupWidget, RelationWidget } from './relation.js';
import { SignatureWidget } from './signature.js';
import { SubformWidget } from './subform.js';
import { EmailWidget, PhoneWidget, RichTextWidget, TextareaWidget, TextWidget, UrlWidget } from './text.js';

/**
 * Formwork's widget registry, keyed by the `ui:widget` names the field-type registry gives
 * (`fieldTypes[x].ui(field)['ui:widget']`). Every field type has one; all are plain function components.
 */
export const formworkWidgets: RegistryWidgetsType = {
  text: TextWidget,
  TextWidget,
  textarea: TextareaWidget,
  richText: RichTextWidget,
  updown: NumberWidget,
  amount: AmountWidget,
  percent: PercentWidget,
  date: DateWidget,
  datetime: DateTimeWidget,
  select: SelectWidget,
  multiSelect: MultiSelectWidget,
  checkbox: CheckboxWidget,
  member: MemberWidget,
  department: DepartmentWidget,
  phone: PhoneWidget,
  email: EmailWidget,
  uri: UrlWidget,
  autoNumber: AutoNumberWidget,
  formula: FormulaWidget,
  relation: RelationWidget,
  lookup: LookupWidget,
  subform: SubformWidget,
  attachment: AttachmentWidget,
  image: ImageWidget,
  location: LocationWidget,
  signature: SignatureWidget,
  rating: RatingWidget,
  tags: TagsWidget,
};

export {
  AmountWidget,
  AttachmentWidget,
  AutoNumberWidget,
  CheckboxWidget,
  DateTimeWidget,
  DateWidget,
  DepartmentWidget,
  EmailWidget,
  FormulaWidget,
  ImageWidget,
  LocationWidget,
  LookupWidget,
  MemberWidget,
  MultiSelectWidget,
  NumberWidget,
  PercentWidget,
  PhoneWidget,
  RatingWidget,
  RelationWidget,
  RichTextWidget,
  SelectWidget,
  SignatureWidget,
  SubformWidget,
  TagsWidget,
  TextareaWidget,
  TextWidget,
  UrlWidget,
};
